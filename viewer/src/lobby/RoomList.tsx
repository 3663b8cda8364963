import type { ConsultRoom, UserInfo } from '@telemed/signaling/protocol';
import { linkHandler } from '../app/navigation.js';
import { roomPath } from '../app/routes.js';
import { formatDateTime } from '../layout/labels.js';
import { InviteEditor } from './InviteEditor.js';

interface Props {
  rooms: ConsultRoom[] | null;
  users: UserInfo[];
  me: UserInfo;
  onChanged(): void;
}

export function RoomList({ rooms, users, me, onChanged }: Props) {
  if (rooms === null) return <p className="muted">Loading…</p>;
  if (rooms.length === 0)
    return <p className="muted">No consult rooms yet. Create one and invite colleagues.</p>;
  const byId = new Map(users.map((u) => [u.id, u]));
  const nameOf = (id: string) => (id === me.id ? 'you' : (byId.get(id)?.displayName ?? 'unknown user'));

  return (
    <ul className="room-list">
      {rooms.map((room) => {
        const path = roomPath(room.id);
        const mayManage = room.ownerId === me.id || me.role === 'admin';
        return (
          <li key={room.id} className="room-item" data-testid={`room-item-${room.id}`}>
            <div className="room-item-main">
              <h3 className="room-title">{room.title}</h3>
              <p className="room-meta">
                Opened by {nameOf(room.ownerId)} · {formatDateTime(room.createdAt)}
              </p>
              <p className="room-meta">
                Invited: {room.invitees.length === 0 ? 'nobody yet' : room.invitees.map(nameOf).join(', ')}
              </p>
              {mayManage && <InviteEditor room={room} users={users} me={me} onChanged={onChanged} />}
            </div>
            <div className="room-item-side">
              {room.participants > 0 ? (
                <span className="live-badge" title="People in the call now">
                  ● {room.participants} in call
                </span>
              ) : (
                <span className="muted small">nobody in call</span>
              )}
              <a
                className="btn btn-primary"
                href={path}
                data-testid={`join-room-${room.id}`}
                onClick={linkHandler(path)}
              >
                Join
              </a>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
