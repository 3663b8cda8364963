import type { RoomClient } from './RoomClient.js';
import type { RemotePeerView } from './roomState.js';
import { MicIcon } from '../layout/icons.js';
import { useI18n } from '../i18n/index.js';
import { roleLabel } from '../layout/labels.js';
import { QualityIndicator } from './QualityIndicator.js';
import { useElementSize, useMediaTrack } from './useMediaTrack.js';
import './messages.js';

interface Props {
  peer: RemotePeerView;
  onHide(hidden: boolean): void;
  onSize(size: { width: number; height: number }): void;
}

/** Every remote participant's tile, each reporting its visibility and size back to the client. */
export function RemoteTiles({
  client,
  peers,
}: {
  client: Pick<RoomClient, 'setHidden' | 'setTileSize'>;
  peers: readonly RemotePeerView[];
}) {
  return peers.map((p) => (
    <RemoteTile
      key={p.info.peerId}
      peer={p}
      onHide={(hidden) => client.setHidden(p.info.peerId, hidden)}
      onSize={(size) => client.setTileSize(p.info.peerId, size)}
    />
  ));
}

export function RemoteTile({ peer, onHide, onSize }: Props) {
  const { t } = useI18n();
  const { info } = peer;
  const video = useMediaTrack<HTMLVideoElement>(peer.camera?.track ?? null);
  const audio = useMediaTrack<HTMLAudioElement>(peer.mic?.track ?? null);
  const tileRef = useElementSize<HTMLDivElement>(onSize);
  const reconnecting = info.status === 'reconnecting';
  const showVideo = peer.camera && !peer.cameraOff && !peer.hidden && !reconnecting;
  const overlay = reconnecting
    ? t('room.peerReconnecting')
    : peer.hidden
      ? t('room.videoHidden')
      : peer.cameraOff
        ? t('room.cameraOff')
        : !peer.camera
          ? t('room.connectingVideo')
          : null;

  return (
    <div
      ref={tileRef}
      className={`tile${peer.speaking ? ' tile-speaking' : ''}${reconnecting ? ' tile-reconnecting' : ''}`}
      data-testid={`tile-${info.peerId}`}
      data-peer-status={info.status}
    >
      <video
        ref={video.ref}
        className={showVideo ? 'tile-video' : 'tile-video invisible'}
        autoPlay
        playsInline
        muted
      />
      <audio ref={audio.ref} autoPlay />
      {overlay && (
        <div className="tile-overlay">
          <span className="avatar" aria-hidden="true">
            {initials(info.displayName)}
          </span>
          <span>{overlay}</span>
        </div>
      )}
      {audio.blocked && (
        <button type="button" className="btn btn-small tile-unblock" onClick={audio.retry}>
          {t('room.enableSound')}
        </button>
      )}
      <div className="tile-top">
        <QualityIndicator quality={peer.quality} score={peer.score} />
        <button
          type="button"
          className="btn btn-small btn-glass"
          aria-pressed={peer.hidden}
          onClick={() => onHide(!peer.hidden)}
          aria-label={peer.hidden ? t('room.showVideo') : t('room.hideVideoHint')}
        >
          {peer.hidden ? t('room.showVideo') : t('room.hideVideo')}
        </button>
      </div>
      <div className="tile-label">
        {peer.micMuted && (
          <span className="mic-off">
            <MicIcon off label={t('room.micMuted')} />
          </span>
        )}
        <span className="tile-name">{info.displayName}</span>
        <span className={`role-badge role-${info.role}`}>{roleLabel(info.role)}</span>
        <span className="tile-institution">{info.institution}</span>
      </div>
    </div>
  );
}

export function initials(name: string): string {
  return name
    .split(/[\s.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase() ?? '')
    .join('');
}
