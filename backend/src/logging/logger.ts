/** Structured JSON logs (pino), accepting the seed's Winston level names. */
import { pino } from 'pino';
import type { LogLevel } from '../config/config.js';

export type Logger = pino.Logger<'http' | 'verbose'>;

export function createLogger(level: LogLevel): Logger {
  return pino({
    level: level === 'silly' ? 'trace' : level,
    customLevels: { http: 25, verbose: 22 },
    base: { service: 'parley' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
