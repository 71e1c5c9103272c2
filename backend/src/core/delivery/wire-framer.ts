/**
 * Wraps a payload in the transport's framing (a WebSocket text frame). The transport gives one
 * to the hub so that an event is framed once and the same bytes are written to every socket of
 * its room, and so that several frames for one socket can leave in a single write.
 */
export interface WireFramer {
  frame(payload: Buffer): Buffer;
}

/** Bytes that are already one or more whole frames on the wire (made by a WireFramer). */
export class WireBytes {
  constructor(readonly bytes: Buffer) {}
}
