import { useEffect } from 'react';
import { Header } from '../layout/Header.js';
import { LobbyPage } from '../lobby/LobbyPage.js';
import { LoginPage } from '../login/LoginPage.js';
import { RoomPage } from '../room/RoomPage.js';
import { navigate, usePath } from './navigation.js';
import { parseRoute } from './routes.js';
import { signalingFor, useSession } from './services.js';

export function App() {
  const session = useSession();
  const route = parseRoute(usePath());

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
        <RoomPage key={route.roomId} roomId={route.roomId} signaling={signaling} />
      ) : (
        <LobbyPage session={session} signaling={signaling} />
      )}
    </div>
  );
}
