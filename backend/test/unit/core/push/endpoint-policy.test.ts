import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors.js';
import { checkPushEndpoint } from '../../../../src/core/push/endpoint-policy.js';

const refused = (endpoint: string, allowHttpLoopback = false) => {
  try {
    checkPushEndpoint(endpoint, allowHttpLoopback);
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return 'accepted';
};

describe('which push endpoints the server posts to', () => {
  it('takes https only, and plain http to loopback only when the operator allows it (tests)', () => {
    expect(refused('https://fcm.googleapis.com/fcm/send/abc')).toBe('accepted');
    expect(refused('http://127.0.0.1:9000/push/x')).toBe('validation_failed');
    expect(refused('http://127.0.0.1:9000/push/x', true)).toBe('accepted');
    expect(refused('http://localhost/push/x', true)).toBe('accepted');
    expect(refused('http://[::1]:8080/push/x', true)).toBe('accepted');
    expect(refused('http://10.0.0.5/push/x', true)).toBe('validation_failed');
    expect(refused('http://127.0.0.1.example.com/push/x', true)).toBe('validation_failed');
    expect(refused('https://user:secret@push.example.com/x')).toBe('validation_failed');
    expect(refused('ftp://push.example.com/x')).toBe('validation_failed');
    expect(refused('not a url')).toBe('validation_failed');
  });
});
