import { ApiError, isErrorBody } from './errors.js';

/**
 * One JSON call to the server: the body on success, an ApiError carrying the server's
 * `{ error: { code, message } }` otherwise (or NETWORK when there was no answer at all).
 */
export async function fetchJson<T>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('NETWORK', 'The server cannot be reached; check the connection');
  }
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (payload as { error?: unknown } | undefined)?.error;
    if (isErrorBody(error)) throw ApiError.fromBody(error, res.status);
    throw new ApiError('INTERNAL', `The server answered HTTP ${res.status}`, res.status);
  }
  return payload as T;
}
