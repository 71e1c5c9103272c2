/**
 * Configuration, read from the environment and validated once at start.
 * Every value documents its default; a bad value stops the process with a clear message.
 */
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a port number')
    .min(0, 'must be 0-65535')
    .max(65535, 'must be 0-65535')
    .default(fallback);

const nonNegativeInt = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(fallback);

/**
 * TRUST_PROXY as Express's `trust proxy` value: `false` (or `0`) trusts nobody, `true` every hop,
 * a whole number that many hops, otherwise a comma-separated list of addresses, CIDRs and the
 * names `loopback`, `linklocal`, `uniquelocal` (each checked by proxy-addr, which Express uses).
 */
export type TrustProxy = boolean | number | string[];

const trustProxy = z
  .string()
  .trim()
  .default('loopback')
  .transform((value, ctx): TrustProxy => {
    if (value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    for (const entry of entries) {
      try {
        if (entry === '') throw new TypeError('empty entry');
        proxyAddr.compile(entry);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not an address, a CIDR, loopback, linklocal or uniquelocal; use false, a hop count, or a comma-separated list of those`,
        });
        return z.NEVER;
      }
    }
    return entries;
  });

const secret = z.string().min(16, 'must be at least 16 characters');

/** The seed used Winston's level names; all of them are accepted. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  HTTP_PORT: port(3000),
  WS_PORT: port(8080),
  /** Interface both listeners bind to (all interfaces by default). */
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** S3 (or an S3-compatible server) for file bytes instead of DATA_DIR/blobs. */
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)')
    .optional(),
  /** An S3-compatible server (MinIO, Ceph, R2…); unset means AWS S3 for S3_REGION. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a region name like us-east-1')
    .default('us-east-1'),
  /** Unset: the AWS SDK's default chain (environment, profile, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1, 'must not be empty').optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1, 'must not be empty').optional(),
  /** Bucket in the path (`endpoint/bucket/key`); most S3-compatible servers need it. */
  S3_FORCE_PATH_STYLE: z.enum(['0', '1'], { message: 'must be 0 or 1' }).optional(),
  /**
   * `redirect`: a file download answers 302 to a short-lived presigned S3 URL (the bytes do not
   * pass through Parley). `proxy`: Parley streams them (browsers need not reach S3_ENDPOINT).
   */
  S3_DOWNLOADS: z.enum(['redirect', 'proxy'], { message: 'must be redirect or proxy' }).default('redirect'),
  /** How long a download link handed to a browser stays valid. */
  S3_PRESIGN_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be 1-604800 seconds')
    .max(604_800, 'must be 1-604800 seconds (S3 allows at most 7 days)')
    .default(300),
  MAX_UPLOAD_BYTES: z.coerce
    .number({ message: 'must be a whole number of bytes' })
    .int('must be a whole number of bytes')
    .min(1, 'must be at least 1')
    .default(26_214_400),
  RATE_LIMIT_SENDS_PER_MINUTE: nonNegativeInt(300),
  JOB_MAX_ATTEMPTS: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(5),
  /**
   * How long a worker holds a claimed job before another instance may take it over (after a
   * crash, the job waits this long; a single embedded process takes its own jobs back at start).
   */
  JOB_LEASE_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000')
    .default(30_000),
  /** Days a failed job (and its uploaded file) stays in the dead letter queue; 0 = forever. */
  DLQ_RETENTION_DAYS: nonNegativeInt(30),
  /**
   * Days a completed job stays readable at GET /jobs/:id; 0 = forever. Its idempotency key is
   * forgotten after a day whatever this says, so any value keeps replays working as long as they can.
   */
  JOB_RETENTION_DAYS: nonNegativeInt(7),
  LOGIN_MAX_FAILURES: nonNegativeInt(10),
  REGISTRATIONS_PER_HOUR_PER_ADDRESS: nonNegativeInt(0),
  /**
   * Profile changes (display name, avatar set or removed) per user per hour; 0 = off. Each one
   * is announced to everyone who shares a room with the user, and an avatar is decoded and
   * resized: without a limit, one account could keep the server and its rooms busy.
   */
  RATE_LIMIT_PROFILE_CHANGES_PER_HOUR: nonNegativeInt(30),
  /**
   * Days a session may go unused before it ends (as well as 30 days after sign-in, whatever
   * its use); 0 = no idle limit. Its last use is recorded to within an hour.
   */
  SESSION_IDLE_DAYS: z.coerce
    .number({ message: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(0, 'must not be negative')
    .max(3650, 'must be at most 3650 days')
    .default(14),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .pipe(
      z.array(z.url({ message: 'must be a comma-separated list of origins like https://chat.example.com' })),
    ),
  /**
   * Which proxies are believed about the client's address (X-Forwarded-For) and scheme
   * (X-Forwarded-Proto), on REST and WebSocket alike. The default trusts a balancer on this
   * machine (`npm run start:cluster`'s nginx).
   */
  TRUST_PROXY: trustProxy,
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset, only loopback clients. */
  METRICS_TOKEN: secret.optional(),
  /** Where the built web app lives; served on HTTP_PORT when present. */
  WEB_DIST_DIR: z.string().optional(),
  /** Web Push: how push services may reach the operator (VAPID `sub`), a mailto: or https: URL. */
  PUSH_SUBJECT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'must be a mailto: address or an https:// URL')
    .default('mailto:parley@example.invalid'),
  /**
   * Web Push: the push services' hosts (and their subdomains) the server will post to, comma
   * separated; empty: the browsers' own (core/push/endpoint-policy.ts). Anything else is
   * refused, so users cannot make the server send requests into the operator's network.
   */
  PUSH_SERVICE_HOSTS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/, 'must be host names, comma separated'))),
  /** Tests only: accept push subscriptions to plain-http loopback endpoints (a local push service). */
  PUSH_ALLOW_HTTP_LOOPBACK: z
    .enum(['0', '1'], { message: 'must be 0 or 1' })
    .default('0')
    .transform((value) => value === '1'),
  PARLEY_TEST_FAULTS: z
    .enum(['0', '1'])
    .default('0')
    .transform((value) => value === '1'),
});

export interface Config {
  env: 'production' | 'development' | 'test';
  httpPort: number;
  wsPort: number;
  host: string;
  logLevel: LogLevel;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** File bytes in S3 when S3_BUCKET is set; else on local disk under DATA_DIR. */
  s3: S3Config | undefined;
  maxUploadBytes: number;
  rateLimitSendsPerMinute: number;
  rateLimitProfileChangesPerHour: number;
  jobMaxAttempts: number;
  jobLeaseMs: number;
  /** Days failed jobs are kept (the dead letter queue); 0 keeps them forever. */
  dlqRetentionDays: number;
  /** Days completed jobs are kept; 0 keeps them forever. */
  jobRetentionDays: number;
  loginMaxFailures: number;
  registrationsPerHourPerAddress: number;
  /** Milliseconds a session may go unused (SESSION_IDLE_DAYS); 0: no idle limit. */
  sessionIdleMs: number;
  allowedOrigins: string[];
  trustProxy: TrustProxy;
  /** Bearer token GET /metrics requires; undefined: /metrics answers loopback clients only. */
  metricsToken: string | undefined;
  webDistDir: string | undefined;
  /** Web Push: the VAPID subject, and whether http loopback endpoints are allowed (tests). */
  push: { subject: string; allowHttpLoopback: boolean; serviceHosts: string[] };
  testFaults: boolean;
}

export interface S3Config {
  bucket: string;
  /** An S3-compatible server's URL; undefined for AWS itself. */
  endpoint?: string;
  region: string;
  /** Static keys; undefined leaves them to the AWS SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Lifetime of presigned download URLs; undefined when downloads stream through Parley. */
  presignSeconds: number | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  if (v.NODE_ENV === 'production' && v.PARLEY_TEST_FAULTS) {
    throw new ConfigError('Invalid configuration:\n  PARLEY_TEST_FAULTS: must not be set in production');
  }
  const s3 = s3Config(v);
  return {
    env: v.NODE_ENV,
    httpPort: v.HTTP_PORT,
    wsPort: v.WS_PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    dataDir: path.resolve(v.DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    s3,
    maxUploadBytes: v.MAX_UPLOAD_BYTES,
    rateLimitSendsPerMinute: v.RATE_LIMIT_SENDS_PER_MINUTE,
    jobMaxAttempts: v.JOB_MAX_ATTEMPTS,
    jobLeaseMs: v.JOB_LEASE_MS,
    dlqRetentionDays: v.DLQ_RETENTION_DAYS,
    jobRetentionDays: v.JOB_RETENTION_DAYS,
    loginMaxFailures: v.LOGIN_MAX_FAILURES,
    registrationsPerHourPerAddress: v.REGISTRATIONS_PER_HOUR_PER_ADDRESS,
    rateLimitProfileChangesPerHour: v.RATE_LIMIT_PROFILE_CHANGES_PER_HOUR,
    sessionIdleMs: v.SESSION_IDLE_DAYS * 24 * 3_600_000,
    allowedOrigins: v.ALLOWED_ORIGINS,
    trustProxy: v.TRUST_PROXY,
    metricsToken: v.METRICS_TOKEN,
    webDistDir: v.WEB_DIST_DIR,
    push: {
      subject: v.PUSH_SUBJECT,
      allowHttpLoopback: v.PUSH_ALLOW_HTTP_LOOPBACK,
      serviceHosts: v.PUSH_SERVICE_HOSTS,
    },
    testFaults: v.PARLEY_TEST_FAULTS,
  };
}

/** S3_* as one value; a half-given key pair or S3_* without S3_BUCKET is a mistake, not a default. */
function s3Config(v: z.infer<typeof envSchema>): S3Config | undefined {
  const problems: string[] = [];
  if ((v.S3_ACCESS_KEY_ID === undefined) !== (v.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = v.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(`  ${missing}: must be set together with the other key of the pair`);
  }
  if (v.S3_BUCKET === undefined) {
    // Anything else S3_* alone would be silently ignored, and files would land on local disk.
    const stray = (
      ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'] as const
    ).filter((name) => v[name] !== undefined);
    if (stray.length > 0) problems.push(`  S3_BUCKET: must be set when ${stray.join(', ')} is`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  if (v.S3_BUCKET === undefined) return undefined;
  const credentials =
    v.S3_ACCESS_KEY_ID !== undefined && v.S3_SECRET_ACCESS_KEY !== undefined
      ? { accessKeyId: v.S3_ACCESS_KEY_ID, secretAccessKey: v.S3_SECRET_ACCESS_KEY }
      : undefined;
  return {
    bucket: v.S3_BUCKET,
    endpoint: v.S3_ENDPOINT,
    region: v.S3_REGION,
    credentials,
    // S3-compatible servers rarely have a DNS name per bucket; AWS itself prefers virtual hosts.
    forcePathStyle:
      v.S3_FORCE_PATH_STYLE === undefined ? v.S3_ENDPOINT !== undefined : v.S3_FORCE_PATH_STYLE === '1',
    presignSeconds: v.S3_DOWNLOADS === 'redirect' ? v.S3_PRESIGN_SECONDS : undefined,
  };
}
