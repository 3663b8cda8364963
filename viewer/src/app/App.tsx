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
// The study list and the upload page (no Cornerstone in either).
const StudyListPage = lazy(() =>
  import('../studies/StudyListPage.js').then((m) => ({ default: m.StudyListPage })),
);
const UploadPage = lazy(() => import('../upload/UploadPage.js').then((m) => ({ default: m.UploadPage })));
// The ECG viewer and its import page load only when opened.
// Referrals, worklist and reports load only when one of their pages is opened.
const ReferralsPage = lazy(() =>
  import('../referrals/ReferralsPage.js').then((m) => ({ default: m.ReferralsPage })),
);
// The ambulance crew page (phone/tablet: video, events, vitals) loads only when opened.
const CrewPage = lazy(() => import('../ambulance/crew/CrewPage.js').then((m) => ({ default: m.CrewPage })));
// The ambulance arrival board and handover (hospital side) load only when opened.
const AmbulanceHospitalPage = lazy(() =>
  import('../ambulance/board/AmbulanceHospitalPage.js').then((m) => ({ default: m.AmbulanceHospitalPage })),
);
// Pre-notification toasts for hospital staff on every page (the server sends them to the receiving hospital).
const PrenotificationToasts = lazy(() =>
  import('../ambulance/shared/PrenotificationToasts.js').then((m) => ({ default: m.PrenotificationToasts })),
);
const EcgPage = lazy(() => import('../ecg/EcgPage.js').then((m) => ({ default: m.EcgPage })));
const EcgImportPage = lazy(() =>
  import('../ecg/EcgImportPage.js').then((m) => ({ default: m.EcgImportPage })),
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
      {session.user.institution.kind === 'hospital' && (
        <Suspense fallback={null}>
          <PrenotificationToasts signaling={signaling} />
        </Suspense>
      )}
      {route.name === 'room' ? (
        <Suspense fallback={<main className="room" data-testid="room" data-state="joining" />}>
          <RoomPage key={route.roomId} roomId={route.roomId} signaling={signaling} />
        </Suspense>
      ) : route.name === 'study' ? (
        <Suspense fallback={<main className="study" data-testid="image-viewport" data-state="loading" />}>
          <StudyViewerPage key={route.studyUid} studyUid={route.studyUid} />
        </Suspense>
      ) : route.name === 'studies' ? (
        <Suspense fallback={<main className="studies" data-testid="study-list" />}>
          <StudyListPage />
        </Suspense>
      ) : route.name === 'upload' ? (
        <Suspense fallback={<main className="upload" data-testid="upload-page" />}>
          <UploadPage />
        </Suspense>
      ) : route.name === 'ecg' ? (
        <Suspense fallback={<main className="ecg-page" data-testid="ecg-page" data-state="loading" />}>
          <EcgPage key={route.sopInstanceUid} sopInstanceUid={route.sopInstanceUid} />
        </Suspense>
      ) : route.name === 'ecgImport' ? (
        <Suspense fallback={<main className="ecg-page" data-testid="ecg-import" />}>
          <EcgImportPage />
        </Suspense>
      ) : route.name === 'ambulanceCrew' ? (
        <Suspense fallback={<main className="crew" data-testid="crew-loading" />}>
          <CrewPage {...(route.runId ? { runId: route.runId } : {})} signaling={signaling} />
        </Suspense>
      ) : route.name === 'ambulanceHospital' ? (
        <Suspense fallback={<main className="amb-board" data-testid="ambulance-loading" />}>
          <AmbulanceHospitalPage route={route} signaling={signaling} />
        </Suspense>
      ) : route.name === 'referrals' ? (
        <Suspense fallback={<main className="referrals" data-testid="referrals-loading" />}>
          <ReferralsPage route={route} session={session} signaling={signaling} />
        </Suspense>
      ) : (
        <LobbyPage session={session} signaling={signaling} />
      )}
    </div>
  );
}
