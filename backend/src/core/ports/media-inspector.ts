import type { Readable } from 'node:stream';

export interface ImageInfo {
  width: number;
  height: number;
  /** A small preview (WebP), when one could be made. */
  thumbnail?: Buffer;
  /**
   * The image again, in its own format, without the metadata it carried (EXIF with GPS
   * position and camera serials, XMP, IPTC, comments), turned upright; present only when the
   * original carried any. What is served instead of the uploaded bytes.
   */
  withoutMetadata?: Buffer;
}

/** Looks inside uploaded bytes: what they really are, and for images their size and a preview. */
export interface MediaInspector {
  /** The media type the bytes show (not the one the client declared), or undefined. */
  sniff(head: Buffer): Promise<string | undefined>;
  /** Dimensions and a thumbnail of a raster image; undefined when it cannot be decoded. */
  inspectImage(source: Readable): Promise<ImageInfo | undefined>;
}
