import type { Session } from '@telemed/signaling/protocol';
import { Emitter } from '../util/emitter.js';

const KEY = 'telemed.session';

interface Stored {
  session: Session;
  /** Epoch ms at which the access token expires (computed on receipt: `expiresIn` is relative). */
  expiresAt: number;
}

/** The minimal part of `Storage` used here, so tests can hand in a Map-backed fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The current session, kept in sessionStorage: each tab (and each test browser context) is its own
 * login, and a reload keeps it.
 */
export class SessionStore extends Emitter<{ change: [Session | null] }> {
  private current: Stored | null;

  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.current = this.read();
  }

  get(): Session | null {
    return this.current?.session ?? null;
  }

  /** Epoch ms when the access token expires, or null without a session. */
  expiresAt(): number | null {
    return this.current?.expiresAt ?? null;
  }

  set(session: Session): void {
    this.current = { session, expiresAt: this.now() + session.expiresIn * 1000 };
    this.storage?.setItem(KEY, JSON.stringify(this.current));
    this.emit('change', session);
  }

  clear(): void {
    if (!this.current) return;
    this.current = null;
    this.storage?.removeItem(KEY);
    this.emit('change', null);
  }

  private read(): Stored | null {
    const raw = this.storage?.getItem(KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Stored>;
      if (
        parsed.session?.accessToken &&
        parsed.session.refreshToken &&
        typeof parsed.expiresAt === 'number'
      ) {
        return parsed as Stored;
      }
    } catch {
      // a damaged entry is the same as none
    }
    this.storage?.removeItem(KEY);
    return null;
  }
}

/**
 * When to refresh an access token that lives `expiresInS` seconds: a minute early, but never later
 * than at 80% of a short lifetime, so a slow refresh still lands before expiry.
 */
export function refreshDelayMs(expiresAt: number, now: number, lifetimeS: number): number {
  const margin = Math.min(60_000, lifetimeS * 1000 * 0.2);
  return Math.max(0, expiresAt - margin - now);
}
