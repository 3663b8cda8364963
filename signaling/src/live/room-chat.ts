// The chat of one live room: stored per consult room (so late joiners get the history) and relayed
// to everyone else present. The text is never logged.
import type { ChatMessage, NotificationMethod, Notifications } from '../protocol/index.js';
import type { ChatRepository } from '../chat/chat-repository.js';
import type { Peer } from './peer.js';

export interface Broadcaster {
  broadcast<M extends NotificationMethod>(method: M, data: Notifications[M], exceptPeerId?: string): void;
}

export class RoomChat {
  constructor(
    private readonly roomId: string,
    private readonly repository: ChatRepository,
    private readonly room: Broadcaster,
  ) {}

  /** The sender gets the stored message in its ack; the others as a `chatMessage` notification. */
  send(author: Peer, text: string): ChatMessage {
    const message = this.repository.append(
      this.roomId,
      { peerId: author.id, displayName: author.user.displayName },
      text,
    );
    this.room.broadcast('chatMessage', { message }, author.id);
    return message;
  }

  history(): ChatMessage[] {
    return this.repository.recent(this.roomId);
  }
}
