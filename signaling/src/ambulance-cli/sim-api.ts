// The simulator's HTTP calls: log in (again before the token expires), the receiving hospitals,
// create or read a run. Failures carry the server's error code and message (never patient data).
import type { AmbulanceRun, CreateRunBody, HospitalsResponse, Session } from '../protocol/index.js';

export class SimApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimApiError';
  }
}

export class SimApi {
  private session: Session | null = null;
  private expiresAt = 0;
  private readonly base: string;

  constructor(
    url: string,
    private readonly user: string,
    private readonly password: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  /** A valid access token, logging in again when the current one is past half its life. */
  async token(): Promise<string> {
    if (!this.session || Date.now() > this.expiresAt) {
      const started = Date.now();
      this.session = await this.call<Session>(
        'POST',
        '/api/auth/login',
        { username: this.user, password: this.password },
        null,
      );
      this.expiresAt = started + (this.session.expiresIn * 1000) / 2;
    }
    return this.session.accessToken;
  }

  async hospitals(): Promise<HospitalsResponse['hospitals']> {
    return (
      await this.call<HospitalsResponse>('GET', '/api/ambulance/hospitals', undefined, await this.token())
    ).hospitals;
  }

  async createRun(body: CreateRunBody): Promise<AmbulanceRun> {
    return this.call<AmbulanceRun>('POST', '/api/ambulance/runs', body, await this.token());
  }

  async run(id: string): Promise<AmbulanceRun> {
    return this.call<AmbulanceRun>(
      'GET',
      `/api/ambulance/runs/${encodeURIComponent(id)}`,
      undefined,
      await this.token(),
    );
  }

  private async call<T>(method: string, path: string, body: unknown, token: string | null): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null;
      throw new SimApiError(
        res.status,
        err?.error?.code ?? 'HTTP',
        `${method} ${path}: ${err?.error?.message ?? res.statusText}`,
      );
    }
    return (await res.json()) as T;
  }
}
