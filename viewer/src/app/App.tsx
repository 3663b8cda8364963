import { lazy, Suspense, useEffect } from 'react';
import { useI18n } from '../i18n/index.js';
import { Header } from '../layout/Header.js';
import '../layout/messages.js';
import { LobbyPage } from '../lobby/LobbyPage.js';
import { LoginPage } from '../login/LoginPage.js';
import { navigate, usePath } from './navigation.js';
import { parseRoute } from './routes.js';
import { signalingFor, useSession } from './services.js';

// The room (mediasoup-client, the protocol's schemas) loads only when a room is opened.
const RoomPage = lazy(() => import('../room/RoomPage.js').then((m) => ({ default: m.RoomPage })));
// The image viewer (Cornerstone3D, its decoders and workers) loads only when a study is opened.
const StudyViewerPage = lazy(() =>
  import('../imaging/StudyViewerPage.js').then((m) => ({ default: m.StudyViewerPage })),
);

export function App() {
  const session = useSession();
  const route = parseRoute(usePath());
  const { t, locale } = useI18n();

  useEffect(() => {
    document.title = t('shell.documentTitle');
  }, [t, locale]);

  useEffect(() => {
    if (route.name === 'unknown') navigate('/', { replace: true });
  }, [route.name]);

  // Without a session every page is the login page; after login the URL asked for is shown.
  if (!session) return <LoginPage />;
  const signaling = signalingFor(session);
  return (
    <div className={route.name === 'room' ? 'app app-room' : 'app'}>
      <Header session={session} />
      {route.name === 'room' ? (
        <Suspense fallback={<main className="room" data-testid="room" data-state="joining" />}>
          <RoomPage key={route.roomId} roomId={route.roomId} signaling={signaling} />
        </Suspense>
      ) : route.name === 'study' ? (
        <Suspense fallback={<main className="study" data-testid="image-viewport" data-state="loading" />}>
          <StudyViewerPage key={route.studyUid} studyUid={route.studyUid} />
        </Suspense>
      ) : (
        <LobbyPage session={session} signaling={signaling} />
      )}
    </div>
  );
}
