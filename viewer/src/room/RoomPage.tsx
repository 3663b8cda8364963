import type { SignalingClient } from '../api/signaling.js';
import { RoomView } from './RoomView.js';
import { useRoomClient } from './useRoomClient.js';

/** Owns one RoomClient per visit: created on mount, left (seat and devices released) on unmount. */
export function RoomPage({ roomId, signaling }: { roomId: string; signaling: SignalingClient }) {
  const client = useRoomClient(roomId, signaling);
  if (!client) return <main className="room" data-testid="room" data-state="joining" />;
  return <RoomView client={client} />;
}
