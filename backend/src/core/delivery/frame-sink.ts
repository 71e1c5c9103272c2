/** The little the delivery core needs of a socket, so it does not depend on a WebSocket library. */
export interface FrameSink {
  /** Sends one text frame (a Buffer holds its UTF-8 bytes, already encoded). */
  send(data: string | Buffer): void;
  /** Writes bytes that are already whole frames (see WireFramer), in order with `send`. */
  sendFramed(bytes: Buffer): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
}
