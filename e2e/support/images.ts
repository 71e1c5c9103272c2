import sharp from 'sharp';

/** A real PNG (a sky-to-sea scene drawn from SVG), made in memory, to upload as an attachment. */
export function makePng(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#5b45d6"/><stop offset="0.6" stop-color="#f08a5d"/>
      <stop offset="1" stop-color="#ffd07a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <circle cx="${width / 2}" cy="${height * 0.62}" r="${height / 5}" fill="#fff3c4"/>
    <rect y="${height * 0.7}" width="100%" height="${height * 0.3}" fill="#2a2140" opacity="0.85"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
