// Starting the real platform for tests: port 0 on loopback, a temporary data directory, the fake
// SFU, quiet logs. And small HTTP / Socket.IO clients speaking the protocol.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Ack, NotificationEnvelope, RequestMethod, Responses, Session } from '../protocol/index.js';
import { startPlatform, type Platform, type PlatformOptions } from '../index.js';
import { FakeSfu } from '../testing/fake-sfu.js';
import { NotificationLog } from './notifications.js';

export const TEST_PASSWORD = 'test-demo-password';
export const TEST_JWT_SECRET = 'test-secret-0123456789-0123456789-0123456789';

export interface TestPlatform extends Platform {
  fakeSfu: FakeSfu;
  dataDir: string;
}

export async function makeTempDir(prefix = 'telemed-signaling-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function startTestPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  const fakeSfu = options.sfu instanceof FakeSfu ? options.sfu : new FakeSfu();
  const platform = await startPlatform({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    demoPassword: TEST_PASSWORD,
    jwtSecret: TEST_JWT_SECRET,
    viewerDir: path.join(dataDir, 'no-viewer'),
    // A free port for the DICOM SCP: tests run side by side.
    dicomPort: 0,
    dicomHost: '127.0.0.1',
    ...options,
    dataDir,
    sfu: options.sfu ?? fakeSfu,
  });
  const ownDir = options.dataDir === undefined;
  return {
    ...platform,
    fakeSfu,
    dataDir,
    async close() {
      await platform.close();
      await fakeSfu.close();
      if (ownDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Session;
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = unknown>(
  baseUrl: string,
  method: string,
  pathname: string,
  opts: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (metrics, html): keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export interface TestClient {
  socket: Socket;
  notifications: NotificationLog;
  request<M extends RequestMethod>(method: M, data?: unknown): Promise<Ack<Responses[M]>>;
  raw(...args: unknown[]): Promise<Ack<unknown>>;
  close(): void;
}

export function connectClient(baseUrl: string, token: unknown): TestClient {
  const socket = io(baseUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const notifications = new NotificationLog();
  socket.on('notification', (n: NotificationEnvelope) => notifications.push(n));
  return {
    socket,
    notifications,
    request: (method, data = {}) => socket.timeout(5000).emitWithAck('request', { method, data }),
    raw: (...args) => socket.timeout(5000).emitWithAck('request', ...args),
    close: () => socket.close(),
  };
}

/** Connects and waits for the handshake to be accepted (or throws its error). */
export async function connectedClient(baseUrl: string, token: unknown): Promise<TestClient> {
  const client = connectClient(baseUrl, token);
  await new Promise<void>((resolve, reject) => {
    client.socket.once('connect', () => resolve());
    client.socket.once('connect_error', (err) => reject(err));
  });
  return client;
}

/** The handshake's refusal message. */
export function connectError(baseUrl: string, token: unknown): Promise<string> {
  const client = connectClient(baseUrl, token);
  return new Promise((resolve, reject) => {
    client.socket.once('connect', () => {
      client.close();
      reject(new Error('connected although it should not'));
    });
    client.socket.once('connect_error', (err) => {
      client.close();
      resolve(err.message);
    });
  });
}
