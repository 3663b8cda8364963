import type { PeerInfo } from '@telemed/signaling/protocol';
import { MicIcon } from '../layout/icons.js';
import { roleLabel } from '../layout/labels.js';
import { initials } from './RemoteTile.js';
import type { LocalView } from './roomState.js';
import { useMediaTrack } from './useMediaTrack.js';

export function LocalTile({ local, self, name }: { local: LocalView; self: PeerInfo | null; name: string }) {
  const video = useMediaTrack<HTMLVideoElement>(local.cameraTrack);
  const overlay = !local.hasCamera ? 'No camera' : !local.cameraOn ? 'Camera off' : null;
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
          <span className="mic-off" title="Your microphone is muted">
            <MicIcon off label="Microphone muted" />
          </span>
        )}
        <span className="tile-name">You</span>
        {self && <span className={`role-badge role-${self.role}`}>{roleLabel(self.role)}</span>}
      </div>
    </div>
  );
}
