import { useState } from 'react';
import type { ConsultRoom, UserInfo } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { api } from '../app/services.js';

interface Props {
  room: ConsultRoom;
  users: UserInfo[];
  me: UserInfo;
  onChanged(): void;
}

/** The owner's (or an admin's) view of a room's invitations: withdraw one, add another. */
export function InviteEditor({ room, users, me, onChanged }: Props) {
  const [pick, setPick] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map(users.map((u) => [u.id, u]));
  const candidates = users
    .filter((u) => u.id !== room.ownerId && u.id !== me.id && !room.invitees.includes(u.id))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(ApiError.from(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="invite-editor">
      <summary>Manage invitations</summary>
      <ul className="chips">
        {room.invitees.map((id) => (
          <li key={id} className="chip">
            {byId.get(id)?.displayName ?? id}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Withdraw invitation of ${byId.get(id)?.displayName ?? id}`}
              disabled={busy}
              onClick={() => void run(() => api.uninvite(room.id, id))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 && (
        <div className="invite-add">
          <select value={pick} onChange={(e) => setPick(e.target.value)} aria-label="Colleague to invite">
            <option value="">Invite a colleague…</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} — {u.institution.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn"
            disabled={!pick || busy}
            onClick={() => void run(() => api.invite(room.id, [pick]).then(() => setPick('')))}
          >
            Invite
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
