import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * Random bytes for ids are drawn from a pool refilled 4 KiB at a time: asking the system for 16
 * bytes per id cost about 7 µs each (two ids per message, on the ingest path), a refill of 256
 * ids' worth costs about the same once. The bytes are as random; they only come in bulk.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function sixteenRandomBytes(): Uint8Array {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/**
 * uuid's own v7 state (a counter within one millisecond, so ids made in the same millisecond
 * still sort in the order they were made) applies only when it draws the random bytes itself,
 * so it is kept here, as uuid keeps it: a new millisecond starts the counter from 31 random
 * bits, a repeated one adds one (and borrows the next millisecond if it wraps).
 */
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/** Time-ordered unique ids (UUIDv7): sortable, index-friendly, opaque to clients. */
export const newId = (): string => {
  const random = sixteenRandomBytes();
  const now = Date.now();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq });
};

/** A secret for a bearer token or ticket: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as their SHA-256, so a database leak reveals no usable token. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
