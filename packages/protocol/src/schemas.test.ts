import { describe, expect, it } from 'vitest';
import {
  auditQuery,
  eventsQuery,
  fieldErrors,
  fileJobBody,
  messageJobBody,
  messagesQuery,
  registerBody,
} from './schemas.js';

describe('contract schemas', () => {
  it('folds usernames to lower case and checks their alphabet', () => {
    expect(registerBody.parse({ username: 'Alice', password: 'password1' }).username).toBe('alice');
    const bad = registerBody.safeParse({ username: 'al ice', password: 'password1' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(fieldErrors(bad.error)[0]?.path).toBe('username');
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = '😀'.repeat(4000);
    expect(messageJobBody.safeParse({ type: 'message', roomId: 'r', text: emoji }).success).toBe(true);
    expect(messageJobBody.safeParse({ type: 'message', roomId: 'r', text: `${emoji}😀` }).success).toBe(
      false,
    );
  });

  it('trims message text and refuses what is left empty', () => {
    expect(messageJobBody.parse({ type: 'message', roomId: 'r', text: '  hi  ' }).text).toBe('hi');
    expect(messageJobBody.safeParse({ type: 'message', roomId: 'r', text: '   ' }).success).toBe(false);
  });

  it('refuses file names with paths, control characters or only dots', () => {
    const file = { type: 'file', roomId: 'r', contentType: 'text/plain', data: 'aGk=' };
    for (const fileName of ['a/b.txt', 'a\\b', 'a\u0007b', '..', '.']) {
      const result = fileJobBody.safeParse({ ...file, fileName });
      expect(result.success, fileName).toBe(false);
      if (!result.success) expect(fieldErrors(result.error)[0]?.path).toBe('fileName');
    }
    expect(fileJobBody.safeParse({ ...file, fileName: 'notes.v2.txt' }).success).toBe(true);
  });

  it('refuses data that is not base64', () => {
    const result = fileJobBody.safeParse({
      type: 'file',
      roomId: 'r',
      fileName: 'a',
      contentType: 'a/b',
      data: '!!!',
    });
    expect(result.success).toBe(false);
  });

  it('reads query seqs in decimal digits only', () => {
    for (const after of ['1e3', '0x0', '2.0', '-0', ' 1']) {
      const result = eventsQuery.safeParse({ after });
      expect(result.success, after).toBe(false);
    }
    expect(eventsQuery.parse({ after: '12' })).toEqual({ after: 12, limit: 50 });
  });

  it('bounds page limits', () => {
    expect(messagesQuery.parse({}).limit).toBe(50);
    expect(messagesQuery.parse({ limit: '200', before: '7' })).toEqual({ limit: 200, before: 7 });
    // Only decimal digits: what merely converts to a number is refused.
    for (const limit of ['0', '201', 'abc', '1.5', '1E2', '0x10', '1.00', '+5', ' 5', '', '-1']) {
      const result = messagesQuery.safeParse({ limit });
      expect(result.success, limit).toBe(false);
      if (!result.success) expect(fieldErrors(result.error)[0]?.path).toBe('limit');
    }
  });

  it('reads the audit query: an event id or an ISO time as the cursor, a decimal limit of 1 to 200', () => {
    expect(auditQuery.parse({})).toEqual({ limit: 50 });
    const id = '019a2b3c-4d5e-7f60-8a1b-2c3d4e5f6a7b';
    expect(auditQuery.parse({ before: id, limit: '200' })).toEqual({ before: id, limit: 200 });
    expect(auditQuery.parse({ before: '2026-01-31T12:00:00.000Z' }).before).toBe('2026-01-31T12:00:00.000Z');
    for (const before of ['yesterday', '2026-01-31', '2026-01-31T12:00:00+01:00', '']) {
      expect(auditQuery.safeParse({ before }).success, before).toBe(false);
    }
    for (const limit of ['0', '201', '1e2', '+5', ' 5', '5.0']) {
      expect(auditQuery.safeParse({ limit }).success, limit).toBe(false);
    }
  });
});
