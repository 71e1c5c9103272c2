/**
 * What a client may say on its socket, validated and carried out. Refusals come back as
 * `error` frames with the contract's code (and the frame's `ref`); nothing a client sends can
 * crash the connection or the process.
 */
import { type ClientFrame, clientFrame, fieldErrors } from '@parley/protocol';
import { AppError } from '../errors.js';
import type { JobsService } from '../jobs/jobs-service.js';
import type { FanOut } from '../ports/fan-out.js';
import type { RoomsService } from '../rooms/rooms-service.js';
import type { Connection } from './connection.js';

export interface ClientFrameLogger {
  error(obj: object, msg: string): void;
}

export class ClientFrameHandler {
  constructor(
    private readonly jobs: JobsService,
    private readonly rooms: RoomsService,
    private readonly fanOut: FanOut,
    private readonly log: ClientFrameLogger,
  ) {}

  /** Handles one text frame; a refused first frame of a held connection closes it (4008). */
  async handle(connection: Connection, text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      if (connection.isHolding) return this.refuseHeldStart(connection, undefined);
      return this.error(connection, 'invalid_json', 'Frames must be JSON.', undefined);
    }
    const ref = refOf(raw);
    const parsed = clientFrame.safeParse(raw);
    if (connection.isHolding && (!parsed.success || parsed.data.type !== 'resume')) {
      return this.refuseHeldStart(connection, ref);
    }
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      const summary = fields.map((field) => `${field.path} ${field.message}`).join('; ');
      return this.error(connection, 'validation_failed', `Invalid frame: ${summary}`, ref);
    }
    try {
      await this.dispatch(connection, parsed.data);
    } catch (error) {
      if (error instanceof AppError) return this.error(connection, error.code, error.message, ref);
      this.log.error({ err: error }, 'frame handling failed');
      this.error(connection, 'internal', 'Something went wrong; try again.', ref);
    }
  }

  /** `?resume=1` was asked, and the first frame is not a resume (or none came in time). */
  refuseHeldStart(connection: Connection, ref: string | undefined): void {
    this.error(connection, 'resume_required', 'The first frame must be a resume.', ref);
    connection.close(4008, 'resume required');
  }

  private async dispatch(connection: Connection, frame: ClientFrame): Promise<void> {
    const principal = connection.principal;
    switch (frame.type) {
      case 'resume':
        connection.resume(frame.cursors);
        return;
      case 'ack':
        await this.rooms.acknowledge(principal, frame.roomId, frame.seq);
        return;
      case 'send': {
        const body = {
          type: 'message' as const,
          roomId: frame.roomId,
          text: frame.text,
          replyTo: frame.replyTo,
        };
        const { job } = await this.jobs.submitMessage(principal, body, frame.idempotencyKey);
        connection.send({ type: 'sent', ref: frame.ref, job });
        return;
      }
      case 'typing':
        if (!connection.roomIds().includes(frame.roomId)) return;
        this.fanOut.publish({
          kind: 'room-frame',
          roomId: frame.roomId,
          frame: {
            type: 'typing',
            roomId: frame.roomId,
            user: {
              id: principal.user.id,
              username: principal.user.username,
              displayName: principal.user.displayName,
            },
          },
          exceptUserId: principal.user.id,
        });
        return;
      case 'ping':
        connection.send(frame.ref === undefined ? { type: 'pong' } : { type: 'pong', ref: frame.ref });
        return;
    }
  }

  private error(connection: Connection, code: string, message: string, ref: string | undefined): void {
    const frame = { type: 'error' as const, code, message, ...(ref === undefined ? {} : { ref }) };
    connection.sendEncoded(JSON.stringify(frame));
  }
}

function refOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const ref = (raw as { ref?: unknown }).ref;
  return typeof ref === 'string' && ref.length <= 128 ? ref : undefined;
}
