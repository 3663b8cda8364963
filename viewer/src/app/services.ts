import { useSyncExternalStore } from 'react';
import type { Session } from '@telemed/signaling/protocol';
import { HttpApi } from '../api/http.js';
import { SignalingClient } from '../api/signaling.js';
import { AuthManager } from '../session/auth.js';
import { SessionStore } from '../session/sessionStore.js';

function browserSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled by policy; the session then lasts as long as the page.
    return null;
  }
}

export const sessionStore = new SessionStore(browserSessionStorage());
export const auth = new AuthManager(sessionStore);
export const api = new HttpApi(auth);

/** One Socket.IO connection per logged-in user, shared by the lobby and the room. */
let signaling: { userId: string; client: SignalingClient } | null = null;

export function signalingFor(session: Session): SignalingClient {
  if (signaling?.userId !== session.user.id) {
    signaling?.client.close();
    signaling = { userId: session.user.id, client: new SignalingClient(auth) };
  }
  return signaling.client;
}

sessionStore.on('change', (session) => {
  // Token refreshes keep the connection; a logout or another user closes it.
  if (signaling && session?.user.id !== signaling.userId) {
    signaling.client.close();
    signaling = null;
  }
});

const subscribeSession = (fn: () => void) => sessionStore.on('change', fn);

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, () => sessionStore.get());
}
