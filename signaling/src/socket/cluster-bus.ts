// Notifications that concern users rather than one live call, sent through Socket.IO rooms so that
// with the Redis adapter they reach every node: lobby updates (`roomsChanged`) and removing a user
// whose invitation was withdrawn from the live call, wherever that call runs.
import type { RoomsChangedReason, StudyUpdate } from '../protocol/index.js';
import type { RoomRegistry } from '../live/room-registry.js';
import type { ConsultRoomRecord } from '../rooms/consult-rooms-repository.js';
import { ADMINS_CHANNEL, userChannel } from './channels.js';
import { studyChannel } from '../live/client-session.js';
import type { TelemedServer } from './types.js';

/** What the HTTP API tells the live side when consult rooms change. */
export interface RoomChangeListener {
  roomsChanged(room: ConsultRoomRecord, reason: RoomsChangedReason, userIds: readonly string[]): void;
  /** The user may no longer be in the room's call. */
  accessWithdrawn(roomId: string, userId: string, reason: string): void;
}

export class ClusterBus implements RoomChangeListener {
  constructor(
    private readonly io: TelemedServer,
    private readonly registry: RoomRegistry,
    /** True with the Redis adapter: then other nodes exist and hear `serverSideEmit`. */
    private readonly multiNode: boolean,
  ) {
    if (multiNode) {
      this.io.on('telemed:kick', (roomId: string, userId: string, reason: string) => {
        this.registry.kick(roomId, userId, reason);
      });
      this.io.on('telemed:study', (update: StudyUpdate) => this.deliverStudyUpdate(update));
    }
  }

  roomsChanged(room: ConsultRoomRecord, reason: RoomsChangedReason, userIds: readonly string[]): void {
    const channels = [...new Set(userIds)].map(userChannel);
    channels.push(ADMINS_CHANNEL);
    this.io.to(channels).emit('notification', { method: 'roomsChanged', data: { roomId: room.id, reason } });
  }

  /** Images arrived for a study attached to a consult room: tell its call, on whichever node it runs. */
  studyUpdated(update: StudyUpdate): void {
    this.deliverStudyUpdate(update);
    if (this.multiNode) this.io.serverSideEmit('telemed:study', update);
  }

  /** Images arrived for a study: every connection watching it (an open viewer), on any node. */
  studyWatched(update: Omit<StudyUpdate, 'roomId'>): void {
    this.io
      .to(studyChannel(update.studyInstanceUid))
      .emit('notification', { method: 'studyUpdated', data: update });
  }

  private deliverStudyUpdate(update: StudyUpdate): void {
    if (update.roomId) this.registry.get(update.roomId)?.broadcast('studyUpdated', update);
  }

  accessWithdrawn(roomId: string, userId: string, reason: string): void {
    this.registry.kick(roomId, userId, reason);
    // `serverSideEmit` reaches the other nodes only (the in-memory adapter has none and would warn).
    if (this.multiNode) this.io.serverSideEmit('telemed:kick', roomId, userId, reason);
  }
}
