// Studies attached to a consult room: attaching shares the study with everyone in the room (the
// specialist sees the clinic's images) and routes its live `studyUpdated` events to the room's call.
import { Router, type Response } from 'express';
import type { PacsBridge, Principal } from '@telemed/pacs-bridge';
import {
  AttachStudyRequestSchema,
  DicomUidSchema,
  ProtocolError,
  type RoomStudiesResponse,
  type UserInfo,
} from '../protocol/index.js';
import type { Logger } from '../logger.js';
import {
  canAccess,
  canManage,
  type ConsultRoomRecord,
  type ConsultRoomsRepository,
} from '../rooms/consult-rooms-repository.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

export interface RoomStudiesDeps {
  rooms: ConsultRoomsRepository;
  bridge: PacsBridge;
  logger: Logger;
}

const principalOf = (user: UserInfo): Principal => ({
  userId: user.id,
  role: user.role,
  institutionId: user.institution.id,
  via: 'http',
});

export function roomStudiesRoutes(deps: RoomStudiesDeps): Router {
  const router = Router();
  const shares = deps.bridge.access.shares;

  const room = (res: Response, roomId: string, manage = false): ConsultRoomRecord => {
    const found = deps.rooms.get(roomId);
    if (!found) throw new ProtocolError('NOT_FOUND', 'No such consult room');
    const user = currentUser(res);
    if (!canAccess(user, found))
      throw new ProtocolError('FORBIDDEN', 'You are not invited to this consult room');
    if (manage && !canManage(user, found)) {
      throw new ProtocolError('FORBIDDEN', 'Only the room owner or an admin may detach studies');
    }
    return found;
  };

  const list = (roomId: string): RoomStudiesResponse => ({
    studies: shares.attachedTo(roomId).map((s) => ({
      studyInstanceUid: s.studyInstanceUid,
      ...(s.sharedBy ? { sharedBy: s.sharedBy } : {}),
      sharedAt: s.createdAt,
    })),
  });

  router.get('/rooms/:id/studies', (req, res) => {
    res.json(list(room(res, req.params.id).id));
  });

  router.post('/rooms/:id/studies', async (req, res) => {
    const target = room(res, req.params.id);
    const { studyInstanceUid } = parseOrThrow(AttachStudyRequestSchema, req.body, 'study');
    const user = currentUser(res);
    // A study that exists must be one the user may read: attaching is sharing. One that does not exist
    // yet may be attached ahead of the modality sending it (its images then stream into the room).
    const instances = await deps.bridge.store.instances(studyInstanceUid);
    const owner = instances[0]?.institutionId;
    if (
      owner !== undefined &&
      !(await deps.bridge.access.canRead(principalOf(user), studyInstanceUid, owner))
    ) {
      throw new ProtocolError('NOT_FOUND', 'No such study');
    }
    const created = shares.share(studyInstanceUid, { roomId: target.id }, user.id);
    deps.logger.info({ roomId: target.id, userId: user.id, created }, 'study attached to consult room');
    res.status(created ? 201 : 200).json(list(target.id));
  });

  router.delete('/rooms/:id/studies/:uid', (req, res) => {
    const target = room(res, req.params.id, true);
    const uid = parseOrThrow(DicomUidSchema, req.params.uid, 'study UID');
    if (!shares.unshare(uid, { roomId: target.id }))
      throw new ProtocolError('NOT_FOUND', 'That study is not attached to this room');
    res.json(list(target.id));
  });

  return router;
}
