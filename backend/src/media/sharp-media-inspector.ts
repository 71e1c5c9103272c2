/** Content sniffing with file-type (magic numbers) and image work with sharp (libvips). */
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata, type Sharp } from 'sharp';
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
      const original = image.clone();
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
      const info: ImageInfo = {
        width: swapped ? metadata.height : metadata.width,
        height: swapped ? metadata.width : metadata.height,
        thumbnail,
      };
      if (carriesMetadata(metadata)) {
        const withoutMetadata = await reencode(original, metadata.format);
        if (withoutMetadata) info.withoutMetadata = withoutMetadata;
      }
      return info;
    } catch {
      source.destroy();
      return undefined;
    }
  }
}

/** EXIF, XMP, IPTC or comments: what can say where a photo was taken, and by which camera. */
function carriesMetadata(metadata: Metadata): boolean {
  return Boolean(metadata.exif || metadata.xmp || metadata.iptc || metadata.comments?.length);
}

/**
 * The same picture in the same format, upright, with no metadata (sharp writes none unless
 * asked); high quality, since this replaces what the uploader sent. Undefined for a format
 * sharp cannot write back (the original is then served as it came).
 */
async function reencode(image: Sharp, format: Metadata['format']): Promise<Buffer | undefined> {
  const upright = image.rotate();
  switch (format) {
    case 'jpeg':
      return upright.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'png':
      return upright.png().toBuffer();
    case 'webp':
      return upright.webp({ quality: 92 }).toBuffer();
    case 'heif':
      return upright.avif({ quality: 70 }).toBuffer();
    case 'tiff':
      return upright.tiff().toBuffer();
    default:
      return undefined;
  }
}
