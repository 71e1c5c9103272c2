/**
 * Time, as the contract writes it (ISO-8601 UTC). Code whose behaviour depends on when it runs
 * (session expiry) takes a Clock, so tests can move time instead of waiting for it.
 */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const isoAt = (clock: Clock, offsetMs = 0): string => new Date(clock.nowMs() + offsetMs).toISOString();

/** The current time as the contract's ISO-8601 UTC string. */
export const nowIso = (): string => new Date().toISOString();

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
