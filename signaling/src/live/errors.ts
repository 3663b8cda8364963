// Turning whatever a handler threw into an ack error. ProtocolErrors pass as they are; the SFU's
// MediaErrors keep their code; anything else is our bug and is reported as INTERNAL without details.
import { ProtocolError } from '../protocol/index.js';

const MEDIA_CODES = new Set(['NOT_FOUND', 'BAD_REQUEST', 'MEDIA_ERROR'] as const);
type MediaCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'MEDIA_ERROR';

/**
 * Recognised by shape rather than `instanceof`: room logic must not load the SFU package (and
 * mediasoup with it) just to compare classes, and fakes in tests throw their own.
 */
export function isMediaError(err: unknown): err is Error & { code: MediaCode } {
  return (
    err instanceof Error &&
    err.name === 'MediaError' &&
    MEDIA_CODES.has((err as { code?: unknown }).code as MediaCode)
  );
}

export function toProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (isMediaError(err)) return new ProtocolError(err.code, err.message);
  return new ProtocolError('INTERNAL', 'Internal server error');
}
