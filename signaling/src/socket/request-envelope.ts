// The edge of the Socket.IO protocol: size, envelope, method, payload, in that order, so the
// cheapest check refuses a bad message first. Nothing here touches room state.
import {
  MAX_MESSAGE_BYTES,
  ProtocolError,
  RequestEnvelopeSchema,
  RequestSchemas,
  isRequestMethod,
  type RequestData,
  type RequestMethod,
} from '../protocol/index.js';
import { summarizeIssues } from '../validation.js';

export type ParsedRequest = { [M in RequestMethod]: { method: M; data: RequestData<M> } }[RequestMethod];

/** Bytes of the message as JSON (what the client would have sent over a text frame). */
export function jsonByteLength(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function parseRequest(raw: unknown, maxBytes = MAX_MESSAGE_BYTES): ParsedRequest {
  if (jsonByteLength(raw) > maxBytes)
    throw new ProtocolError('TOO_LARGE', `Message exceeds ${maxBytes} bytes`);
  const envelope = RequestEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new ProtocolError(
      'BAD_REQUEST',
      `Malformed request envelope (expected {method, data}): ${summarizeIssues(envelope.error)}`,
    );
  }
  const { method, data } = envelope.data;
  if (!isRequestMethod(method))
    throw new ProtocolError('UNKNOWN_METHOD', `Unknown method "${method.slice(0, 64)}"`);
  const payload = RequestSchemas[method].safeParse(data ?? {});
  if (!payload.success)
    throw new ProtocolError('BAD_REQUEST', `Invalid ${method} request: ${summarizeIssues(payload.error)}`);
  return { method, data: payload.data } as ParsedRequest;
}
