// Consult room records and who is invited. The live call is elsewhere (live/); this is what
// survives a restart and decides who may join.
import { randomUUID } from 'node:crypto';
import type { ConsultRoom, UserInfo } from '../protocol/index.js';
import type { Db } from '../db/database.js';

/** A consult room as stored; `participants` is added from the live call when answering. */
export type ConsultRoomRecord = Omit<ConsultRoom, 'participants'>;

interface RoomRow {
  id: string;
  title: string;
  owner_id: string;
  created_at: string;
  invitees: string | null;
}

const SELECT_ROOM = `
  SELECT r.id, r.title, r.owner_id, r.created_at,
         (SELECT group_concat(user_id, ',') FROM (SELECT user_id FROM room_invitees WHERE room_id = r.id ORDER BY invited_at, user_id)) AS invitees
  FROM consult_rooms r`;

function toRecord(row: RoomRow): ConsultRoomRecord {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.owner_id,
    invitees: row.invitees ? row.invitees.split(',') : [],
    createdAt: row.created_at,
  };
}

/** Owner, invitee or admin: the people who may see a room and join its call. */
export function canAccess(user: Pick<UserInfo, 'id' | 'role'>, room: ConsultRoomRecord): boolean {
  return user.role === 'admin' || room.ownerId === user.id || room.invitees.includes(user.id);
}

/** Owner or admin: the people who may change who is invited. */
export function canManage(user: Pick<UserInfo, 'id' | 'role'>, room: ConsultRoomRecord): boolean {
  return user.role === 'admin' || room.ownerId === user.id;
}

export class ConsultRoomsRepository {
  constructor(private readonly db: Db) {}

  create(ownerId: string, title: string, invitees: readonly string[]): ConsultRoomRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO consult_rooms (id, title, owner_id, created_at) VALUES (?, ?, ?, ?)')
        .run(id, title, ownerId, now);
      this.insertInvitees(
        id,
        invitees.filter((u) => u !== ownerId),
        now,
      );
    })();
    return this.get(id)!;
  }

  get(id: string): ConsultRoomRecord | null {
    const row = this.db.prepare(`${SELECT_ROOM} WHERE r.id = ?`).get(id) as RoomRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Rooms the user owns or is invited to, newest first; every room for an admin. */
  listFor(user: Pick<UserInfo, 'id' | 'role'>): ConsultRoomRecord[] {
    const rows =
      user.role === 'admin'
        ? this.db.prepare(`${SELECT_ROOM} ORDER BY r.created_at DESC, r.id`).all()
        : this.db
            .prepare(
              `${SELECT_ROOM} WHERE r.owner_id = ? OR r.id IN (SELECT room_id FROM room_invitees WHERE user_id = ?)
               ORDER BY r.created_at DESC, r.id`,
            )
            .all(user.id, user.id);
    return (rows as RoomRow[]).map(toRecord);
  }

  /** Adds invitees (already invited ones and the owner are skipped). */
  invite(roomId: string, userIds: readonly string[]): ConsultRoomRecord | null {
    const room = this.get(roomId);
    if (!room) return null;
    this.insertInvitees(
      roomId,
      userIds.filter((u) => u !== room.ownerId),
      new Date().toISOString(),
    );
    return this.get(roomId);
  }

  /** Withdraws an invitation; returns whether there was one. */
  uninvite(roomId: string, userId: string): boolean {
    return (
      this.db.prepare('DELETE FROM room_invitees WHERE room_id = ? AND user_id = ?').run(roomId, userId)
        .changes > 0
    );
  }

  private insertInvitees(roomId: string, userIds: readonly string[], at: string): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO room_invitees (room_id, user_id, invited_at) VALUES (?, ?, ?)',
    );
    for (const userId of new Set(userIds)) insert.run(roomId, userId, at);
  }
}
