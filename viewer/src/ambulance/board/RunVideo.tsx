import type { AmbulanceRun } from '@telemed/signaling/protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError } from '../../api/errors.js';
import type { SignalingClient } from '../../api/signaling.js';
import { describeError } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/index.js';
import { DEFAULT_MEDIA_PROFILE } from '../../room/mediaProfile.js';
import type { RemotePeerView, RoomSnapshot } from '../../room/roomState.js';
import { useMediaTrack } from '../../room/useMediaTrack.js';
import { useRoomClient } from '../../room/useRoomClient.js';
import { ambulanceApi } from '../shared/api.js';
import { BOARD_WATCH, runVideoState, videoPeers } from './runVideoState.js';

const NO_SNAPSHOT = () => () => undefined;

/**
 * A run's live video inline on its board card: the hospital user is invited into the run's consult
 * room (`POST …/consult`) and joins it receive-only. Mounted only while the card's video is open;
 * unmounting (toggle, another run's video, the card leaving) leaves the room.
 */
export function RunVideo({ run, signaling }: { run: AmbulanceRun; signaling: SignalingClient }) {
  const { t } = useI18n();
  // Bumped by "retry" / "watch here": a new visit, only ever on the user's click (no retry loops).
  const [visit, setVisit] = useState(0);
  // The invite's answer, tagged with the visit it answers: a new visit has no room (so the previous
  // client is left) until its own invite comes back, even when it names the same room.
  const [invited, setInvited] = useState<{ key: string; roomId: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = `${run.id}#${visit}`;

  useEffect(() => {
    let cancelled = false;
    setFailure(null);
    ambulanceApi.consult(run.id).then(
      (res) => !cancelled && setInvited({ key, roomId: res.roomId }),
      (err: unknown) => !cancelled && setFailure(describeError(ApiError.from(err))),
    );
    return () => {
      cancelled = true;
    };
  }, [run.id, key]);
  const roomId = invited?.key === key ? invited.roomId : null;
  const client = useRoomClient(roomId, signaling, DEFAULT_MEDIA_PROFILE, BOARD_WATCH);

  const snap = useSyncExternalStore(client?.subscribe ?? NO_SNAPSHOT, () => client?.getSnapshot() ?? null);
  const state = runVideoState(snap, failure !== null);
  const peers = snap && state === 'playing' ? videoPeers(snap) : [];

  return (
    <section
      className="amb-video"
      data-testid={`ambulance-video-${run.id}`}
      data-state={state}
      data-room={client?.roomId ?? ''}
      aria-label={t('ambulance.videoTitle', { callsign: run.callsign })}
    >
      {peers.length > 0 && (
        <div className={`amb-video-tiles amb-video-n${Math.min(peers.length, 2)}`}>
          {peers.map((p) => (
            <VideoTile key={p.info.peerId} peer={p} runId={run.id} />
          ))}
        </div>
      )}
      <VideoStatus
        state={state}
        snap={snap}
        failure={failure}
        onAgain={() => setVisit((n) => n + 1)}
        runId={run.id}
      />
    </section>
  );
}

function VideoStatus({
  state,
  snap,
  failure,
  onAgain,
  runId,
}: {
  state: ReturnType<typeof runVideoState>;
  snap: RoomSnapshot | null;
  failure: string | null;
  onAgain(): void;
  runId: string;
}) {
  const { t } = useI18n();
  if (state === 'playing') return <p className="amb-video-note amb-muted">{t('ambulance.videoWatched')}</p>;
  const again = (label: string) => (
    <button type="button" className="btn" data-testid={`ambulance-video-again-${runId}`} onClick={onAgain}>
      {label}
    </button>
  );
  return (
    <div className="amb-video-status" role="status" data-testid={`ambulance-video-status-${runId}`}>
      {state === 'connecting' && t('ambulance.videoConnecting')}
      {state === 'waiting' && t('ambulance.videoWaiting')}
      {state === 'reconnecting' && t('ambulance.videoReconnecting')}
      {state === 'elsewhere' && (
        <>
          <strong>{t('ambulance.videoElsewhere')}</strong>
          <span className="amb-muted">{t('ambulance.videoElsewhereHint')}</span>
          {again(t('ambulance.videoWatchHere'))}
        </>
      )}
      {state === 'error' && (
        <>
          <span>
            {t('ambulance.videoFailed', {
              reason: failure ?? (snap?.error ? describeError(snap.error) : ''),
            })}
          </span>
          {again(t('ambulance.videoRetry'))}
        </>
      )}
    </div>
  );
}

function VideoTile({ peer, runId }: { peer: RemotePeerView; runId: string }) {
  const { t } = useI18n();
  const video = useMediaTrack<HTMLVideoElement>(peer.camera?.track ?? null);
  const overlay =
    peer.info.status === 'reconnecting'
      ? t('ambulance.videoReconnecting')
      : peer.cameraOff || peer.camera?.paused
        ? t('ambulance.videoPaused')
        : null;
  return (
    <figure className="amb-video-tile" data-testid={`ambulance-video-tile-${runId}-${peer.info.peerId}`}>
      <video ref={video.ref} autoPlay playsInline muted />
      {overlay && <div className="amb-video-overlay">{overlay}</div>}
      <figcaption>{peer.info.displayName}</figcaption>
    </figure>
  );
}
