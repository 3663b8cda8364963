import type { MediaKind, MediaSource } from './media.js';
import type { Role } from './identity.js';

/** A participant as the other participants see them. `peerId` is the user's id: one seat per user. */
export interface PeerInfo {
  peerId: string;
  displayName: string;
  role: Role;
  institution: string;
  /** `reconnecting` while a dropped client is inside its grace period. */
  status: 'connected' | 'reconnecting';
}

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface ChatMessage {
  id: string;
  peerId: string;
  displayName: string;
  text: string;
  /** ISO-8601 */
  sentAt: string;
}

/** A consult room record (the live call exists only while someone is in it). */
export interface ConsultRoom {
  id: string;
  title: string;
  ownerId: string;
  invitees: string[];
  createdAt: string;
  /** How many people are in the live call right now. */
  participants: number;
}
