import { useEffect, useState } from 'react';
import type { SignalingClient } from '../api/signaling.js';
import { clearActiveRoom, setActiveRoom } from '../debugHooks.js';
import { RoomClient } from './RoomClient.js';
import { RoomView } from './RoomView.js';

/** Owns one RoomClient per visit: created on mount, left (seat and devices released) on unmount. */
export function RoomPage({ roomId, signaling }: { roomId: string; signaling: SignalingClient }) {
  const [client, setClient] = useState<RoomClient | null>(null);

  useEffect(() => {
    const c = new RoomClient(roomId, signaling);
    setClient(c);
    setActiveRoom(c);
    void c.start();
    // Closing the tab: tell the server now instead of leaving a seat in its grace period.
    const onPageHide = () => void c.close();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      clearActiveRoom(c);
      void c.close();
    };
  }, [roomId, signaling]);

  if (!client || client.roomId !== roomId) {
    return <main className="room" data-testid="room" data-state="joining" />;
  }
  return <RoomView client={client} />;
}
