/**
 * What a client may ask on its socket, already parsed and validated by the WebSocket edge:
 * resume, ack, send, typing, presence (away or back), ping. Refusals are thrown as AppErrors, which the edge turns into
 * `error` frames with the frame's `ref`.
 */
import type { ClientFrame } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import type { JobsService } from '../jobs/jobs-service.js';
import type { FanOut } from '../ports/fan-out.js';
import type { ReceiptsService } from '../receipts/receipts-service.js';
import type { AwayStatus } from './away-status.js';
import type { Connection } from './connection.js';

export class ClientCommands {
  constructor(
    private readonly jobs: JobsService,
    private readonly receipts: ReceiptsService,
    private readonly fanOut: FanOut,
    private readonly awayStatus: AwayStatus,
  ) {}

  async run(connection: Connection, frame: ClientFrame): Promise<void> {
    const principal = connection.principal;
    switch (frame.type) {
      case 'resume':
        connection.resume(frame.cursors);
        return;
      case 'ack':
        await this.receipts.acknowledge(principal, frame.roomId, frame.seq);
        return;
      case 'send': {
        const body = {
          type: 'message' as const,
          roomId: frame.roomId,
          text: frame.text,
          replyTo: frame.replyTo,
          alsoToRoom: frame.alsoToRoom,
        };
        const { job } = await this.jobs.submitMessage(principal, body, frame.idempotencyKey);
        connection.send({ type: 'sent', ref: frame.ref, job });
        return;
      }
      case 'typing':
        // Ephemeral: nothing is stored, so it is published at once, and only for a room of theirs.
        if (!connection.roomIds().includes(frame.roomId)) return;
        this.fanOut.publish({
          kind: 'room-frame',
          roomId: frame.roomId,
          frame: { type: 'typing', roomId: frame.roomId, user: toUserRef(principal.user) },
          exceptUserId: principal.user.id,
        });
        return;
      case 'presence':
        // Only a started connection counts: before `ready` it has no rooms to tell.
        if (!connection.isStarting) this.awayStatus.report(connection, frame.status === 'away');
        return;
      case 'ping':
        connection.send(frame.ref === undefined ? { type: 'pong' } : { type: 'pong', ref: frame.ref });
        return;
    }
  }
}
