/**
 * What travels in the fan-out workloads. Latency rides in the message text as `@@<µs>` (the
 * monotonic clock is shared by every process on the machine); baselines send a frame shaped and
 * sized like Parley's `event` frame so every server pushes comparable bytes.
 */
import { nowUs } from './histogram.js';

export type TargetKind = 'parley' | 'raw' | 'sio';

export interface WsTarget {
  kind: TargetKind;
  /** ws://host:port/ (socket.io: the engine.io path is added by the client). */
  url: string;
}

export const stampedText = (): string => `bench @@${nowUs()}`;

/** The µs stamp in a received frame, or -1 when the frame carries none. */
export function stampIn(data: Buffer): number {
  const at = data.indexOf('@@');
  if (at < 0) return -1;
  let value = 0;
  for (let i = at + 2; i < data.length; i++) {
    const digit = (data[i] ?? 0) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

const FAKE_ID = '0197a3b2-7c1d-7e4f-9a0b-1c2d3e4f5a6b';
const FAKE_USER = { id: FAKE_ID, username: 'sender', displayName: 'sender' };

/** A `message.created` event like Parley's, for the baselines to broadcast. */
export function fakeEvent(text: string): Record<string, unknown> {
  const at = new Date().toISOString();
  return {
    roomId: FAKE_ID,
    seq: 0,
    type: 'message.created',
    at,
    actor: FAKE_USER,
    data: { message: { id: FAKE_ID, roomId: FAKE_ID, seq: 0, author: FAKE_USER, text, createdAt: at } },
  };
}

export function socketUrl(target: WsTarget, query = ''): string {
  if (target.kind === 'sio') return `${target.url}socket.io/?EIO=4&transport=websocket`;
  return `${target.url}${query}`;
}
