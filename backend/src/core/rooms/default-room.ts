import { nowIso } from '../clock.js';
import { newId } from '../ids.js';
import type { Database } from '../ports/database.js';

export const DEFAULT_ROOM_SLUG = 'general';

/** The public room every account belongs to; created on first start. */
export async function ensureDefaultRoom(db: Database): Promise<void> {
  if (await db.rooms.findBySlug(DEFAULT_ROOM_SLUG)) return;
  await db.rooms.insert({
    id: newId(),
    slug: DEFAULT_ROOM_SLUG,
    name: 'general',
    topic: 'Everyone, everything.',
    visibility: 'public',
    lastSeq: 0,
    createdAt: nowIso(),
    dmKey: null,
  });
}
