/**
 * Validation schemas for every request body, query and client frame of the contract.
 * The server validates at its edge with these; the web app uses them to check input early.
 */
import { z } from 'zod';
import type { FieldError } from './errors.js';
import { codePointLength, LIMITS } from './limits.js';

/**
 * zod compiles validators with `new Function` when it may, which a strict Content-Security-Policy
 * (no 'unsafe-eval', as the web app is served) refuses and reports. The web app calls this
 * before validating anything; the server keeps the faster compiled validators.
 */
export function validateWithoutEval(): void {
  z.config({ jitless: true });
}

/**
 * No text may hold U+0000: PostgreSQL cannot store it in a text column, and nobody types it.
 * Refused the same way on every engine, so a request means the same thing on each.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing U+0000 is the point
const NUL_FREE = /^[^\u0000]*$/;
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** A string of at most `max` UTF-16 units, without U+0000. */
const plainString = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, 'is too long').regex(NUL_FREE, NUL_MESSAGE);

/** A string whose length in Unicode code points is within [min, max], optionally trimmed first. */
export function codePoints(min: number, max: number, options: { trim?: boolean } = {}) {
  const base = options.trim ? z.string().trim() : z.string();
  return base.superRefine((value, ctx) => {
    if (!NUL_FREE.test(value)) {
      ctx.addIssue({ code: 'custom', message: NUL_MESSAGE });
      return;
    }
    const length = codePointLength(value);
    if (length < min) {
      ctx.addIssue({
        code: 'custom',
        message: min === 1 ? 'must not be empty' : `must be at least ${min} characters`,
      });
    } else if (length > max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
    }
  });
}

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'is not a valid id')
  .regex(NUL_FREE, 'is not a valid id');

export const usernameSchema = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        new RegExp(`^[a-z0-9_.-]{${LIMITS.usernameMin},${LIMITS.usernameMax}}$`),
        `must be ${LIMITS.usernameMin}-${LIMITS.usernameMax} of a-z 0-9 _ . -`,
      ),
  );

export const registerBody = z.object({
  username: usernameSchema,
  password: codePoints(LIMITS.passwordMin, LIMITS.passwordMax),
  displayName: codePoints(1, LIMITS.displayNameMax, { trim: true }).optional(),
});
export type RegisterBody = z.infer<typeof registerBody>;

export const loginBody = z.object({
  username: plainString(256),
  password: plainString(4096),
});
export type LoginBody = z.infer<typeof loginBody>;

export const messageText = codePoints(1, LIMITS.textMax, { trim: true });

/** A file name: no path, no control characters, not only dots. */
export const fileNameSchema = codePoints(1, LIMITS.fileNameMax)
  .refine((value) => !/[/\\]/.test(value), 'must not contain a path')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .refine((value) => !/[\u0000-\u001f\u007f-\u009f]/.test(value), 'must not contain control characters')
  .refine((value) => !/^\.+$/.test(value), 'must not be only dots');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export const contentTypeSchema = z
  .string()
  .max(255, 'is too long')
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'must be a media type like image/png');

export const messageJobBody = z.object({
  type: z.literal('message'),
  roomId: id,
  text: messageText,
  replyTo: id.optional(),
  /** With `replyTo`: show the reply in the room's timeline too (threads.ts). */
  alsoToRoom: z.boolean().optional(),
});
export type MessageJobBody = z.infer<typeof messageJobBody>;

export const fileJobBody = z.object({
  type: z.literal('file'),
  roomId: id,
  fileName: fileNameSchema,
  contentType: contentTypeSchema,
  data: z
    .string()
    .min(1, 'must not be empty')
    .refine((value) => BASE64.test(value), 'must be base64'),
  caption: messageText.optional(),
});
export type FileJobBody = z.infer<typeof fileJobBody>;

export const jobBody = z.discriminatedUnion('type', [messageJobBody, fileJobBody]);

/** The non-file fields of a multipart file upload. */
export const multipartFileFields = z.object({
  type: z.literal('file'),
  roomId: id,
  caption: messageText.optional(),
});

export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.idempotencyKeyMax, `must be at most ${LIMITS.idempotencyKeyMax} characters`)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');

export const editMessageBody = z.object({ text: messageText });

