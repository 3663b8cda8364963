// The SFU's logger. pino, structured, and never with personal data: ids (room, peer, transport,
// producer, consumer) and states only — no names, no remote IP addresses.
import { pino, type Logger } from 'pino';

let current: Logger = pino({ name: 'sfu', level: process.env.LOG_LEVEL ?? 'info' });

/** Use this pino logger (or a child of the application's) for everything the SFU logs. */
export function setSfuLogger(logger: Logger): void {
  current = logger;
}

export function sfuLogger(): Logger {
  return current;
}

export type { Logger };
