// What the telemetry sender needs of a connection: two requests and the connect/disconnect edges.
// An interface rather than socket.io-client's Socket, so the CLI can wrap it with fault injection
// (loss, latency) and the sender stays testable. Browser-safe.
import type { Ack } from '../protocol/errors.js';
import type { Responses } from '../protocol/requests.js';
import type { TelemetryPush } from '../protocol/ambulance.js';

export type TelemetryMethod = 'telemetry:push' | 'telemetry:resume';
export interface TelemetryRequests {
  'telemetry:push': TelemetryPush;
  'telemetry:resume': { runId: string };
}

export interface TelemetryTransport {
  readonly connected: boolean;
  /** Rejects on timeout or when the connection drops before the answer. */
  request<M extends TelemetryMethod>(
    method: M,
    data: TelemetryRequests[M],
    timeoutMs: number,
  ): Promise<Ack<Responses[M]>>;
  /** Listeners for the connection coming up / going down; each returns its unsubscribe. */
  onConnect(listener: () => void): () => void;
  onDisconnect(listener: () => void): () => void;
}

/** The part of a socket.io-client Socket used here (structural, so no import of the client library). */
export interface SocketLike {
  readonly connected: boolean;
  on(event: 'connect' | 'disconnect', listener: (reason?: string) => void): unknown;
  off(event: 'connect' | 'disconnect', listener: (reason?: string) => void): unknown;
  connect(): unknown;
  timeout(ms: number): { emitWithAck(event: 'request', payload: unknown): Promise<unknown> };
}

/**
 * A Socket.IO connection as a telemetry transport. Nothing is emitted while disconnected (the client
 * would buffer it for after the reconnect; the sender instead asks the server what it has with
 * `telemetry:resume` and sends from there). Not `volatile`: a volatile packet is dropped whenever the
 * websocket is still writing the previous one, which pipelined pushes always meet. Socket.IO does not reconnect by itself after the
 * server closed the connection ("io server disconnect", e.g. a server shutting down); a telemetry
 * sender must, so it reconnects after `serverDisconnectRetryMs` (default 1 s; null: never).
 */
export function socketTransport(
  socket: SocketLike,
  options: { serverDisconnectRetryMs?: number | null } = {},
): TelemetryTransport {
  const retryMs = options.serverDisconnectRetryMs === undefined ? 1000 : options.serverDisconnectRetryMs;
  if (retryMs !== null)
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), retryMs);
    });
  return {
    get connected() {
      return socket.connected;
    },
    request(method, data, timeoutMs) {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return socket.timeout(timeoutMs).emitWithAck('request', { method, data }) as Promise<never>;
    },
    onConnect(listener) {
      socket.on('connect', listener);
      return () => socket.off('connect', listener);
    },
    onDisconnect(listener) {
      socket.on('disconnect', listener);
      return () => socket.off('disconnect', listener);
    },
  };
}
