/**
 * The Content-Type and Content-Disposition a file is served with, as header values: built once
 * here so the bytes carry the same headers whether this server streams them or S3 serves them
 * from a presigned URL.
 */

/** Text types are declared UTF-8, so a browser never guesses another charset. */
export function contentTypeHeader(contentType: string): string {
  return contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType;
}

/** RFC 6266 filename parameters: an ASCII fallback and the exact UTF-8 name. */
export function dispositionHeader(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
