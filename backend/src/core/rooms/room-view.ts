import type { Room, RoomRole } from '@parley/protocol';
import type { RoomRecord } from '../ports/records.js';

export const toRoom = (record: RoomRecord, role: RoomRole | null, ackSeq = 0): Room => ({
  id: record.id,
  slug: record.slug,
  name: record.name,
  topic: record.topic,
  visibility: record.visibility,
  lastSeq: record.lastSeq,
  membership: role,
  ackSeq,
});
