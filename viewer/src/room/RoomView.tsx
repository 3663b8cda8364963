import { useEffect, useState, useSyncExternalStore } from 'react';
import { navigate } from '../app/navigation.js';
import { api, sessionStore } from '../app/services.js';
import { describeError } from '../i18n/errors.js';
import { useI18n } from '../i18n/index.js';
import { ChatPanel } from './ChatPanel.js';
import { ControlBar } from './ControlBar.js';
import { LocalTile } from './LocalTile.js';
import { RemoteTiles } from './RemoteTile.js';
import type { RoomClient } from './RoomClient.js';
import { ScreenTile } from './ScreenTile.js';
import { StudyPanel } from './StudyPanel.js';
import './messages.js';

export function RoomView({ client }: { client: RoomClient }) {
  const { t } = useI18n();
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot);
  const title = useRoomTitle(client.roomId);
  const leave = () => {
    void client.close().finally(() => navigate('/'));
  };

  if (snap.phase === 'error' && snap.error) {
    return (
      <main className="room room-failed" data-testid="room" data-state="error">
        <div className="card room-error-card">
          <h2>{t(headlineKey(snap.error.code))}</h2>
          {/* The server's code and English reason stay visible after the translation (support, tests). */}
          <p className="form-error" role="alert" data-testid="room-error">
            {describeError(snap.error, t(headlineKey(snap.error.code)))}
          </p>
          <button type="button" className="btn btn-primary" onClick={() => navigate('/')}>
            {t('room.backToLobby')}
          </button>
        </div>
      </main>
    );
  }

  const me = sessionStore.get()?.user;
  const screens = [
    ...(snap.local.screenTrack
      ? [{ key: 'local', track: snap.local.screenTrack, label: t('room.yourScreen') }]
      : []),
    ...snap.peers.flatMap((p) =>
      p.screen
        ? [
            {
              key: p.info.peerId,
              track: p.screen.track,
              label: t('room.peerScreen', { name: p.info.displayName }),
            },
          ]
        : [],
    ),
  ];
  const state = snap.phase === 'left' ? 'joining' : snap.phase;

  return (
    <main className="room" data-testid="room" data-state={state}>
      <div className="room-head">
        <h1 className="room-heading">{title ?? t('room.defaultTitle')}</h1>
        <span className="muted small">
          {snap.peers.length === 0 ? t('room.waiting') : t('room.inCall', { count: snap.peers.length + 1 })}
        </span>
      </div>
      {(snap.phase === 'reconnecting' || snap.phase === 'joining') && (
        <div className="banner banner-warn" role="status" data-testid="room-banner">
          {snap.phase === 'joining' ? t('room.joining') : t(snap.notice ?? 'room.reconnecting')}
        </div>
      )}
      {snap.phase === 'joined' && snap.notice && (
        <div className="banner banner-info" role="status">
          {t(snap.notice)}
        </div>
      )}
      <div className="room-body">
        <section
          className={
            screens.length > 0
              ? 'stage stage-with-screen'
              : `stage stage-n${Math.min(snap.peers.length + 1, 6)}`
          }
          aria-label={t('room.participants')}
        >
          {screens.length > 0 && (
            <div className="screens">
              {screens.map((s) => (
                <ScreenTile
                  key={`screen-${s.key}`}
                  track={s.track}
                  label={s.label}
                  testId={`screen-${s.key}`}
                />
              ))}
            </div>
          )}
          <div className="tiles">
            <LocalTile local={snap.local} self={snap.self} name={me?.displayName ?? t('room.you')} />
            <RemoteTiles client={client} peers={snap.peers} />
          </div>
        </section>
        <StudyPanel client={client} peers={snap.peers.map((p) => p.info)} phase={snap.phase} />
        <ChatPanel
          messages={snap.chat}
          selfId={snap.self?.peerId ?? me?.id ?? null}
          onSend={(t) => client.sendChat(t)}
        />
      </div>
      <ControlBar
        local={snap.local}
        disabled={snap.phase !== 'joined'}
        onMic={() => void client.toggleMic()}
        onCamera={() => void client.toggleCamera()}
        onScreen={() => void client.toggleScreen()}
        onLeave={leave}
      />
    </main>
  );
}

function useRoomTitle(roomId: string): string | null {
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    // Refusals are reported by the join itself; the title is only decoration.
    api.room(roomId).then(
      (room) => !cancelled && setTitle(room.title),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [roomId]);
  return title;
}

function headlineKey(code: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'room.headlineForbidden';
    case 'NOT_FOUND':
      return 'room.headlineNotFound';
    case 'KICKED':
      return 'room.headlineKicked';
    case 'UNAUTHORIZED':
      return 'room.headlineUnauthorized';
    default:
      return 'room.headlineOther';
  }
}
