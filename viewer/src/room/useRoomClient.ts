import { useEffect, useState } from 'react';
import type { SignalingClient } from '../api/signaling.js';
import { clearActiveRoom, setActiveRoom } from '../debugHooks.js';
import type { MediaProfile } from './mediaProfile.js';
import { RoomClient, type WatchOptions } from './RoomClient.js';

/**
 * One RoomClient per visit of `roomId`: created and started when it is set, left (seat and devices
 * released) when it changes, turns null or the component unmounts. `null` while no room is known
 * yet or the client for the current room is not made yet. `profile` and `watch` must be stable
 * (module constants): a new object is a new visit.
 */
export function useRoomClient(
  roomId: string | null,
  signaling: SignalingClient,
  profile?: MediaProfile,
  watch?: WatchOptions,
): RoomClient | null {
  const [client, setClient] = useState<RoomClient | null>(null);
  useEffect(() => {
    if (roomId === null) return;
    const c = new RoomClient(roomId, signaling, profile, watch);
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
      setClient(null);
    };
  }, [roomId, signaling, profile, watch]);
  return client && client.roomId === roomId ? client : null;
}
