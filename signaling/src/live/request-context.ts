// What a request handler of a joined participant works with, and the typed handler map: one entry
// per protocol method (as in the mediasoup-demo, but split by concern).
import type { RequestData, RequestMethod, Responses, SessionMethod } from '../protocol/index.js';
import type { Peer } from './peer.js';
import type { Room } from './room.js';

export interface JoinedContext {
  room: Room;
  peer: Peer;
}

/** Methods that need a seat; membership and study watching are handled by the session. */
export type JoinedMethod = Exclude<RequestMethod, SessionMethod>;

export type Handler<M extends RequestMethod> = (
  ctx: JoinedContext,
  data: RequestData<M>,
) => Promise<Responses[M]> | Responses[M];

export type JoinedHandlers = { [M in JoinedMethod]: Handler<M> };
