import { describe, expect, it } from 'vitest';
import type { Session } from '@telemed/signaling/protocol';
import { refreshDelayMs, SessionStore, type KeyValueStorage } from './sessionStore.js';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const session: Session = {
  accessToken: 'access',
  refreshToken: 'refresh-token-refresh-token',
  expiresIn: 900,
  user: {
    id: 'u1',
    username: 'dr.wang',
    displayName: 'Dr. Wang',
    role: 'specialist',
    institution: { id: 'i1', name: 'County', kind: 'hospital' },
  },
};

describe('SessionStore', () => {
  it('survives a reload through storage, with the expiry computed on receipt', () => {
    const storage = memoryStorage();
    const first = new SessionStore(storage, () => 1_000);
    first.set(session);
    const second = new SessionStore(storage, () => 5_000);
    expect(second.get()).toEqual(session);
    expect(second.expiresAt()).toBe(1_000 + 900_000);
  });

  it('tells listeners about login and logout', () => {
    const store = new SessionStore(memoryStorage());
    const seen: Array<string | null> = [];
    store.on('change', (s) => seen.push(s?.user.id ?? null));
    store.set(session);
    store.clear();
    store.clear();
    expect(seen).toEqual(['u1', null]);
  });

  it('drops a damaged entry', () => {
    const storage = memoryStorage();
    storage.data.set('telemed.session', '{"session":{}}');
    expect(new SessionStore(storage).get()).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('works without storage', () => {
    const store = new SessionStore(null);
    store.set(session);
    expect(store.get()).toBe(session);
  });
});

describe('refreshDelayMs', () => {
  it('refreshes a long-lived token a minute early', () => {
    expect(refreshDelayMs(900_000, 0, 900)).toBe(840_000);
  });

  it('refreshes a short-lived token at 80% of its life', () => {
    expect(refreshDelayMs(20_000, 0, 20)).toBe(16_000);
  });

  it('refreshes at once when the token is already (nearly) expired', () => {
    expect(refreshDelayMs(1_000, 5_000, 900)).toBe(0);
  });
});
