import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

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
      trustProxy: ['loopback'],
      metricsToken: undefined,
      testFaults: false,
    });
  });

  it('keeps completed jobs 7 days and failed ones 30 days by default; 0 keeps them forever', () => {
    expect(loadConfig({})).toMatchObject({ jobRetentionDays: 7, dlqRetentionDays: 30 });
    expect(loadConfig({ JOB_RETENTION_DAYS: '0', DLQ_RETENTION_DAYS: '0' })).toMatchObject({
      jobRetentionDays: 0,
      dlqRetentionDays: 0,
    });
    expect(loadConfig({ JOB_RETENTION_DAYS: '1', DLQ_RETENTION_DAYS: '365' })).toMatchObject({
      jobRetentionDays: 1,
      dlqRetentionDays: 365,
    });
  });

  it('refuses a negative or fractional retention, naming the variable', () => {
    expect(() => loadConfig({ JOB_RETENTION_DAYS: '-1' })).toThrow(
      /JOB_RETENTION_DAYS: must not be negative/,
    );
    expect(() => loadConfig({ DLQ_RETENTION_DAYS: '1.5' })).toThrow(
      /DLQ_RETENTION_DAYS: must be a whole number/,
    );
    expect(() => loadConfig({ DLQ_RETENTION_DAYS: 'a month' })).toThrow(/DLQ_RETENTION_DAYS/);
  });

  it('ends sessions unused for 14 days by default; 0 turns the idle limit off', () => {
    const day = 24 * 3_600_000;
    expect(loadConfig({}).sessionIdleMs).toBe(14 * day);
    expect(loadConfig({ SESSION_IDLE_DAYS: '1' }).sessionIdleMs).toBe(day);
    expect(loadConfig({ SESSION_IDLE_DAYS: '0' }).sessionIdleMs).toBe(0);
    expect(() => loadConfig({ SESSION_IDLE_DAYS: '-1' })).toThrow(/SESSION_IDLE_DAYS: must not be negative/);
    expect(() => loadConfig({ SESSION_IDLE_DAYS: '0.5' })).toThrow(
      /SESSION_IDLE_DAYS: must be a whole number of days/,
    );
    expect(() => loadConfig({ SESSION_IDLE_DAYS: 'two weeks' })).toThrow(/SESSION_IDLE_DAYS/);
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

  describe('TRUST_PROXY', () => {
    it.each([
      ['false', false],
      ['0', false],
      ['true', true],
      ['2', 2],
      ['loopback', ['loopback']],
      [
        ' 10.0.0.1, 192.168.0.0/16 ,fd00::/8,uniquelocal ',
        ['10.0.0.1', '192.168.0.0/16', 'fd00::/8', 'uniquelocal'],
      ],
    ])('reads %j as Express reads it', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it.each(['yes', '10.0.0.0/33', '10.0.0.1,,10.0.0.2', 'nginx.internal', '-1', ''])(
      'refuses %j, naming the variable and the bad entry',
      (value) => {
        expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
        expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^\s+TRUST_PROXY: .*is not an address/m);
      },
    );
  });

  it('reads METRICS_TOKEN and refuses a short one', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-scrape-token' }).metricsToken).toBe(
      'a-long-enough-scrape-token',
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('never enables test faults in production', () => {
    expect(() => loadConfig({ PARLEY_TEST_FAULTS: '1' })).toThrow(/PARLEY_TEST_FAULTS/);
    expect(loadConfig({ PARLEY_TEST_FAULTS: '1', NODE_ENV: 'test' }).testFaults).toBe(true);
  });

  describe('S3', () => {
    const keys = { S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret' };

    it('is off without S3_BUCKET', () => {
      expect(loadConfig({}).s3).toBeUndefined();
    });

    it('defaults to AWS in us-east-1 with virtual-host addressing and 300-second links', () => {
      expect(loadConfig({ S3_BUCKET: 'parley-files' }).s3).toEqual({
        bucket: 'parley-files',
        endpoint: undefined,
        region: 'us-east-1',
        credentials: undefined,
        forcePathStyle: false,
        presignSeconds: 300,
      });
    });

    it('reads an S3-compatible server, with path-style addressing by default', () => {
      const s3 = loadConfig({
        S3_BUCKET: 'parley',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_REGION: 'eu-west-3',
        S3_PRESIGN_SECONDS: '60',
        ...keys,
      }).s3;
      expect(s3).toEqual({
        bucket: 'parley',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-3',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
        forcePathStyle: true,
        presignSeconds: 60,
      });
      expect(loadConfig({ S3_BUCKET: 'parley', S3_DOWNLOADS: 'proxy' }).s3?.presignSeconds).toBeUndefined();
      expect(() => loadConfig({ S3_BUCKET: 'parley', S3_DOWNLOADS: 'stream' })).toThrow(/S3_DOWNLOADS/);
      expect(
        loadConfig({ S3_BUCKET: 'parley', S3_ENDPOINT: 'https://s3.example', S3_FORCE_PATH_STYLE: '0' }).s3
          ?.forcePathStyle,
      ).toBe(false);
      expect(loadConfig({ S3_BUCKET: 'parley', S3_FORCE_PATH_STYLE: '1' }).s3?.forcePathStyle).toBe(true);
    });

    it.each([
      [{ S3_BUCKET: 'Not_A_Bucket' }, 'S3_BUCKET'],
      [{ S3_BUCKET: 'parley', S3_ENDPOINT: 'localhost:9000' }, 'S3_ENDPOINT'],
      [{ S3_BUCKET: 'parley', S3_ENDPOINT: 'ftp://files.example' }, 'S3_ENDPOINT'],
      [{ S3_BUCKET: 'parley', S3_REGION: 'Europe West' }, 'S3_REGION'],
      [{ S3_BUCKET: 'parley', S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
      [{ S3_BUCKET: 'parley', S3_PRESIGN_SECONDS: '0' }, 'S3_PRESIGN_SECONDS'],
      [{ S3_BUCKET: 'parley', S3_PRESIGN_SECONDS: '604801' }, 'S3_PRESIGN_SECONDS'],
      [{ S3_BUCKET: 'parley', S3_ACCESS_KEY_ID: 'AKID' }, 'S3_SECRET_ACCESS_KEY'],
      [{ S3_BUCKET: 'parley', S3_SECRET_ACCESS_KEY: 'secret' }, 'S3_ACCESS_KEY_ID'],
      [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'S3_BUCKET'],
    ])('refuses %o, naming %s', (env, variable) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s+${variable}:`, 'm'));
    });
  });
});
