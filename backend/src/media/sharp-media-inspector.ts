/** Content sniffing with file-type (magic numbers) and image work with sharp (libvips). */
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { ImageInfo, MediaInspector } from '../core/ports/media-inspector.js';

const THUMBNAIL_EDGE = 480;
/** Refuse decompression bombs: images above this many pixels get no preview. */
const MAX_PIXELS = 100_000_000;

export class SharpMediaInspector implements MediaInspector {
  async sniff(head: Buffer): Promise<string | undefined> {
    return (await fileTypeFromBuffer(head))?.mime;
  }

  async inspectImage(source: Readable): Promise<ImageInfo | undefined> {
    try {
      const image = sharp({ limitInputPixels: MAX_PIXELS, failOn: 'error' });
      source.pipe(image);
      const input = image.clone();
      const [metadata, thumbnail] = await Promise.all([
        input.metadata(),
        image
          .rotate()
          .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer(),
      ]);
      if (!metadata.width || !metadata.height) return undefined;
      // EXIF orientations 5-8 swap the sides as the picture is shown.
      const swapped = (metadata.orientation ?? 1) >= 5;
      return {
        width: swapped ? metadata.height : metadata.width,
        height: swapped ? metadata.width : metadata.height,
        thumbnail,
      };
    } catch {
      source.destroy();
      return undefined;
    }
  }
}
