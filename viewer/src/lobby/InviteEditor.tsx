import { useState } from 'react';
import type { ConsultRoom, UserInfo } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { api } from '../app/services.js';
import { describeError, type ErrorLike } from '../i18n/errors.js';
import { useI18n } from '../i18n/index.js';
import './messages.js';

interface Props {
  room: ConsultRoom;
  users: UserInfo[];
  me: UserInfo;
  onChanged(): void;
}

/** The owner's (or an admin's) view of a room's invitations: withdraw one, add another. */
export function InviteEditor({ room, users, me, onChanged }: Props) {
  const { t, locale } = useI18n();
  const [pick, setPick] = useState('');
  const [error, setError] = useState<ErrorLike | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map(users.map((u) => [u.id, u]));
  const candidates = users
    .filter((u) => u.id !== room.ownerId && u.id !== me.id && !room.invitees.includes(u.id))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, locale));

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      const e = ApiError.from(err);
      setError({ code: e.code, message: e.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="invite-editor">
      <summary>{t('lobby.manageInvitations')}</summary>
      <ul className="chips">
        {room.invitees.map((id) => (
          <li key={id} className="chip">
            {byId.get(id)?.displayName ?? id}
            <button
              type="button"
              className="chip-remove"
              aria-label={t('lobby.withdraw', { name: byId.get(id)?.displayName ?? id })}
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
          <select
            value={pick}
            onChange={(e) => setPick(e.target.value)}
            aria-label={t('lobby.colleagueToInvite')}
          >
            <option value="">{t('lobby.pickColleague')}</option>
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
            {t('lobby.inviteButton')}
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      )}
    </details>
  );
}
