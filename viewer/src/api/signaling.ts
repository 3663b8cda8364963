import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  NotificationEnvelope,
  NotificationMethod,
  Notifications,
  RequestData,
  RequestMethod,
  Responses,
} from '@telemed/signaling/protocol';
import { ApiError } from './errors.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

export interface TokenSource {
  accessToken(): string | null;
  /** Resolves true when a new access token is available. */
  refresh(): Promise<boolean>;
}

const REQUEST_TIMEOUT_MS = 15_000;
const RATE_LIMIT_RETRIES = 3;

type NotificationListener = (envelope: NotificationEnvelope) => void;

/**
 * The Socket.IO connection: typed requests (ack → value or ApiError), typed notifications, and the
 * token dance. The server checks the token only at the handshake, so every (re)connection reads
 * the current one; a refusal (`UNAUTHORIZED`) gets one refresh and a manual reconnect, because
 * Socket.IO does not retry a handshake its middleware refused.
 */
export class SignalingClient {
  private readonly socket: Socket;
  private readonly notificationListeners = new Set<NotificationListener>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private currentState: ConnectionState = 'connecting';
  private closed = false;

  constructor(
    private readonly tokens: TokenSource,
    origin: string = window.location.origin,
  ) {
    this.socket = io(origin, {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      auth: (cb) => cb({ token: this.tokens.accessToken() }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      // A handshake over a congested mobile link either completes in a few seconds or not at all.
      timeout: 8_000,
    });
    this.socket.on('connect', () => this.setState('connected'));
    this.socket.on('disconnect', (reason) => {
      this.setState('disconnected');
      // A server-side disconnect is not retried by Socket.IO; ours is a restart or a takeover of
      // the connection, and the app wants to be connected as long as it has a session.
      if (reason === 'io server disconnect' && !this.closed) this.socket.connect();
    });
    this.socket.on('connect_error', (err: Error) => void this.onConnectError(err));
    this.socket.on('notification', (envelope: NotificationEnvelope) => {
      for (const fn of [...this.notificationListeners]) {
        try {
          fn(envelope);
        } catch (error) {
          console.error(`notification ${envelope.method} handler failed`, error);
        }
      }
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** One request; its ack's data, or an ApiError (NETWORK when there is no connection or answer). */
  async request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<Responses[M]> {
    for (let attempt = 0; ; attempt += 1) {
      // Requests are never buffered across a reconnection: they would refer to media that is gone.
      if (!this.socket.connected) throw new ApiError('NETWORK', 'Not connected to the server');
      let ack: Ack<Responses[M]>;
      try {
        ack = (await this.socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('request', { method, data })) as Ack<
          Responses[M]
        >;
      } catch {
        throw new ApiError('NETWORK', `No answer to ${method}`);
      }
      if (ack.ok) return ack.data;
      if (ack.error.code === 'RATE_LIMITED' && attempt < RATE_LIMIT_RETRIES) {
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        continue;
      }
      throw ApiError.fromBody(ack.error);
    }
  }

  /** Listens to one notification; returns the unsubscribe function. */
  on<M extends NotificationMethod>(method: M, fn: (data: Notifications[M]) => void): () => void {
    const listener: NotificationListener = (envelope) => {
      if (envelope.method === method) fn(envelope.data as Notifications[M]);
    };
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  onState(fn: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.notificationListeners.clear();
    this.stateListeners.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private async onConnectError(err: Error & { data?: unknown }): Promise<void> {
    if (this.closed) return;
    if (err.message !== 'UNAUTHORIZED') {
      this.setState('disconnected');
      return;
    }
    if (await this.tokens.refresh()) {
      if (!this.closed) this.socket.connect();
    } else {
      this.setState('unauthorized');
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const fn of [...this.stateListeners]) fn(state);
  }
}
