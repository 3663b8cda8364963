import type { Session } from '@telemed/signaling/protocol';
import type { SignalingClient } from '../api/signaling.js';
import { CreateRoomForm } from './CreateRoomForm.js';
import { RoomList } from './RoomList.js';
import { useLobbyData } from './useLobbyData.js';

export function LobbyPage({ session, signaling }: { session: Session; signaling: SignalingClient }) {
  const { rooms, users, error, reload } = useLobbyData(signaling);
  return (
    <main className="lobby" data-testid="lobby">
      <section className="card lobby-rooms" aria-labelledby="rooms-heading">
        <div className="card-head">
          <h2 id="rooms-heading">My consult rooms</h2>
          <button type="button" className="btn btn-quiet" onClick={reload}>
            Refresh
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <RoomList rooms={rooms} users={users ?? []} me={session.user} onChanged={reload} />
      </section>
      <section className="card lobby-create" aria-labelledby="create-heading">
        <h2 id="create-heading">New consult room</h2>
        <CreateRoomForm users={users} me={session.user} onCreated={reload} />
      </section>
    </main>
  );
}
