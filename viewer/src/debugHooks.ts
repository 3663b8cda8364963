import type { PeerInfo, Session } from '@telemed/signaling/protocol';
import type { InboundStat } from './room/stats.js';

/** What tests and support staff can read from the console; read-only and harmless. */
export interface TelemedDebugHooks {
  session(): Session | null;
  inboundStats(): Promise<InboundStat[]>;
  peers(): PeerInfo[];
}

interface RoomLike {
  inboundStats(): Promise<InboundStat[]>;
  peerList(): PeerInfo[];
}

let activeRoom: RoomLike | null = null;

/** The room currently shown (null outside a room); the hooks answer about it. */
export function setActiveRoom(room: RoomLike | null): void {
  activeRoom = room;
}

export function clearActiveRoom(room: RoomLike): void {
  if (activeRoom === room) activeRoom = null;
}

declare global {
  interface Window {
    __telemed: TelemedDebugHooks;
  }
}

export function installDebugHooks(session: () => Session | null): void {
  window.__telemed = {
    session,
    inboundStats: () => activeRoom?.inboundStats() ?? Promise.resolve([]),
    peers: () => activeRoom?.peerList() ?? [],
  };
}
