import { describe, expect, it } from 'vitest';
import { clientFrame, fieldErrors, messageJobBody } from './schemas.js';
import { threadQuery } from './threads.js';

describe('thread schemas', () => {
  it('accepts alsoToRoom as a boolean on message jobs and send frames, and nothing else', () => {
    const body = { type: 'message', roomId: 'r', text: 'hi', replyTo: 'm', alsoToRoom: true };
    expect(messageJobBody.parse(body).alsoToRoom).toBe(true);
    expect(clientFrame.parse({ ...body, type: 'send', ref: 'c1' })).toMatchObject({ alsoToRoom: true });
    const bad = messageJobBody.safeParse({ ...body, alsoToRoom: 'yes' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(fieldErrors(bad.error).map((field) => field.path)).toEqual(['alsoToRoom']);
  });

  it('reads after and limit of a thread page as history does', () => {
    expect(threadQuery.parse({})).toEqual({ after: 0, limit: 50 });
    expect(threadQuery.parse({ after: '7', limit: '2' })).toEqual({ after: 7, limit: 2 });
    expect(threadQuery.safeParse({ limit: '201' }).success).toBe(false);
  });
});
