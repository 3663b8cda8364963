import { useCallback, useEffect, useState } from 'react';
import type { ConsultRoom, UserInfo } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import type { SignalingClient } from '../api/signaling.js';
import { api } from '../app/services.js';
import type { ErrorLike } from '../i18n/errors.js';

export interface LobbyData {
  rooms: ConsultRoom[] | null;
  users: UserInfo[] | null;
  /** Code and server text, worded by the page in the current language. */
  error: ErrorLike | null;
  reload(): void;
}

/** My rooms and the user directory, kept current by `roomsChanged` and on returning to the tab. */
export function useLobbyData(signaling: SignalingClient): LobbyData {
  const [rooms, setRooms] = useState<ConsultRoom[] | null>(null);
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [error, setError] = useState<ErrorLike | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.rooms(), api.users()]).then(
      ([r, u]) => {
        if (cancelled) return;
        setRooms([...r.rooms].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
        setUsers(u.users);
        setError(null);
      },
      (err: unknown) => {
        if (!cancelled) {
          const e = ApiError.from(err);
          setError({ code: e.code, message: e.message });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [version]);

  useEffect(() => {
    const offRooms = signaling.on('roomsChanged', reload);
    // Participant counts change without a notification; a reconnection may have missed some.
    const offState = signaling.onState((s) => s === 'connected' && reload());
    const onFocus = () => reload();
    window.addEventListener('focus', onFocus);
    return () => {
      offRooms();
      offState();
      window.removeEventListener('focus', onFocus);
    };
  }, [signaling, reload]);

  return { rooms, users, error, reload };
}
