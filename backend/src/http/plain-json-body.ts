/**
 * The JSON body of the lean `POST /jobs` edge, read as `express.json()` (body-parser) would, for
 * the one shape it takes on: `Content-Type: application/json` (charset UTF-8 or none), a
 * `Content-Length`, no `Content-Encoding`, no `Transfer-Encoding`. Any other request is left to
 * Express, which parses (or refuses) it as before; so both edges answer alike by construction
 * where this one steps aside, and by the same limits and errors where it does not.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AppError } from '../core/errors.js';

/**
 * A content type `type-is` and `content-type` read as `application/json` with a UTF-8 (or no)
 * charset. Deliberately narrow: what it misses is parsed by Express.
 */
const PLAIN_JSON = /^application\/json(?: *; *charset *= *(?:utf-8|"utf-8") *)?$/i;
const DECIMAL = /^\d{1,15}$/;

/** The declared length of a body this module reads, or undefined for a request it leaves to Express. */
export function plainJsonLength(headers: IncomingHttpHeaders): number | undefined {
  const type = headers['content-type'];
  const length = headers['content-length'];
  if (type === undefined || length === undefined || !PLAIN_JSON.test(type) || !DECIMAL.test(length)) {
    return undefined;
  }
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined)
    return undefined;
  return Number(length);
}

/** The errors body-parser raises, as error-response.ts maps them (same codes, same messages). */
const tooLarge = () => new AppError('payload_too_large', 'The body is too large.');
const notJson = () => new AppError('invalid_json', 'The body is not valid JSON.');
const unreadable = () => new AppError('invalid_json', 'The body could not be read.');

/**
 * Reads and parses the body. Over the limit by its declared length: the body is read off (as
 * body-parser does) and then refused, 413. Empty: `{}` (body-parser's leniency, so validation
 * names the missing fields). Anything but an object or array at the top: 400, as body-parser's
 * strict mode.
 */
export async function readPlainJsonBody(
  req: IncomingMessage,
  declaredLength: number,
  limit: number,
): Promise<unknown> {
  if (declaredLength > limit) {
    await drain(req);
    throw tooLarge();
  }
  const bytes = await readAll(req, declaredLength);
  return parseStrictJson(bytes.toString('utf8'));
}

function readAll(req: IncomingMessage, declaredLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let complete = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.once('end', () => {
      complete = true;
      // Node frames the body by Content-Length, so a short body can only be a cut connection.
      if (received !== declaredLength) return reject(unreadable());
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    });
    req.once('error', () => reject(unreadable()));
    req.once('close', () => {
      if (!complete) reject(unreadable());
    });
  });
}

/** Waits until the client has sent the whole body (thrown away), or gone. */
function drain(req: IncomingMessage): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.resume();
  });
}

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** body-parser's strict JSON: a leading BOM dropped (its UTF-8 decoder does), `{}` for nothing. */
function parseStrictJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  let first = 0;
  while (first < body.length && JSON_WHITESPACE.has(body[first] as string)) first++;
  if (body[first] !== '{' && body[first] !== '[') throw notJson();
  try {
    return JSON.parse(body);
  } catch {
    throw notJson();
  }
}
