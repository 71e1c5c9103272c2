/** Exponential backoff with jitter: base·2^(attempt-1), capped, scaled by a random 50–100%. */
export function retryDelayMs(attempt: number, baseMs = 500, capMs = 60_000): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + Math.random() * 0.5));
}
