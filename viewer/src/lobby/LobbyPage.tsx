import type { Session } from '@telemed/signaling/protocol';
import type { SignalingClient } from '../api/signaling.js';
import { describeError } from '../i18n/errors.js';
import { useI18n } from '../i18n/index.js';
import { CreateRoomForm } from './CreateRoomForm.js';
import { RoomList } from './RoomList.js';
import { useLobbyData } from './useLobbyData.js';
import './messages.js';

export function LobbyPage({ session, signaling }: { session: Session; signaling: SignalingClient }) {
  const { t } = useI18n();
  const { rooms, users, error, reload } = useLobbyData(signaling);
  return (
    <main className="lobby" data-testid="lobby">
      <section className="card lobby-rooms" aria-labelledby="rooms-heading">
        <div className="card-head">
          <h2 id="rooms-heading">{t('lobby.myRooms')}</h2>
          <button type="button" className="btn btn-quiet" onClick={reload}>
            {t('lobby.refresh')}
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {describeError(error)}
          </p>
        )}
        <RoomList rooms={rooms} users={users ?? []} me={session.user} onChanged={reload} />
      </section>
      <section className="card lobby-create" aria-labelledby="create-heading">
        <h2 id="create-heading">{t('lobby.newRoom')}</h2>
        <CreateRoomForm users={users} me={session.user} onCreated={reload} />
      </section>
    </main>
  );
}
