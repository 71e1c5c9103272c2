/**
 * Time, as the contract writes it (ISO-8601 UTC). Code whose behaviour depends on when it runs
 * (session expiry) takes a Clock, so tests can move time instead of waiting for it.
 */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const isoAt = (clock: Clock, offsetMs = 0): string => new Date(clock.nowMs() + offsetMs).toISOString();

const lastIso = { ms: Number.NaN, text: '' };

/**
 * The current time as the contract's ISO-8601 UTC string. Formatted once per millisecond: a
 * message asks for the time several times on its way (job, message, event, completion), and
 * under load many messages share a millisecond.
 */
export const nowIso = (): string => {
  const ms = Date.now();
  if (ms !== lastIso.ms) {
    lastIso.ms = ms;
    lastIso.text = new Date(ms).toISOString();
  }
  return lastIso.text;
};

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
