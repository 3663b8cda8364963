import type { PeerInfo, Session } from '@telemed/signaling/protocol';
import type { InboundStat } from './room/stats.js';
import type { LoadedImageSummary } from './imaging/cornerstone.js';

/** What tests and support staff can read from the console; read-only and harmless. */
export interface TelemedDebugHooks {
  session(): Session | null;
  inboundStats(): Promise<InboundStat[]>;
  peers(): PeerInfo[];
  /**
   * Loads one `wadors:` image id through Cornerstone's dicom-image-loader (fetching and registering the
   * instance's WADO-RS metadata first) and summarises the decoded frame. Loads the imaging chunk on
   * first use; reads only what the session may read.
   */
  loadImage(imageId: string): Promise<LoadedImageSummary>;
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

export function installDebugHooks(
  session: () => Session | null,
  accessToken: () => Promise<string | null> = () => Promise.resolve(session()?.accessToken ?? null),
): void {
  window.__telemed = {
    session,
    inboundStats: () => activeRoom?.inboundStats() ?? Promise.resolve([]),
    peers: () => activeRoom?.peerList() ?? [],
    async loadImage(imageId) {
      const imaging = await import('./imaging/cornerstone.js');
      await imaging.initImaging(accessToken);
      return imaging.loadImageSummary(imageId);
    },
  };
}
