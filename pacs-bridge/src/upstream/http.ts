// Small HTTP helpers shared by the upstream clients: base URL joining, basic auth, and errors that
// say which upstream call failed without echoing response bodies (they may hold patient data).
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

export async function upstreamFetch(target: HttpTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}`;
  const headers = { ...authHeaders(target), ...(init.headers as Record<string, string> | undefined) };
  try {
    return await fetch(url, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(target.timeoutMs ?? 120_000) });
  } catch (err) {
    throw new UpstreamError(`upstream ${init.method ?? 'GET'} ${path.split('?')[0]} failed: ${(err as Error).message}`);
  }
}

/** Throws an UpstreamError for a non-2xx answer (body discarded, status kept). */
export async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  await res.body?.cancel();
  throw new UpstreamError(`${what}: upstream answered HTTP ${res.status}`, res.status);
}
