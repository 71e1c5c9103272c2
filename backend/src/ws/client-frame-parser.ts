/**
 * Reads a client's text frame into a typed command: JSON, then the contract's schema. What
 * cannot be read becomes a refusal with the contract's code and, when one can be found, the
 * frame's `ref`, so the client can match it to what it sent.
 */
import { type ClientFrame, clientFrame, fieldErrors } from '@parley/protocol';

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: 'invalid_json' | 'validation_failed'; message: string; ref: string | undefined };

export const notText: ParsedFrame = {
  ok: false,
  code: 'invalid_json',
  message: 'Frames must be JSON text.',
  ref: undefined,
};

export function parseClientFrame(text: string): ParsedFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'Frames must be JSON.', ref: undefined };
  }
  const parsed = clientFrame.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const summary = fieldErrors(parsed.error)
    .map((field) => `${field.path} ${field.message}`)
    .join('; ');
  return { ok: false, code: 'validation_failed', message: `Invalid frame: ${summary}`, ref: refOf(raw) };
}

/** The `ref` of a frame that failed validation, when it is usable. */
export function refOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const ref = (raw as { ref?: unknown }).ref;
  return typeof ref === 'string' && ref.length <= 128 ? ref : undefined;
}

/** The ref of a parsed frame, whatever its type. */
export function refOfFrame(parsed: ParsedFrame): string | undefined {
  if (!parsed.ok) return parsed.ref;
  return 'ref' in parsed.frame ? parsed.frame.ref : undefined;
}
