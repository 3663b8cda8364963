// One pino logger per platform; children add a `component`. Secrets and anything a patient could be
// identified by stay out of logs: callers log ids and sizes, and these paths are redacted as a backstop.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'text',
  '*.text',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'telemed-signaling' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}
