import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SignalingClient } from '../../api/signaling.js';
import { clearActiveRoom, setActiveRoom } from '../../debugHooks.js';
import { useI18n } from '../../i18n/index.js';
import { LocalTile } from '../../room/LocalTile.js';
import { LOW_BANDWIDTH_MEDIA_PROFILE } from '../../room/mediaProfile.js';
import { RemoteTile } from '../../room/RemoteTile.js';
import { RoomClient } from '../../room/RoomClient.js';
import './messages.js';

/**
 * The crew's camera and microphone in the run's consult room, through the consult room's own client
 * (joining, re-joining after a drop, ICE restarts, media resets) with the low-bandwidth profile, and
 * whoever the hospital sends in. Compact: the crew's hands are busy.
 */
export function CrewVideo({ roomId, signaling }: { roomId: string; signaling: SignalingClient }) {
  const [client, setClient] = useState<RoomClient | null>(null);
  useEffect(() => {
    const c = new RoomClient(roomId, signaling, LOW_BANDWIDTH_MEDIA_PROFILE);
    setClient(c);
    setActiveRoom(c);
    void c.start();
    const onPageHide = () => void c.close();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      clearActiveRoom(c);
      void c.close();
    };
  }, [roomId, signaling]);
  if (!client) return <section className="crew-video" data-testid="crew-video" data-state="joining" />;
  return <CrewVideoView client={client} />;
}

function CrewVideoView({ client }: { client: RoomClient }) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot);
  return (
    <section className="crew-video" data-testid="crew-video" data-state={snap.phase}>
      <div className="crew-tiles">
        <LocalTile local={snap.local} self={snap.self} name={t('room.you')} />
        {snap.peers.map((p) => (
          <RemoteTile
            key={p.info.peerId}
            peer={p}
            onHide={(hidden) => client.setHidden(p.info.peerId, hidden)}
            onSize={(size) => client.setTileSize(p.info.peerId, size)}
          />
        ))}
      </div>
      {snap.peers.length === 0 && <p className="muted small">{t('crew.waitingHospital')}</p>}
      {snap.phase !== 'joined' && snap.notice && (
        <p className="banner banner-warn" role="status">
          {t(snap.notice)}
        </p>
      )}
      <div className="crew-row">
        <button
          type="button"
          className="btn crew-big"
          aria-pressed={snap.local.micOn}
          onClick={() => void client.toggleMic()}
          data-testid="crew-toggle-mic"
        >
          {snap.local.micOn ? t('crew.micOn') : t('crew.micOff')}
        </button>
        <button
          type="button"
          className="btn crew-big"
          aria-pressed={snap.local.cameraOn}
          onClick={() => void client.toggleCamera()}
          data-testid="crew-toggle-camera"
        >
          {snap.local.cameraOn ? t('crew.cameraOn') : t('crew.cameraOff')}
        </button>
      </div>
    </section>
  );
}
