import { useState, type FormEvent } from 'react';
import type { UserInfo } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { api } from '../app/services.js';
import { describeError, type ErrorLike } from '../i18n/errors.js';
import { useI18n } from '../i18n/index.js';
import { institutionKindLabel, roleLabel } from '../layout/labels.js';
import { groupByInstitution } from './groupUsers.js';
import './messages.js';

interface Props {
  users: UserInfo[] | null;
  me: UserInfo;
  onCreated(): void;
}

export function CreateRoomForm({ users, me, onCreated }: Props) {
  const { t, locale } = useI18n();
  const [title, setTitle] = useState('');
  const [invitees, setInvitees] = useState<ReadonlySet<string>>(new Set());
  // `missing-title` or a server error; worded at render so a language switch re-words it.
  const [error, setError] = useState<'missing-title' | ErrorLike | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (userId: string, on: boolean) => {
    setInvitees((prev) => {
      const next = new Set(prev);
      if (on) next.add(userId);
      else next.delete(userId);
      return next;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('missing-title');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.createRoom({ title: title.trim(), invitees: [...invitees] });
      setTitle('');
      setInvitees(new Set());
      onCreated();
    } catch (err) {
      const e = ApiError.from(err);
      setError({ code: e.code, message: e.message });
    } finally {
      setBusy(false);
    }
  };

  const groups = groupByInstitution(users ?? [], me.institution.id, me.id, locale);
  return (
    <form className="create-room" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('lobby.title')}</span>
        <input
          data-testid="create-room-title"
          value={title}
          maxLength={120}
          placeholder={t('lobby.titlePlaceholder')}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <div className="invitee-groups">
        <span className="field-label">{t('lobby.invite')}</span>
        {users === null && <p className="muted">{t('lobby.loadingColleagues')}</p>}
        {groups.map((g) => (
          <fieldset key={g.institution} className="invitee-group">
            <legend>
              {g.institution}
              {g.kind && <span className="kind-tag">{institutionKindLabel(g.kind)}</span>}
            </legend>
            {g.users.map((u) => (
              <label key={u.id} className="checkbox">
                <input
                  type="checkbox"
                  data-testid={`invitee-${u.id}`}
                  checked={invitees.has(u.id)}
                  onChange={(e) => toggle(u.id, e.target.checked)}
                />
                <span>{u.displayName}</span>
                <span className={`role-badge role-${u.role}`}>{roleLabel(u.role)}</span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error === 'missing-title' ? t('lobby.titleRequired') : describeError(error)}
        </p>
      )}
      <button className="btn btn-primary" type="submit" data-testid="create-room-submit" disabled={busy}>
        {busy ? t('lobby.creating') : t('lobby.create')}
      </button>
    </form>
  );
}
