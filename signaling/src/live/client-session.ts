// One client connection's view of the live rooms: it is not joined, or it holds one seat. It checks
// that the user may join the consult room, dispatches requests to the handlers, and hears from the
// Room when it loses the seat. Knows nothing of Socket.IO.
import {
  ProtocolError,
  type NotificationMethod,
  type Notifications,
  type RequestData,
  type RequestMethod,
  type Responses,
  type UserInfo,
} from '../protocol/index.js';
import { canAccess, type ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import { isAmbulanceMethod, type AmbulanceSocket } from '../ambulance/ambulance-socket.js';
import type { Peer, PeerConnection } from './peer.js';
import type { Handler, JoinedMethod } from './request-context.js';
import { joinedHandlers } from './request-handlers.js';
import type { Room } from './room.js';
import type { RoomRegistry } from './room-registry.js';

export type NotificationSink = <M extends NotificationMethod>(method: M, data: Notifications[M]) => void;

export interface SessionDeps {
  rooms: ConsultRoomsRepository;
  registry: RoomRegistry;
  /** Study watching (an open image viewer); absent when no PACS bridge runs here. */
  studies?: StudyWatching;
  /** Ambulance telemetry and the arrival board (issue 5). */
  ambulance?: AmbulanceSocket;
}

/** What watching a study needs: may this user read it, and a way to subscribe the connection. */
export interface StudyWatching {
  mayRead(user: UserInfo, studyInstanceUid: string): Promise<boolean>;
}

/** The connection's subscriptions (Socket.IO rooms), so the session stays transport-free. */
export interface Channels {
  join(channel: string): void;
  leave(channel: string): void;
}

export const studyChannel = (studyInstanceUid: string) => `study:${studyInstanceUid}`;
const MAX_WATCHED_STUDIES = 20;

export class ClientSession implements PeerConnection {
  private seat: { room: Room; peer: Peer } | null = null;
  private joining = false;
  private closed = false;
  /**
   * Notifications held back while a join answer is on its way: another peer joining in the same
   * tick must not reach this client before the answer that tells it who was already there.
   */
  private held: Array<[NotificationMethod, unknown]> | null = null;

  constructor(
    readonly user: UserInfo,
    private readonly sink: NotificationSink,
    private readonly deps: SessionDeps,
    private readonly channels: Channels = { join: () => undefined, leave: () => undefined },
  ) {}

  private readonly watched = new Set<string>();

  get roomId(): string | null {
    return this.seat?.room.id ?? null;
  }

  async handle<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<Responses[M]> {
    if (method === 'join') return (await this.join((data as RequestData<'join'>).roomId)) as Responses[M];
    if (method === 'watchStudy')
      return (await this.watch((data as RequestData<'watchStudy'>).studyInstanceUid)) as Responses[M];
    if (method === 'unwatchStudy') {
      const uid = (data as RequestData<'unwatchStudy'>).studyInstanceUid;
      if (this.watched.delete(uid)) this.channels.leave(studyChannel(uid));
      return {} as Responses[M];
    }
    if (isAmbulanceMethod(method)) {
      if (!this.deps.ambulance) throw new ProtocolError('NOT_FOUND', 'Ambulance runs are not served here');
      return this.deps.ambulance.handle(this.user, this.channels, method, data as never) as Responses[M];
    }
    const seat = this.seat;
    if (!seat) throw new ProtocolError('NOT_JOINED', 'Join a room first');
    if (method === 'leave') {
      this.seat = null;
      seat.room.leave(this.user.id, this);
      return {} as Responses[M];
    }
    const handler = joinedHandlers[method as JoinedMethod] as unknown as Handler<M>;
    return handler({ room: seat.room, peer: seat.peer }, data);
  }

  notify<M extends NotificationMethod>(method: M, data: Notifications[M]): void {
    if (this.closed) return;
    if (this.held) this.held.push([method, data]);
    else this.sink(method, data);
  }

  /** The transport sent the answer to a request: notifications held back during a join follow it. */
  replied(method: string): void {
    if (method !== 'join') return;
    const held = this.held;
    this.held = null;
    for (const [method, data] of held ?? []) this.notify(method, data as never);
  }

  detach(): void {
    this.seat = null;
  }

  /** The connection is gone: the seat enters its grace period. */
  disconnected(): void {
    this.closed = true;
    const seat = this.seat;
    this.seat = null;
    seat?.room.disconnected(this.user.id, this);
  }

  private async join(roomId: string): Promise<Responses['join']> {
    if (this.seat) throw new ProtocolError('ALREADY_JOINED', 'Already in a room; leave it first');
    if (this.joining) throw new ProtocolError('CONFLICT', 'A join is already in progress');
    this.assertMayJoin(roomId);
    this.joining = true;
    try {
      const room = await this.deps.registry.acquire(roomId);
      try {
        if (this.closed) throw new ProtocolError('CONFLICT', 'Connection closed while joining');
        // Again: the invitation may have been withdrawn while the room's media was opening.
        this.assertMayJoin(roomId);
      } catch (err) {
        this.deps.registry.releaseIfEmpty(room);
        throw err;
      }
      this.held ??= [];
      const answer = room.join(this.user, this);
      this.seat = { room, peer: room.peer(this.user.id)! };
      return answer;
    } finally {
      this.joining = false;
    }
  }

  private async watch(studyInstanceUid: string): Promise<Responses['watchStudy']> {
    const studies = this.deps.studies;
    if (!studies) throw new ProtocolError('NOT_FOUND', 'No image archive runs on this server');
    if (this.watched.has(studyInstanceUid)) return {};
    if (this.watched.size >= MAX_WATCHED_STUDIES) {
      throw new ProtocolError('CONFLICT', `At most ${MAX_WATCHED_STUDIES} studies may be watched at once`);
    }
    // A study the user may not read is reported as absent, as DICOMweb does.
    if (!(await studies.mayRead(this.user, studyInstanceUid)))
      throw new ProtocolError('NOT_FOUND', 'No such study');
    if (this.closed) return {};
    this.watched.add(studyInstanceUid);
    this.channels.join(studyChannel(studyInstanceUid));
    return {};
  }

  private assertMayJoin(roomId: string): void {
    const record = this.deps.rooms.get(roomId);
    if (!record) throw new ProtocolError('NOT_FOUND', 'No such consult room');
    if (!canAccess(this.user, record))
      throw new ProtocolError('FORBIDDEN', 'You are not invited to this consult room');
  }
}
