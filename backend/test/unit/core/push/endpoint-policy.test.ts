import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors.js';
import { checkPushEndpoint, DEFAULT_PUSH_SERVICE_HOSTS } from '../../../../src/core/push/endpoint-policy.js';

const refused = (endpoint: string, allowHttpLoopback = false, serviceHosts = DEFAULT_PUSH_SERVICE_HOSTS) => {
  try {
    checkPushEndpoint(endpoint, { allowHttpLoopback, serviceHosts });
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return 'accepted';
};

describe('which push endpoints the server posts to', () => {
  it("takes the browsers' push services over https, and plain http to loopback only when the operator allows it (tests)", () => {
    expect(refused('https://fcm.googleapis.com/fcm/send/abc')).toBe('accepted');
    expect(refused('https://updates.push.services.mozilla.com/wpush/v2/abc')).toBe('accepted');
    expect(refused('https://web.push.apple.com/QGx')).toBe('accepted');
    expect(refused('https://wns2-by3p.notify.windows.com/w/?token=abc')).toBe('accepted');
    expect(refused('http://127.0.0.1:9000/push/x')).toBe('validation_failed');
    expect(refused('http://127.0.0.1:9000/push/x', true)).toBe('accepted');
    expect(refused('http://localhost/push/x', true)).toBe('accepted');
    expect(refused('http://[::1]:8080/push/x', true)).toBe('accepted');
    expect(refused('http://10.0.0.5/push/x', true)).toBe('validation_failed');
    expect(refused('http://127.0.0.1.example.com/push/x', true)).toBe('validation_failed');
    expect(refused('https://user:secret@fcm.googleapis.com/x')).toBe('validation_failed');
    expect(refused('ftp://fcm.googleapis.com/x')).toBe('validation_failed');
    expect(refused('not a url')).toBe('validation_failed');
  });

  it("refuses https to any other host: no request into the operator's network (SSRF)", () => {
    expect(refused('https://10.0.0.5/push/x')).toBe('validation_failed');
    expect(refused('https://169.254.169.254/latest/meta-data')).toBe('validation_failed');
    expect(refused('https://intranet.corp.example/admin')).toBe('validation_failed');
    expect(refused('https://fcm.googleapis.com.evil.example/x')).toBe('validation_failed');
    expect(refused('https://evilfcm.googleapis.com.example/x')).toBe('validation_failed');
    expect(refused('https://notfcm.googleapis.com/x')).toBe('validation_failed');
    // An operator's own push service, named in PUSH_SERVICE_HOSTS, and its subdomains.
    expect(refused('https://push.example.org/x', false, ['push.example.org'])).toBe('accepted');
    expect(refused('https://eu.push.example.org/x', false, ['push.example.org'])).toBe('accepted');
  });
});
