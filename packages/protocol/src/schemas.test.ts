import { describe, expect, it } from 'vitest';
import { fieldErrors, fileJobBody, messageJobBody, messagesQuery, registerBody } from './schemas.js';

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

  it('bounds page limits', () => {
    expect(messagesQuery.parse({}).limit).toBe(50);
    for (const limit of ['0', '201', 'abc', '1.5']) {
      const result = messagesQuery.safeParse({ limit });
      expect(result.success, limit).toBe(false);
      if (!result.success) expect(fieldErrors(result.error)[0]?.path).toBe('limit');
    }
  });
});
