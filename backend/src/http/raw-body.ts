/**
 * Reads a request body sent as the bytes themselves (`PUT /me/avatar`), up to a limit: a
 * declared length over it is refused before a byte is read, and a body that grows past it
 * mid-way stops being read. Small enough limits only (it is held in memory).
 */
import type { Request } from 'express';
import { fileTooLarge } from '../core/errors.js';

export async function readBodyUpTo(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw fileTooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > maxBytes) throw fileTooLarge(maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, length);
}
