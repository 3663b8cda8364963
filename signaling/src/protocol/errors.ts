/** Error codes carried in `{ ok: false, error: { code, message } }` acks and HTTP error bodies. */
export const ErrorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_JOINED',
  'ALREADY_JOINED',
  'CONFLICT',
  /** Shared viewing: only the presenter may change the shared view. */
  'NOT_PRESENTER',
  'TOO_LARGE',
  'RATE_LIMITED',
  'MEDIA_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** A failure the caller can act on; its message is safe to show (never contains patient data). */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
