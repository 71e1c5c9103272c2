/** Counts actions per key in a window: in-process by default, Redis when scaled out. */
export interface RateLimiter {
  /** Takes one unit; when none is left, says how long until one is. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

/** A limiter that never limits (a limit of 0 turns limiting off). */
export const unlimited: RateLimiter = { consume: async () => ({ allowed: true }) };
