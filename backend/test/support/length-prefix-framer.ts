/**
 * A stand-in for the transport's framing in unit tests: each frame is a 4-byte length and the
 * payload, so a test can split what a socket was written back into frames.
 */
import type { WireFramer } from '../../src/core/delivery/wire-framer.js';

export const lengthPrefixFramer: WireFramer = {
  frame(payload: Buffer): Buffer {
    const frame = Buffer.allocUnsafe(4 + payload.length);
    frame.writeUInt32BE(payload.length, 0);
    payload.copy(frame, 4);
    return frame;
  },
};

export function unframe(bytes: Buffer): Buffer[] {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    payloads.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return payloads;
}
