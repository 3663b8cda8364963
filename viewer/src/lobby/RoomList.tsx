import type { ConsultRoom, UserInfo } from '@telemed/signaling/protocol';
import { linkHandler } from '../app/navigation.js';
import { roomPath } from '../app/routes.js';
import { formatDateTime, useI18n } from '../i18n/index.js';
import { InviteEditor } from './InviteEditor.js';
import './messages.js';

interface Props {
  rooms: ConsultRoom[] | null;
  users: UserInfo[];
  me: UserInfo;
  onChanged(): void;
}

export function RoomList({ rooms, users, me, onChanged }: Props) {
  const { t, locale } = useI18n();
  if (rooms === null) return <p className="muted">{t('lobby.loading')}</p>;
  if (rooms.length === 0) return <p className="muted">{t('lobby.empty')}</p>;
  const byId = new Map(users.map((u) => [u.id, u]));
  const nameOf = (id: string) =>
    id === me.id ? t('lobby.you') : (byId.get(id)?.displayName ?? t('lobby.unknownUser'));

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
                {t('lobby.openedBy', {
                  name: nameOf(room.ownerId),
                  time: formatDateTime(room.createdAt, locale),
                })}
              </p>
              <p className="room-meta">
                {room.invitees.length === 0
                  ? t('lobby.invitedNobody')
                  : t('lobby.invited', { names: room.invitees.map(nameOf).join(t('lobby.listSeparator')) })}
              </p>
              {mayManage && <InviteEditor room={room} users={users} me={me} onChanged={onChanged} />}
            </div>
            <div className="room-item-side">
              {room.participants > 0 ? (
                <span className="live-badge">{t('lobby.inCall', { count: room.participants })}</span>
              ) : (
                <span className="muted small">{t('lobby.nobodyInCall')}</span>
              )}
              <a
                className="btn btn-primary"
                href={path}
                data-testid={`join-room-${room.id}`}
                onClick={linkHandler(path)}
              >
                {t('lobby.join')}
              </a>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
