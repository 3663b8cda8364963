// HTTP error responses: `{ error: { code, message } }` with the status the code implies. Stack traces
// and internal messages never leave the server.
import type { ErrorRequestHandler, Response } from 'express';
import { ProtocolError, type ErrorCode, type HttpErrorResponse } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import { toProtocolError } from '../live/errors.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_JOINED: 409,
  ALREADY_JOINED: 409,
  CONFLICT: 409,
  NOT_PRESENTER: 403,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  MEDIA_ERROR: 502,
  INTERNAL: 500,
};

export function sendError(res: Response, error: ProtocolError): void {
  const body: HttpErrorResponse = { error: error.toBody() };
  res.status(STATUS_OF[error.code]).json(body);
}

/** body-parser marks its own failures with `type` and `status`. */
function fromBodyParser(err: unknown): ProtocolError | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ProtocolError('TOO_LARGE', 'Request body too large');
  if (type === 'entity.parse.failed')
    return new ProtocolError('BAD_REQUEST', 'Request body is not valid JSON');
  if ((typeof type === 'string' && type.startsWith('encoding.')) || type === 'charset.unsupported') {
    return new ProtocolError('BAD_REQUEST', 'Unsupported request body encoding');
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = fromBodyParser(err) ?? toProtocolError(err);
    if (error.code === 'INTERNAL')
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, error);
  };
}
