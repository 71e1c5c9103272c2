/**
 * Creating a message: the one place a message (and its file) is written, as the projection of a
 * `message.created` event taken in the same transaction. The job worker calls it for each
 * accepted job (jobs/job-processor.ts).
 */
import type { EventBase, Message, UserRef } from '@parley/protocol';
import { toUserRef } from '../accounts/principal.js';
import { newId } from '../ids.js';
import { recordMentions } from '../inbox/record-mentions.js';
import type { FileRecord, MessageRecord } from '../ports/records.js';
import { appendEvent, appendEvents } from '../rooms/room-log.js';
import type { Transaction } from '../unit-of-work.js';

export type MessageCreated = EventBase<'message.created', { message: Message }>;

export interface NewMessage {
  roomId: string;
  /** A stored user carries its avatar version, which the message's view shows as its URL. */
  author: UserRef & { avatarVersion?: string | null };
  text: string;
  replyTo: string | undefined;
  /** With `replyTo`: shown in the room's timeline too. */
  alsoToRoom?: boolean;
  file: FileRecord | undefined;
}

export async function createMessage(tx: Transaction, input: NewMessage): Promise<MessageCreated> {
  // The replied message was checked at submission; a reply joins its thread (or starts one on it).
  // Read in this transaction, so a reply to a reply committed in the same batch finds its thread.
  const replied = input.replyTo ? await tx.messages.findRecord(input.replyTo) : undefined;
  const threadId = replied ? (replied.threadId ?? replied.id) : null;
  return appendEvent<MessageCreated>(tx, input.roomId, input.author, async (seq, at) => {
    if (input.file) await tx.files.insert(input.file);
    const record: MessageRecord = {
      id: newId(),
      roomId: input.roomId,
      seq,
      authorId: input.author.id,
      text: input.text,
      replyTo: replied ? replied.id : null,
      threadId,
      alsoToRoom: threadId !== null && input.alsoToRoom === true,
      fileId: input.file?.id ?? null,
      createdAt: at,
      editedAt: null,
      deletedAt: null,
    };
    const message = await tx.messages.insert(
      record,
      { ...toUserRef(input.author), avatarVersion: input.author.avatarVersion ?? null },
      input.file,
    );
    if (threadId) await tx.messages.recordReply(threadId, toUserRef(input.author), at);
    await recordMentions(tx, record, replied?.authorId);
    return { type: 'message.created', data: { message } };
  });
}

/** A message that is neither a reply nor carries a file: what a batch of jobs mostly holds. */
export interface NewPlainMessage {
  author: UserRef & { avatarVersion?: string | null };
  text: string;
}

/**
 * Creates several plain messages of one room as createMessage would one by one (the same rows,
 * events and seqs, in the order given), with a few multi-row statements instead of four per
 * message.
 */
export async function createMessages(
  tx: Transaction,
  roomId: string,
  inputs: NewPlainMessage[],
): Promise<MessageCreated[]> {
  return appendEvents<MessageCreated>(
    tx,
    roomId,
    inputs.map((input) => input.author),
    async (seqs, at) => {
      const rows = inputs.map((input, index) => ({
        message: {
          id: newId(),
          roomId,
          seq: seqs[index]!,
          authorId: input.author.id,
          text: input.text,
          replyTo: null,
          threadId: null,
          alsoToRoom: false,
          fileId: null,
          createdAt: at,
          editedAt: null,
          deletedAt: null,
        } satisfies MessageRecord,
        author: { ...toUserRef(input.author), avatarVersion: input.author.avatarVersion ?? null },
      }));
      const messages = await tx.messages.insertMany(rows);
      // Who each one calls on, as createMessage records it (a message naming nobody costs no query).
      for (const row of rows) await recordMentions(tx, row.message, undefined);
      return messages.map((message) => ({ type: 'message.created' as const, data: { message } }));
    },
  );
}
