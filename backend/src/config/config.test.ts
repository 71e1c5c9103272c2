import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      httpPort: 3000,
      wsPort: 8080,
      logLevel: 'info',
      maxUploadBytes: 26_214_400,
      rateLimitSendsPerMinute: 300,
      jobMaxAttempts: 5,
      loginMaxFailures: 10,
      registrationsPerHourPerAddress: 0,
      allowedOrigins: [],
      testFaults: false,
    });
  });

  it("accepts the seed's Winston level names", () => {
    for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']) {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    }
  });

  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty', MAX_UPLOAD_BYTES: '-1', LOG_LEVEL: 'loud' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ HTTP_PORT: 'eighty', MAX_UPLOAD_BYTES: '-1', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('HTTP_PORT');
      expect(message).toContain('MAX_UPLOAD_BYTES');
      expect(message).toContain('LOG_LEVEL');
    }
  });

  it('parses ALLOWED_ORIGINS and refuses a malformed one', () => {
    expect(
      loadConfig({ ALLOWED_ORIGINS: 'https://a.example, http://b.example:8000/' }).allowedOrigins,
    ).toEqual(['https://a.example', 'http://b.example:8000']);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('never enables test faults in production', () => {
    expect(() => loadConfig({ PARLEY_TEST_FAULTS: '1' })).toThrow(/PARLEY_TEST_FAULTS/);
    expect(loadConfig({ PARLEY_TEST_FAULTS: '1', NODE_ENV: 'test' }).testFaults).toBe(true);
  });
});
