import type { ChatMessage, MediaKind, MediaSource, PeerInfo } from '@telemed/signaling/protocol';
import type { ClientErrorCode } from '../api/errors.js';
import type { Quality } from './stats.js';

/** `left` is terminal: the user pressed leave (or the page is closing). */
export type RoomPhase = 'joining' | 'joined' | 'reconnecting' | 'error' | 'left';

export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  kind: MediaKind;
  source: MediaSource;
  track: MediaStreamTrack;
  /** No media arrives: the sender paused it, or we paused it (hidden tile). */
  paused: boolean;
}

export interface RemotePeerView {
  info: PeerInfo;
  mic: RemoteTrack | null;
  camera: RemoteTrack | null;
  screen: RemoteTrack | null;
  micMuted: boolean;
  cameraOff: boolean;
  hidden: boolean;
  speaking: boolean;
  quality: Quality;
  /** Lowest consumer score (0–10) of this peer's media, when the SFU reported one. */
  score: number | null;
}

export interface LocalView {
  micOn: boolean;
  cameraOn: boolean;
  screenOn: boolean;
  hasMic: boolean;
  hasCamera: boolean;
  cameraTrack: MediaStreamTrack | null;
  screenTrack: MediaStreamTrack | null;
}

export interface RoomSnapshot {
  roomId: string;
  phase: RoomPhase;
  error: { code: ClientErrorCode; message: string } | null;
  /** A non-fatal condition to show (no camera, reconnecting…), as an i18n key (room/messages.ts). */
  notice: string | null;
  self: PeerInfo | null;
  peers: RemotePeerView[];
  chat: ChatMessage[];
  activeSpeakerPeerId: string | null;
  local: LocalView;
}
