// The shared-viewing requests of a seated participant, merged into request-handlers.ts.
import { ProtocolError } from '../../protocol/index.js';
import type { Handler, JoinedContext } from '../request-context.js';
import { VIEWING_FEATURE, type SharedViewing } from './shared-viewing.js';

type ViewingMethod =
  | 'viewing:present'
  | 'viewing:stop'
  | 'viewing:handover'
  | 'viewing:state'
  | 'viewing:annotation'
  | 'viewing:sync';

function viewingOf({ room }: JoinedContext): SharedViewing {
  const feature = room.feature<SharedViewing>(VIEWING_FEATURE);
  if (!feature) throw new ProtocolError('NOT_FOUND', 'Shared viewing is not enabled on this server');
  return feature;
}

export const viewingHandlers: { [M in ViewingMethod]: Handler<M> } = {
  'viewing:present': (ctx) => viewingOf(ctx).present(ctx.peer),
  'viewing:stop': (ctx) => {
    viewingOf(ctx).stop(ctx.peer);
    return {};
  },
  'viewing:handover': (ctx, data) => ({ presenterPeerId: viewingOf(ctx).handover(ctx.peer, data.peerId) }),
  'viewing:state': (ctx, data) => ({ version: viewingOf(ctx).setState(ctx.peer, data.state, data.sentAt) }),
  'viewing:annotation': (ctx, data) => ({ version: viewingOf(ctx).annotate(ctx.peer, data) }),
  'viewing:sync': (ctx) => viewingOf(ctx).snapshot(),
};
