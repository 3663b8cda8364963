// Every request of a seated participant, by method. Shared viewing (issue 4) adds its handlers here.
import type { JoinedHandlers } from './request-context.js';
import { mediaHandlers } from './media-handlers.js';
import { viewingHandlers } from './viewing/handlers.js';

export const joinedHandlers: JoinedHandlers = {
  ...mediaHandlers,
  ...viewingHandlers,
  chat({ room, peer }, data) {
    return { message: room.chat.send(peer, data.text) };
  },
};
