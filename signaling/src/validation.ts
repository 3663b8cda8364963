// One way to turn a zod failure into a short, safe reason for a 400 / BAD_REQUEST: paths and
// messages only, never the offending value (it might be a patient's name).
import type { z } from 'zod';
import { ProtocolError } from './protocol/index.js';

export function summarizeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  if (error.issues.length > max) parts.push(`… ${error.issues.length - max} more`);
  return parts.join('; ');
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ProtocolError('BAD_REQUEST', `Invalid ${what}: ${summarizeIssues(result.error)}`);
  return result.data;
}
