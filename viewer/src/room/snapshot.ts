import type { ChatMessage, MediaSource, PeerInfo, ProducerInfo } from '@telemed/signaling/protocol';
import type { RemoteConsumer } from './MediaSession.js';
import type { LocalView, RemotePeerView, RemoteTrack, RoomPhase, RoomSnapshot } from './roomState.js';
import { qualityOf, worstQuality } from './stats.js';

export interface SnapshotInput {
  roomId: string;
  phase: RoomPhase;
  error: RoomSnapshot['error'];
  notice: string | null;
  self: PeerInfo | null;
  peers: PeerInfo[];
  remoteProducers: ReadonlyMap<string, ProducerInfo>;
  consumers: RemoteConsumer[];
  chat: ChatMessage[];
  activeSpeakerPeerId: string | null;
  hidden: ReadonlySet<string>;
  local: LocalView;
}

/** The immutable picture React renders, derived from RoomClient's working state. */
export function buildSnapshot(input: SnapshotInput): RoomSnapshot {
  return {
    roomId: input.roomId,
    phase: input.phase,
    error: input.error,
    notice: input.notice,
    self: input.self,
    peers: input.peers.map((info) => peerView(info, input)),
    chat: input.chat,
    activeSpeakerPeerId: input.activeSpeakerPeerId,
    local: input.local,
  };
}

function peerView(info: PeerInfo, input: SnapshotInput): RemotePeerView {
  const mine = input.consumers.filter((c) => c.peerId === info.peerId);
  const track = (source: MediaSource): RemoteTrack | null => {
    const c = mine.find((x) => x.source === source);
    if (!c) return null;
    return {
      consumerId: c.consumer.id,
      producerId: c.consumer.producerId,
      kind: c.kind,
      source,
      track: c.consumer.track,
      paused: c.producerPaused || c.pausedByUs,
    };
  };
  const producerOff = (source: MediaSource): boolean => {
    for (const p of input.remoteProducers.values()) {
      if (p.peerId === info.peerId && p.source === source) return p.paused;
    }
    return true;
  };
  const scores = mine.map((c) => c.score).filter((s): s is number => s !== null);
  return {
    info,
    mic: track('mic'),
    camera: track('camera'),
    screen: track('screen'),
    micMuted: producerOff('mic'),
    cameraOff: producerOff('camera'),
    hidden: input.hidden.has(info.peerId),
    speaking: input.activeSpeakerPeerId === info.peerId,
    quality: worstQuality(mine.map((c) => qualityOf(c.score))),
    score: scores.length > 0 ? Math.min(...scores) : null,
  };
}
