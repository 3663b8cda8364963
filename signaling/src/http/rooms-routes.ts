// Consult rooms over HTTP: list, create, read, invite, withdraw an invitation.
import { Router, type Response } from 'express';
import {
  CreateRoomRequestSchema,
  InviteRequestSchema,
  ProtocolError,
  type ConsultRoom,
  type RoomsResponse,
} from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { Logger } from '../logger.js';
import {
  canAccess,
  canManage,
  type ConsultRoomRecord,
  type ConsultRoomsRepository,
} from '../rooms/consult-rooms-repository.js';
import type { RoomChangeListener } from '../socket/cluster-bus.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

export interface RoomsRoutesDeps {
  rooms: ConsultRoomsRepository;
  accounts: AccountsRepository;
  /** Live seats per room (this node). */
  participants(roomId: string): number;
  changes: RoomChangeListener;
  logger: Logger;
}

export function roomsRoutes(deps: RoomsRoutesDeps): Router {
  const router = Router();
  const withLive = (room: ConsultRoomRecord): ConsultRoom => ({
    ...room,
    participants: deps.participants(room.id),
  });

  const assertUsersExist = (ids: readonly string[]) => {
    const unknown = deps.accounts.unknownIds(ids);
    if (unknown.length > 0)
      throw new ProtocolError('BAD_REQUEST', `Unknown user id(s): ${unknown.slice(0, 5).join(', ')}`);
  };

  /** The room, if it exists (404) and the caller may see it (403). */
  const visibleRoom = (res: Response, roomId: string): ConsultRoomRecord => {
    const room = deps.rooms.get(roomId);
    if (!room) throw new ProtocolError('NOT_FOUND', 'No such consult room');
    if (!canAccess(currentUser(res), room))
      throw new ProtocolError('FORBIDDEN', 'You are not invited to this consult room');
    return room;
  };

  const managedRoom = (res: Response, roomId: string): ConsultRoomRecord => {
    const room = visibleRoom(res, roomId);
    if (!canManage(currentUser(res), room))
      throw new ProtocolError('FORBIDDEN', 'Only the room owner or an admin may change invitations');
    return room;
  };

  router.get('/rooms', (_req, res) => {
    const body: RoomsResponse = { rooms: deps.rooms.listFor(currentUser(res)).map(withLive) };
    res.json(body);
  });

  router.post('/rooms', (req, res) => {
    const user = currentUser(res);
    const body = parseOrThrow(CreateRoomRequestSchema, req.body, 'room');
    assertUsersExist(body.invitees);
    const room = deps.rooms.create(user.id, body.title, body.invitees);
    deps.logger.info(
      { roomId: room.id, ownerId: user.id, invitees: room.invitees.length },
      'consult room created',
    );
    deps.changes.roomsChanged(room, 'created', [room.ownerId, ...room.invitees]);
    res.status(201).json(withLive(room));
  });

  router.get('/rooms/:id', (req, res) => {
    res.json(withLive(visibleRoom(res, req.params.id)));
  });

  router.post('/rooms/:id/invitees', (req, res) => {
    const before = managedRoom(res, req.params.id);
    const body = parseOrThrow(InviteRequestSchema, req.body, 'invitation');
    assertUsersExist(body.userIds);
    const room = deps.rooms.invite(before.id, body.userIds)!;
    const added = room.invitees.filter((id) => !before.invitees.includes(id));
    if (added.length > 0) deps.changes.roomsChanged(room, 'invited', added);
    res.json(withLive(room));
  });

  router.delete('/rooms/:id/invitees/:userId', (req, res) => {
    const before = managedRoom(res, req.params.id);
    const userId = req.params.userId;
    if (!before.invitees.includes(userId))
      throw new ProtocolError('NOT_FOUND', 'That user is not invited to this room');
    deps.rooms.uninvite(before.id, userId);
    const room = deps.rooms.get(before.id)!;
    const withdrawn = deps.accounts.get(userId);
    // An admin keeps access without an invitation; anyone else leaves the call now.
    if (!withdrawn || !canAccess(withdrawn, room)) {
      deps.changes.accessWithdrawn(room.id, userId, 'Your invitation to this consult room was withdrawn');
    }
    deps.changes.roomsChanged(room, 'uninvited', [userId]);
    res.json(withLive(room));
  });

  return router;
}
