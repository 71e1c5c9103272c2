/** Forgets what is kept only for a while: idempotency keys after a day, expired WebSocket tickets. */
import { nowIso } from '../clock.js';
import type { Database } from '../ports/database.js';

const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600 * 1000;

export async function housekeeping(db: Database): Promise<void> {
  await db.jobs.forgetKeysBefore(new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS).toISOString());
  await db.tickets.deleteExpired(nowIso());
}
