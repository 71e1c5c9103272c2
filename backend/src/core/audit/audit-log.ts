/**
 * The audit log: who did what to whom, from which address. Entries are written with the change
 * they record (`tx.audit.append` inside `UnitOfWork.run`), so a rolled-back change leaves none;
 * only failed sign-ins, which change nothing, are written on their own.
 */
import type { AuditEvent, AuditEventType, AuditTarget } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { newId } from '../ids.js';
import type { AuditRepository } from '../ports/database.js';
import type { AuditDetails, AuditRecord, UserRecord } from '../ports/records.js';

export interface AuditEntry {
  type: AuditEventType;
  /** Who did it; absent for a failed sign-in. */
  actorId?: string;
  /** The account, session or job it was done to (which one follows from the type). */
  targetId?: string;
  /** The client address as the edge saw it. */
  clientAddress?: string | undefined;
  details?: AuditDetails;
}

/** Appends one entry at `at` (an ISO time). */
export async function audit(log: { audit: AuditRepository }, at: string, entry: AuditEntry): Promise<void> {
  const ip = entry.clientAddress && entry.clientAddress !== 'unknown' ? entry.clientAddress : null;
  const record: AuditRecord = {
    id: newId(),
    at,
    type: entry.type,
    actorId: entry.actorId ?? null,
    targetId: entry.targetId ?? null,
    ip,
    details: entry.details ?? {},
  };
  await log.audit.append(record);
}

/** What kind of thing each type's target is. */
const TARGET_KINDS: Partial<Record<AuditEventType, AuditTarget['kind']>> = {
  'session.revoked': 'session',
  'user.deactivated': 'user',
  'room.role_changed': 'user',
  'member.removed': 'user',
  'dlq.retried': 'job',
};

/** The ids of the accounts these entries name (actors and user targets), to look up once. */
export function accountsNamedBy(records: AuditRecord[]): string[] {
  const ids = new Set<string>();
  for (const record of records) {
    if (record.actorId) ids.add(record.actorId);
    if (record.targetId && TARGET_KINDS[record.type] === 'user') ids.add(record.targetId);
  }
  return [...ids];
}

/** An entry as the API answers it, with the accounts it names (when they still exist). */
export function toAuditEvent(record: AuditRecord, accounts: Map<string, UserRecord>): AuditEvent {
  const actor = record.actorId ? accounts.get(record.actorId) : undefined;
  const kind = TARGET_KINDS[record.type];
  let target: AuditTarget | undefined;
  if (record.targetId && kind) {
    const user = kind === 'user' ? accounts.get(record.targetId) : undefined;
    target = { kind, id: record.targetId, ...(user ? { user: toUserRef(user) } : {}) };
  }
  return {
    id: record.id,
    at: record.at,
    type: record.type,
    ...(actor ? { actor: toUserRef(actor) } : {}),
    ...(target ? { target } : {}),
    ...(record.ip ? { ip: record.ip } : {}),
    details: record.details,
  };
}
