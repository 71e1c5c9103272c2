/**
 * Configuration, read from the environment and validated once at start.
 * Every value documents its default; a bad value stops the process with a clear message.
 */
import path from 'node:path';
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
  S3_BUCKET: z.string().min(1).optional(),
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
  LOGIN_MAX_FAILURES: nonNegativeInt(10),
  REGISTRATIONS_PER_HOUR_PER_ADDRESS: nonNegativeInt(0),
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
  /** Where the built web app lives; served on HTTP_PORT when present. */
  WEB_DIST_DIR: z.string().optional(),
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
  s3Bucket: string | undefined;
  maxUploadBytes: number;
  rateLimitSendsPerMinute: number;
  jobMaxAttempts: number;
  loginMaxFailures: number;
  registrationsPerHourPerAddress: number;
  allowedOrigins: string[];
  webDistDir: string | undefined;
  testFaults: boolean;
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
  return {
    env: v.NODE_ENV,
    httpPort: v.HTTP_PORT,
    wsPort: v.WS_PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    dataDir: path.resolve(v.DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    s3Bucket: v.S3_BUCKET,
    maxUploadBytes: v.MAX_UPLOAD_BYTES,
    rateLimitSendsPerMinute: v.RATE_LIMIT_SENDS_PER_MINUTE,
    jobMaxAttempts: v.JOB_MAX_ATTEMPTS,
    loginMaxFailures: v.LOGIN_MAX_FAILURES,
    registrationsPerHourPerAddress: v.REGISTRATIONS_PER_HOUR_PER_ADDRESS,
    allowedOrigins: v.ALLOWED_ORIGINS,
    webDistDir: v.WEB_DIST_DIR,
    testFaults: v.PARLEY_TEST_FAULTS,
  };
}
