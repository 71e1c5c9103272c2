/**
 * Creating a message: the one place a message (and its file) is written, as the projection of a
 * `message.created` event taken in the same transaction. The job worker calls it for each
 * accepted job (jobs/job-processor.ts).
 */
import type { EventBase, Message, UserRef } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { newId } from '../ids.js';
import type { FileRecord, MessageRecord } from '../ports/records.js';
import { appendEvent } from '../rooms/room-log.js';
import type { Transaction } from '../unit-of-work.js';

export type MessageCreated = EventBase<'message.created', { message: Message }>;

export interface NewMessage {
  roomId: string;
  author: UserRef;
  text: string;
  replyTo: string | undefined;
  file: FileRecord | undefined;
}

export async function createMessage(tx: Transaction, input: NewMessage): Promise<MessageCreated> {
  return appendEvent<MessageCreated>(tx, input.roomId, input.author, async (seq, at) => {
    if (input.file) await tx.files.insert(input.file);
    const record: MessageRecord = {
      id: newId(),
      roomId: input.roomId,
      seq,
      authorId: input.author.id,
      text: input.text,
      replyTo: input.replyTo ?? null,
      fileId: input.file?.id ?? null,
      createdAt: at,
      editedAt: null,
      deletedAt: null,
    };
    const message = await tx.messages.insert(record, toUserRef(input.author), input.file);
    return { type: 'message.created', data: { message } };
  });
}
