import type { ErrorBody, ErrorCode } from '@telemed/signaling/protocol';

/**
 * Codes the browser itself produces on top of the protocol's: the network is down, the server
 * answered something that is not our protocol, or we were removed from the call.
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'KICKED' | 'MEDIA_DEVICE';

/** A failure with a code the UI can branch on and a message safe to show. */
export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof Error) return new ApiError('INTERNAL', err.message);
    return new ApiError('INTERNAL', String(err));
  }

  static fromBody(body: ErrorBody, status?: number): ApiError {
    return new ApiError(body.code, body.message, status);
  }
}

/** Structural check: error bodies come from JSON and from Socket.IO acks, never from our classes. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
