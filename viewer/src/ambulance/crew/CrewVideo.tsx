import { useSyncExternalStore } from 'react';
import type { SignalingClient } from '../../api/signaling.js';
import { useI18n } from '../../i18n/index.js';
import { LocalTile } from '../../room/LocalTile.js';
import { LOW_BANDWIDTH_MEDIA_PROFILE } from '../../room/mediaProfile.js';
import { RemoteTiles } from '../../room/RemoteTile.js';
import type { RoomClient } from '../../room/RoomClient.js';
import { useRoomClient } from '../../room/useRoomClient.js';
import './messages.js';

/**
 * The crew's camera and microphone in the run's consult room, through the consult room's own client
 * (joining, re-joining after a drop, ICE restarts, media resets) with the low-bandwidth profile, and
 * whoever the hospital sends in. Compact: the crew's hands are busy.
 */
export function CrewVideo({ roomId, signaling }: { roomId: string; signaling: SignalingClient }) {
  const client = useRoomClient(roomId, signaling, LOW_BANDWIDTH_MEDIA_PROFILE);
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
        <RemoteTiles client={client} peers={snap.peers} />
      </div>
      {snap.peers.length === 0 && <p className="muted small">{t('crew.waitingHospital')}</p>}
      {snap.phase !== 'joined' && snap.notice && (
        <p className="banner banner-warn" role="status">
          {t(snap.notice)}
        </p>
      )}
      <div className="crew-row">
        <CrewToggle
          on={snap.local.micOn}
          label={snap.local.micOn ? t('crew.micOn') : t('crew.micOff')}
          onClick={() => void client.toggleMic()}
          testId="crew-toggle-mic"
        />
        <CrewToggle
          on={snap.local.cameraOn}
          label={snap.local.cameraOn ? t('crew.cameraOn') : t('crew.cameraOff')}
          onClick={() => void client.toggleCamera()}
          testId="crew-toggle-camera"
        />
      </div>
    </section>
  );
}

/** A big on/off button: gloved hands, a moving vehicle. */
function CrewToggle({
  on,
  label,
  onClick,
  testId,
}: {
  on: boolean;
  label: string;
  onClick(): void;
  testId: string;
}) {
  return (
    <button type="button" className="btn crew-big" aria-pressed={on} onClick={onClick} data-testid={testId}>
      {label}
    </button>
  );
}
