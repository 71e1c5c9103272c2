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
    // Markup a browser would run if it ever sniffed the bytes (an "image" that is HTML): named
    // for what it is, whatever was declared, so it is served as an attachment.
    const markup = markupOf(head);
    if (markup) return markup;
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

/**
 * The WHATWG MIME sniffing standard's HTML signatures (tags a browser treats as the start of an
 * HTML document), plus XML and SVG, after leading whitespace.
 */
const HTML_START =
  /^<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)(?=[\s>/]|$)/;

function markupOf(head: Buffer): 'text/html' | 'image/svg+xml' | undefined {
  const text = head
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<svg(?=[\s>/])/.test(text)) return 'image/svg+xml';
  if (text.startsWith('<?xml')) return text.includes('<svg') ? 'image/svg+xml' : 'text/html';
  if (HTML_START.test(text)) return 'text/html';
  return undefined;
}
