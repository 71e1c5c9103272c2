/** Web Push storage over migration 016: the one VAPID key pair and the subscriptions. */
import type { NotifyLevel } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { PushRepository, PushSubscriptionRecord, VapidKeys } from '../../../core/ports/push.js';
import type { Tables } from '../schema.js';

export class SqlPush implements PushRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async vapidKeys(candidate: VapidKeys, now: string): Promise<VapidKeys> {
    // Insert-if-absent on the one row: instances starting together all end up with the winner's.
    await this.db
      .insertInto('vapid_keys')
      .values({ id: 1, public_key: candidate.publicKey, private_key: candidate.privateKey, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('vapid_keys')
      .select(['public_key', 'private_key'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  async subscribe(subscription: PushSubscriptionRecord): Promise<void> {
    await this.db
      .insertInto('push_subscriptions')
      .values({
        id: subscription.id,
        user_id: subscription.userId,
        session_id: subscription.sessionId,
        endpoint: subscription.endpoint,
        p256dh: subscription.p256dh,
        auth: subscription.auth,
        created_at: subscription.createdAt,
      })
      .onConflict((oc) =>
        oc.column('endpoint').doUpdateSet({
          user_id: subscription.userId,
          session_id: subscription.sessionId,
          p256dh: subscription.p256dh,
          auth: subscription.auth,
          created_at: subscription.createdAt,
        }),
      )
      .execute();
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('push_subscriptions')
      .where('user_id', '=', userId)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async forgetEndpoint(endpoint: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute();
  }

  async anySubscription(): Promise<boolean> {
    const row = await this.db.selectFrom('push_subscriptions').select('id').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async subscriptionsInRoom(
    roomId: string,
    exceptUserId: string,
    now: string,
  ): Promise<(PushSubscriptionRecord & { notifyLevel: NotifyLevel | null })[]> {
    const rows = await this.db
      .selectFrom('push_subscriptions as ps')
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.user_id', '=', 'ps.user_id').on('ms.room_id', '=', roomId),
      )
      // A device signed out (or whose session was revoked or expired) gets nothing more.
      .innerJoin('sessions as s', (join) =>
        join
          .onRef('s.id', '=', 'ps.session_id')
          .onRef('s.user_id', '=', 'ps.user_id')
          .on('s.revoked_at', 'is', null)
          .on('s.expires_at', '>', now),
      )
      .select([
        'ps.id',
        'ps.user_id',
        'ps.session_id',
        'ps.endpoint',
        'ps.p256dh',
        'ps.auth',
        'ps.created_at',
        'ms.notify_level',
      ])
      .where('ps.user_id', '<>', exceptUserId)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      sessionId: row.session_id,
      endpoint: row.endpoint,
      p256dh: row.p256dh,
      auth: row.auth,
      createdAt: row.created_at,
      notifyLevel: (row.notify_level as NotifyLevel | null) ?? null,
    }));
  }
}
