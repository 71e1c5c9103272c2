import { defaultNotifyLevel, type NotifyLevel, type Room, type RoomRole } from '@parley/protocol';
import type { RoomRecord } from '../ports/records.js';

export const toRoom = (
  record: RoomRecord,
  role: RoomRole | null,
  ackSeq = 0,
  chosenNotifyLevel?: NotifyLevel | null,
): Room => ({
  id: record.id,
  slug: record.slug,
  name: record.name,
  topic: record.topic,
  visibility: record.visibility,
  lastSeq: record.lastSeq,
  membership: role,
  ackSeq,
  // Only a member has a level; one who never chose gets the default for the room's kind.
  ...(role === null ? {} : { notifyLevel: chosenNotifyLevel ?? defaultNotifyLevel(record.visibility) }),
});
