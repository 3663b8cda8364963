import type { LoginRequest, RefreshRequest, Session } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { fetchJson } from '../api/json.js';
import { refreshDelayMs, type SessionStore } from './sessionStore.js';

const RETRY_AFTER_NETWORK_ERROR_MS = 5_000;

/**
 * Owns the session's tokens: login, logout, and keeping the access token fresh. Refresh tokens
 * rotate on every use, so refreshes are single-flight: two concurrent ones would spend the same
 * refresh token twice and the second would log the user out.
 */
export class AuthManager {
  private inflight: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly store: SessionStore) {
    store.on('change', () => this.schedule());
    this.schedule();
  }

  session(): Session | null {
    return this.store.get();
  }

  accessToken(): string | null {
    return this.store.get()?.accessToken ?? null;
  }

  async login(username: string, password: string): Promise<Session> {
    const body: LoginRequest = { username, password };
    const session = await fetchJson<Session>('POST', '/api/auth/login', { body });
    this.store.set(session);
    return session;
  }

  async logout(): Promise<void> {
    const session = this.store.get();
    this.store.clear();
    if (!session) return;
    const body: RefreshRequest = { refreshToken: session.refreshToken };
    // The local session is gone either way; revoking the refresh token is best effort.
    await fetchJson<void>('POST', '/api/auth/logout', { body }).catch(() => undefined);
  }

  /** An access token that is not about to expire, refreshing first if needed. */
  async freshAccessToken(): Promise<string | null> {
    const expiresAt = this.store.expiresAt();
    if (expiresAt !== null && expiresAt - Date.now() < 10_000) await this.refresh();
    return this.accessToken();
  }

  /**
   * Trades the refresh token for a new session. False when the session is over (refresh refused:
   * the store is cleared and the app falls back to the login page) or the server is unreachable.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async doRefresh(): Promise<boolean> {
    const session = this.store.get();
    if (!session) return false;
    const body: RefreshRequest = { refreshToken: session.refreshToken };
    try {
      this.store.set(await fetchJson<Session>('POST', '/api/auth/refresh', { body }));
      return true;
    } catch (err) {
      const error = ApiError.from(err);
      if (error.code === 'UNAUTHORIZED' || error.code === 'BAD_REQUEST') {
        this.store.clear();
      } else {
        this.timer = setTimeout(() => void this.refresh(), RETRY_AFTER_NETWORK_ERROR_MS);
      }
      return false;
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const session = this.store.get();
    const expiresAt = this.store.expiresAt();
    if (!session || expiresAt === null) return;
    const delay = refreshDelayMs(expiresAt, Date.now(), session.expiresIn);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }
}
