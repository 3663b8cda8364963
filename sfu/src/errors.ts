// mediasoup's exceptions in the contract's terms.
import { MediaError } from './api.js';

/**
 * A MediaError for something mediasoup threw: its input validation (TypeError, UnsupportedError —
 * the request carried parameters mediasoup cannot use) is BAD_REQUEST, anything else MEDIA_ERROR.
 */
export function toMediaError(err: unknown, what: string): MediaError {
  if (err instanceof MediaError) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const code =
    error.name === 'TypeError' || error.name === 'UnsupportedError' ? 'BAD_REQUEST' : 'MEDIA_ERROR';
  return new MediaError(code, `${what}: ${error.message}`);
}

export const notFound = (what: string, id: string) => new MediaError('NOT_FOUND', `${what} ${id} not found`);
export const badRequest = (message: string) => new MediaError('BAD_REQUEST', message);
