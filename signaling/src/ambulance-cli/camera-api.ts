// The camera's conversation with the server over HTTP: log in (again when the token expires),
// start the camera, poll it, renew its endpoints, stop it. Failures become CameraApiError with the server's code.
import type {
  CameraEndpoints,
  CameraStatus,
  ErrorBody,
  Session,
  StartCameraBody,
} from '../protocol/index.js';

export class CameraApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CameraApiError';
  }
}

export interface CameraApiOptions {
  url: string;
  user: string;
  password: string;
  runId: string;
  /** Per request. */
  timeoutMs?: number;
}

export class CameraApi {
  private token: string | null = null;
  private readonly base: string;

  constructor(private readonly opts: CameraApiOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  async login(): Promise<Session> {
    const session = await this.call<Session>(
      'POST',
      '/api/auth/login',
      {
        username: this.opts.user,
        password: this.opts.password,
      },
      false,
    );
    this.token = session.accessToken;
    return session;
  }

  start(body: StartCameraBody): Promise<CameraEndpoints> {
    return this.authed('POST', `${this.runPath()}/camera`, body);
  }

  poll(peerId: string): Promise<CameraStatus> {
    return this.authed('GET', `${this.runPath()}/camera/${encodeURIComponent(peerId)}`);
  }

  /** Fresh endpoints; only with ffmpeg stopped (a new transport learns the first sender it hears). */
  renew(peerId: string): Promise<CameraEndpoints> {
    return this.authed('POST', `${this.runPath()}/camera/${encodeURIComponent(peerId)}/endpoints`);
  }

  stop(peerId: string): Promise<void> {
    return this.authed('DELETE', `${this.runPath()}/camera/${encodeURIComponent(peerId)}`);
  }

  private runPath(): string {
    return `/api/ambulance/runs/${encodeURIComponent(this.opts.runId)}`;
  }

  /** With the bearer token; one fresh login when it expired. */
  private async authed<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.token) await this.login();
    try {
      return await this.call<T>(method, path, body, true);
    } catch (err) {
      if (!(err instanceof CameraApiError) || err.status !== 401) throw err;
      await this.login();
      return this.call<T>(method, path, body, true);
    }
  }

  private async call<T>(method: string, path: string, body: unknown, auth: boolean): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page)
    }
    if (!res.ok) {
      const error = (json as { error?: ErrorBody } | null)?.error;
      throw new CameraApiError(
        res.status,
        error?.code ?? `HTTP_${res.status}`,
        error?.message ?? `HTTP ${res.status} from ${method} ${path}`,
      );
    }
    return json as T;
  }
}

/** One line for the operator: what went wrong, in words. */
export function explainCameraError(err: unknown): string {
  if (err instanceof CameraApiError) {
    if (err.code === 'NOT_FOUND') return `run not found (or no such camera): ${err.message}`;
    if (err.code === 'FORBIDDEN') return `forbidden: ${err.message}`;
    if (err.status === 401) return `login failed: ${err.message}`;
    return `${err.code}: ${err.message}`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'the server is not reachable (connection refused)';
  if (cause?.message) return `${(err as Error).message}: ${cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
