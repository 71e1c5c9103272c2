/** Avatars with sharp: a centred square crop of the (first frame of the) image, as WebP. */
import sharp from 'sharp';
import type { AvatarImager, AvatarImages } from '../core/ports/avatar-imager.js';

/** Refuse decompression bombs, as thumbnails do (sharp-media-inspector.ts). */
const MAX_PIXELS = 100_000_000;

export class SharpAvatarImager implements AvatarImager {
  async square(bytes: Buffer, edges: { edge: number; smallEdge: number }): Promise<AvatarImages | undefined> {
    try {
      // rotate() applies the EXIF orientation; WebP output carries no metadata unless asked.
      const upright = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
      const at = (edge: number) =>
        upright
          .clone()
          .resize(edge, edge, { fit: 'cover', position: 'centre' })
          .webp({ quality: 82 })
          .toBuffer();
      const [large, small] = await Promise.all([at(edges.edge), at(edges.smallEdge)]);
      return { large, small };
    } catch {
      return undefined;
    }
  }
}