export const createRoomBody = z.object({
  name: codePoints(1, LIMITS.roomNameMax, { trim: true }),
  slug: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(
      z
        .string()
        .regex(
          new RegExp(`^[a-z0-9-]{${LIMITS.slugMin},${LIMITS.slugMax}}$`),
          `must be ${LIMITS.slugMin}-${LIMITS.slugMax} of a-z 0-9 -`,
        ),
    )
    .optional(),
  visibility: z.enum(['public', 'private']),
  topic: codePoints(0, LIMITS.topicMax).optional(),
});
export type CreateRoomBody = z.infer<typeof createRoomBody>;

export const updateRoomBody = z
  .object({
    name: codePoints(1, LIMITS.roomNameMax, { trim: true }).optional(),
    topic: codePoints(0, LIMITS.topicMax).optional(),
  })
  .refine((body) => body.name !== undefined || body.topic !== undefined, {
    message: 'give a name or a topic',
    path: ['name'],
  });
export type UpdateRoomBody = z.infer<typeof updateRoomBody>;

export const settingsBody = z.object({ shareReadReceipts: z.boolean() });

/** `POST /me/password`: the new password follows the rules of `registerBody`. */
export const changePasswordBody = z.object({
  currentPassword: plainString(4096),
  newPassword: registerBody.shape.password,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const memberRoleBody = z.object({ role: z.enum(['admin', 'member']) });

export const usernameBody = z.object({
  username: plainString(256),
});

/** A direct message with one user (`username`) or a group of up to 8 people (`usernames`). */
export const createDmBody = z.union([
  usernameBody,
  z.object({
    usernames: z
      .array(plainString(256))
      .min(1, 'name at least one person')
      .max(7, 'a group DM has at most 8 people'),
  }),
]);
export type CreateDmBody = z.infer<typeof createDmBody>;

/**
 * A whole number in a query string, written only in decimal digits: `1E2`, `0x10`, `1.00`,
 * `+5` and ` 5` are refused rather than read as numbers they only look like.
 */
const decimalQueryInt = (message: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, message)
    .transform(Number);

const seqParam = decimalQueryInt('must be a non-negative integer');

const limitParam = decimalQueryInt('must be an integer').pipe(
  z.number().min(1, 'must be at least 1').max(LIMITS.pageMax, `must be at most ${LIMITS.pageMax}`),
);

export const messagesQuery = z
  .object({
    before: seqParam.optional(),
    after: seqParam.optional(),
    limit: limitParam.default(LIMITS.pageDefault),
  })
  .refine((q) => q.before === undefined || q.after === undefined, {
    message: 'give before or after, not both',
    path: ['after'],
  });

export const eventsQuery = z.object({
  after: seqParam.default(0),
  limit: limitParam.default(LIMITS.pageDefault),
});

/** An ISO 8601 UTC time as the server writes them (`2026-01-31T12:00:00.000Z`). */
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * `GET /admin/audit`: the newest `limit` events, or those older than `before` (an event's id,
 * for the next page, or an ISO time).
 */
export const auditQuery = z.object({
  before: z
    .union([z.string().regex(isoTime), z.uuid()], { error: 'must be an event id or an ISO time' })
    .optional(),
  limit: limitParam.default(LIMITS.pageDefault),
});
export type AuditQuery = z.infer<typeof auditQuery>;

// ---- WebSocket frames, client -> server ----

const ref = z.string().max(128, 'must be at most 128 characters').optional();

export const clientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resume'),
    cursors: z.record(id, z.number().int().min(0)).default({}),
  }),
  z.object({ type: z.literal('ack'), roomId: id, seq: z.number().int().min(0) }),
  z.object({
    type: z.literal('send'),
    ref: z.string().min(1).max(128),
    roomId: id,
    text: messageText,
    replyTo: id.optional(),
    alsoToRoom: z.boolean().optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
  }),
  z.object({ type: z.literal('typing'), roomId: id }),
  /** Extension: the client says whether its user is at the keyboard (away after inactivity). */
  z.object({ type: z.literal('presence'), status: z.enum(['online', 'away']) }),
  z.object({ type: z.literal('ping'), ref }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** Turns zod issues into the contract's `details.fields` list (paths dotted). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}
