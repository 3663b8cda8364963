import { io, type Socket } from 'socket.io-client';
import type { Ack, ConsultRoom, RequestMethod, Responses, Session } from '@telemed/signaling/protocol';

export const DEMO_PASSWORD = 'telemed-e2e-password';

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Session;
}

export async function createRoom(baseUrl: string, session: Session, title: string, invitees: string[]) {
  const res = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
    body: JSON.stringify({ title, invitees }),
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`create room: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as ConsultRoom;
}

/** A raw protocol client, for what a browser would never send (malformed, oversized, forged). */
export function connectSocket(baseUrl: string, token: string): Socket {
  return io(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
}

export function request<M extends RequestMethod>(
  socket: Socket,
  method: M,
  data: unknown,
): Promise<Ack<Responses[M]>> {
  return socket.timeout(10_000).emitWithAck('request', { method, data }) as Promise<Ack<Responses[M]>>;
}

export function rawRequest(socket: Socket, envelope: unknown): Promise<Ack<unknown>> {
  return socket.timeout(10_000).emitWithAck('request', envelope) as Promise<Ack<unknown>>;
}

/** A JSON REST call as `session`; throws with the status and body on anything but 2xx. */
export async function api<T>(
  base: string,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
