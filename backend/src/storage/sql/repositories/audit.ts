import type { AuditEventType } from '@parley/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { AuditCursor, AuditRepository } from '../../../core/ports/database.js';
import type { AuditDetails, AuditRecord } from '../../../core/ports/records.js';
import type { AuditEventsTable, Tables } from '../schema.js';

export class SqlAudit implements AuditRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async append(event: AuditRecord): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: event.id,
        at: event.at,
        type: event.type,
        actor_id: event.actorId,
        target_id: event.targetId,
        ip: event.ip,
        details: JSON.stringify(event.details),
      })
      .execute();
  }

  async list(query: { before?: AuditCursor; limit: number }): Promise<AuditRecord[]> {
    const { before } = query;
    let select = this.db.selectFrom('audit_events').selectAll();
    if (before && 'at' in before) {
      select = select.where('at', '<', before.at);
    } else if (before) {
      // Older than the named event: an earlier time, or the same time and a smaller id.
      const cursor = this.db.selectFrom('audit_events').where('id', '=', before.id);
      select = select.where((eb) =>
        eb.or([
          eb('at', '<', cursor.select('at')),
          eb.and([eb('at', '=', cursor.select('at')), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: Selectable<AuditEventsTable>): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    type: row.type as AuditEventType,
    actorId: row.actor_id,
    targetId: row.target_id,
    ip: row.ip,
    details: JSON.parse(row.details) as AuditDetails,
  };
}
