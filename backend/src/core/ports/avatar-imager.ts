/** Makes the square pictures of an avatar from an uploaded image. */

export interface AvatarImages {
  /** `edge` × `edge` WebP. */
  large: Buffer;
  /** `smallEdge` × `smallEdge` WebP. */
  small: Buffer;
}

export interface AvatarImager {
  /**
   * The image cropped to a centred square (cover), turned upright, without its metadata, at
   * both sizes; undefined when the bytes cannot be decoded as an image (or are too many pixels).
   */
  square(bytes: Buffer, edges: { edge: number; smallEdge: number }): Promise<AvatarImages | undefined>;
}
