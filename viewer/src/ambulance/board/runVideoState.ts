// What the board's inline video shows, from the consult-room client's snapshot. Kept pure so the
// states (and which peers count as "the ambulance") are unit-tested without a browser.
import type { PeerInfo, ProducerInfo } from '@telemed/signaling/protocol';
import type { WatchOptions } from '../../room/RoomClient.js';
import type { RemotePeerView, RoomSnapshot } from '../../room/roomState.js';

export type RunVideoState =
  | 'connecting'
  | 'waiting'
  | 'playing'
  | 'reconnecting'
  /** The same user took the seat from another tab or device (or was removed): no automatic retry. */
  | 'elsewhere'
  | 'error';

/** The ambulance's side of the room: the crew on their page and the vehicle cameras (role ambulance). */
export const isAmbulancePeer = (peer: PeerInfo | undefined): boolean => peer?.role === 'ambulance';

/**
 * Receive-only, video only, the ambulance's cameras only (not another doctor's webcam), and the
 * lowest simulcast layer: a board card is small and a hospital watches several runs over a day. The
 * crew page and the vehicle cameras send one layer anyway; a crew member on the full consult page
 * sends three, of which this asks for the quarter-resolution one.
 */
export const BOARD_WATCH: WatchOptions = {
  accept: (producer: ProducerInfo, peer: PeerInfo | undefined) =>
    producer.kind === 'video' && producer.source === 'camera' && isAmbulancePeer(peer),
  layer: 0,
};

/** The ambulance peers that have a picture to show (or are briefly reconnecting). */
export function videoPeers(snap: RoomSnapshot): RemotePeerView[] {
  return snap.peers.filter((p) => isAmbulancePeer(p.info) && p.camera !== null);
}

export function runVideoState(snap: RoomSnapshot | null, failed: boolean): RunVideoState {
  if (failed) return 'error';
  if (!snap) return 'connecting';
  switch (snap.phase) {
    case 'joining':
    case 'left':
      return 'connecting';
    case 'reconnecting':
      return 'reconnecting';
    case 'error':
      return snap.error?.code === 'KICKED' ? 'elsewhere' : 'error';
    case 'joined':
      return videoPeers(snap).length > 0 ? 'playing' : 'waiting';
  }
}
