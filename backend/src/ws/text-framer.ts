/**
 * WebSocket text frames built by hand (RFC 6455 §5.2), so the hub can frame an event once and
 * write the same bytes to many sockets: `ws` frames every `send` anew for each socket. Frames
 * from a server are never masked, and compression is off, so a frame is a 2-, 4- or 10-byte
 * header and the payload.
 */
import type { WireFramer } from '../core/delivery/wire-framer.js';

const FIN_TEXT = 0x81;

export const textFramer: WireFramer = {
  frame(payload: Buffer): Buffer {
    const length = payload.length;
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLength + length);
    frame[0] = FIN_TEXT;
    if (length < 126) {
      frame[1] = length;
    } else if (length < 65_536) {
      frame[1] = 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    payload.copy(frame, headerLength);
    return frame;
  },
};
