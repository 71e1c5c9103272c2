import { createHash } from 'node:crypto';

/**
 * A fingerprint of what a request asks for, so a retried request (same key, same payload)
 * is told apart from a key reused for something else.
 */
export function requestHash(parts: (string | number | null | undefined)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest('hex');
}
