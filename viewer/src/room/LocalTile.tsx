import type { PeerInfo } from '@telemed/signaling/protocol';
import { MicIcon } from '../layout/icons.js';
import { useI18n } from '../i18n/index.js';
import { roleLabel } from '../layout/labels.js';
import { initials } from './RemoteTile.js';
import type { LocalView } from './roomState.js';
import { useMediaTrack } from './useMediaTrack.js';
import './messages.js';

export function LocalTile({ local, self, name }: { local: LocalView; self: PeerInfo | null; name: string }) {
  const { t } = useI18n();
  const video = useMediaTrack<HTMLVideoElement>(local.cameraTrack);
  const overlay = !local.hasCamera ? t('room.noCamera') : !local.cameraOn ? t('room.cameraOff') : null;
  return (
    <div className="tile tile-local">
      <video
        ref={video.ref}
        data-testid="local-video"
        className={overlay ? 'tile-video mirrored invisible' : 'tile-video mirrored'}
        autoPlay
        playsInline
        muted
      />
      {overlay && (
        <div className="tile-overlay">
          <span className="avatar" aria-hidden="true">
            {initials(name)}
          </span>
          <span>{overlay}</span>
        </div>
      )}
      <div className="tile-label">
        {!local.micOn && (
          <span className="mic-off">
            <MicIcon off label={t('room.micMuted')} />
          </span>
        )}
        <span className="tile-name">{t('room.you')}</span>
        {self && <span className={`role-badge role-${self.role}`}>{roleLabel(self.role)}</span>}
      </div>
    </div>
  );
}
