/** Limits of the public contract. Lengths count Unicode code points. */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 256,
  displayNameMax: 64,
  roomNameMax: 80,
  slugMin: 2,
  slugMax: 64,
  topicMax: 500,
  textMax: 4000,
  fileNameMax: 255,
  idempotencyKeyMax: 255,
  pageDefault: 50,
  pageMax: 200,
  frameMaxBytes: 64 * 1024,
  wsTicketSeconds: 30,
  resumeWaitMs: 10_000,
  /** The longest `User-Agent` kept with a session; longer ones are cut. */
  userAgentMax: 200,
} as const;

/** Counts Unicode code points, as every length limit of the contract does. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
