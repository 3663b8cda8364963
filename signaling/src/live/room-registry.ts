// The live rooms of this process: one per consult room with someone in it. Opens a room (and its
// router) on first join, closes it when its last seat is gone. Live state is per process; see
// socket/redis-adapter.ts for what several nodes share.
import type { Sfu } from '@telemed/sfu';
import { ProtocolError } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import { Room, type RoomOptions } from './room.js';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly opening = new Map<string, Promise<Room>>();
  private closed = false;
  private readonly logger: Logger;

  constructor(
    private readonly sfu: Sfu,
    private readonly roomOptions: RoomOptions,
  ) {
    this.logger = roomOptions.logger;
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  /** The live room, opened on the SFU if needed (concurrent callers share one opening). */
  async acquire(roomId: string): Promise<Room> {
    if (this.closed) throw new ProtocolError('INTERNAL', 'Server is shutting down');
    const live = this.rooms.get(roomId);
    if (live && !live.closed) return live;
    let pending = this.opening.get(roomId);
    if (!pending) {
      pending = this.open(roomId).finally(() => this.opening.delete(roomId));
      this.opening.set(roomId, pending);
    }
    return pending;
  }

  /** For a room acquired but never joined (the joiner went away meanwhile). */
  releaseIfEmpty(room: Room): void {
    if (room.size === 0) this.retire(room);
  }

  /** Removes a user from a live room here; false if they are not in one. */
  kick(roomId: string, userId: string, reason: string): boolean {
    return this.rooms.get(roomId)?.kick(userId, reason) ?? false;
  }

  /** Seats in the live room (0 if none), for room listings. */
  participants(roomId: string): number {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  stats(): { rooms: number; peers: number } {
    let peers = 0;
    for (const room of this.rooms.values()) peers += room.size;
    return { rooms: this.rooms.size, peers };
  }

  closeAll(): void {
    this.closed = true;
    for (const room of [...this.rooms.values()]) this.retire(room);
  }

  private async open(roomId: string): Promise<Room> {
    let media;
    try {
      media = await this.sfu.roomMedia(roomId);
    } catch (err) {
      this.logger.error({ err, roomId }, 'could not open room media');
      throw new ProtocolError('MEDIA_ERROR', 'The media server is not available; try again shortly');
    }
    if (this.closed) {
      media.close();
      throw new ProtocolError('INTERNAL', 'Server is shutting down');
    }
    const room = new Room(roomId, media, this.roomOptions);
    room.once('empty', () => this.retire(room));
    this.rooms.set(roomId, room);
    this.logger.info({ roomId }, 'room opened');
    return room;
  }

  private retire(room: Room): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    room.close();
  }
}
