// Where later room features plug in, starting with shared viewing of studies (issue 4). A feature
// keeps its own state per live room and hears about membership; its requests are added to
// `RequestSchemas` in the protocol and their handlers to `request-handlers.ts` (the compiler then
// insists every method has one).
import type { Peer } from './peer.js';
import type { Room } from './room.js';

export interface RoomFeature {
  readonly name: string;
  /** A new participant took a seat (not on takeover or reconnection: the seat is the same). */
  peerJoined?(peer: Peer): void;
  /** A participant left for good (left, kicked, or grace period over). */
  peerLeft?(peerId: string): void;
  /** The room's media moved to another worker; every peer is producing again from scratch. */
  mediaReset?(): void;
  /** The live room ends. */
  close?(): void;
}

export type RoomFeatureFactory = (room: Room) => RoomFeature;
