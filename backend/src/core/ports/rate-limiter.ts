/** Counts actions per key in a window: in-process by default, Redis when scaled out. */
export interface RateLimiter {
  /** Takes one unit; when none is left, says how long until one is. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  /** Gives back a unit taken for something that turned out not to count (a replay). */
  refund(key: string): Promise<void>;
}

/** A limiter that never limits (a limit of 0 turns limiting off). */
export const unlimited: RateLimiter = { consume: async () => ({ allowed: true }), refund: async () => {} };

/** Counts failures per key in a window (password guessing); successes are not counted. */
export interface FailureLimiter {
  /** Seconds until the key may try again; 0 when it may now. */
  blockedFor(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
}

export const neverBlocked: FailureLimiter = {
  blockedFor: async () => 0,
  recordFailure: async () => {},
};
