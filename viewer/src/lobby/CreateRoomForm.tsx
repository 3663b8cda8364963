import { useState, type FormEvent } from 'react';
import type { UserInfo } from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { api } from '../app/services.js';
import { roleLabel } from '../layout/labels.js';
import { groupByInstitution } from './groupUsers.js';

interface Props {
  users: UserInfo[] | null;
  me: UserInfo;
  onCreated(): void;
}

export function CreateRoomForm({ users, me, onCreated }: Props) {
  const [title, setTitle] = useState('');
  const [invitees, setInvitees] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
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
      setError('Give the consult a title (no patient names)');
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
      setError(ApiError.from(err).message);
    } finally {
      setBusy(false);
    }
  };

  const groups = groupByInstitution(users ?? [], me.institution.id, me.id);
  return (
    <form className="create-room" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>Title</span>
        <input
          data-testid="create-room-title"
          value={title}
          maxLength={120}
          placeholder="e.g. Chest pain, 58 y"
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <div className="invitee-groups">
        <span className="field-label">Invite</span>
        {users === null && <p className="muted">Loading colleagues…</p>}
        {groups.map((g) => (
          <fieldset key={g.institution} className="invitee-group">
            <legend>{g.institution}</legend>
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
          {error}
        </p>
      )}
      <button className="btn btn-primary" type="submit" data-testid="create-room-submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create room'}
      </button>
    </form>
  );
}
