/**
 * What type a stored file is served as. The bytes decide, not the uploader: a binary format
 * recognised by its magic number wins; text keeps a declared textual type; anything else is
 * an opaque download.
 */
const TEXTUAL_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'image/svg+xml',
]);

/** Types a browser shows without running anything; every other type is sent as an attachment. */
const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'text/plain',
  'application/pdf',
]);

export function decideContentType(sniffed: string | undefined, declared: string, head: Buffer): string {
  if (sniffed) return sniffed;
  const declaredBase = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  if (looksLikeText(head)) {
    return declaredBase.startsWith('text/') || TEXTUAL_TYPES.has(declaredBase) ? declaredBase : 'text/plain';
  }
  return 'application/octet-stream';
}

export function isInlineSafe(contentType: string): boolean {
  return INLINE_SAFE.has(contentType) || /^(audio|video)\//.test(contentType);
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sniffed window; ignore the last 3 bytes.
  const sample = head.length > 3 ? head.subarray(0, head.length - 3) : head;
  return !new TextDecoder('utf-8', { fatal: false }).decode(sample).includes('\uFFFD');
}
