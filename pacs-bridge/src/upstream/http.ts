// Small HTTP helpers shared by the upstream clients: base URL joining, basic auth, and errors that
// say which upstream call failed without echoing response bodies (they may hold patient data).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
export interface HttpTarget {
  /** e.g. http://pacs.hospital.local:8042 (no trailing slash needed). */
  baseUrl: string;
  username?: string;
  password?: string;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
}

export class UpstreamError extends Error {
  readonly code = 'EUPSTREAM';
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export function authHeaders(target: HttpTarget): Record<string, string> {
  if (target.username === undefined) return {};
  const token = Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64');
  return { authorization: `Basic ${token}` };
}

export async function upstreamFetch(
  target: HttpTarget,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}`;
  const headers = { ...authHeaders(target), ...(init.headers as Record<string, string> | undefined) };
  try {
    return await fetch(url, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(target.timeoutMs ?? 120_000),
    });
  } catch (err) {
    throw new UpstreamError(
      `upstream ${init.method ?? 'GET'} ${path.split('?')[0]} failed: ${(err as Error).message}`,
    );
  }
}

/** Throws an UpstreamError for a non-2xx answer (body discarded, status kept). */
export async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  await res.body?.cancel();
  throw new UpstreamError(`${what}: upstream answered HTTP ${res.status}`, res.status);
}

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * GET with a Node stream as the body, for large downloads: fetch's web streams converted back to
 * Node streams cost more CPU than the transfer itself at LAN speeds. Keep-alive sockets are reused.
 */
export function upstreamGetStream(
  target: HttpTarget,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: IncomingMessage }> {
  const url = new URL(`${target.baseUrl.replace(/\/+$/, '')}${path}`);
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent: secure ? agents.https : agents.http,
        headers: { ...authHeaders(target), ...headers },
        timeout: target.timeoutMs ?? 120_000,
      },
      (res) => resolve({ status: res.statusCode ?? 0, body: res }),
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) =>
      reject(new UpstreamError(`upstream GET ${path.split('?')[0]} failed: ${err.message}`)),
    );
    req.end();
  });
}
