// Chat messages of consult rooms, kept so that late joiners and reconnecting participants see what
// was said. Message text is clinical content: it is stored here and sent to participants, never logged.
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../protocol/index.js';
import type { Db } from '../db/database.js';

/** How many of the most recent messages a joiner receives. */
export const CHAT_HISTORY_LIMIT = 200;

interface Row {
  id: string;
  user_id: string;
  display_name: string;
  text: string;
  sent_at: string;
}

export class ChatRepository {
  constructor(private readonly db: Db) {}

  append(roomId: string, author: { peerId: string; displayName: string }, text: string): ChatMessage {
    const message: ChatMessage = {
      id: randomUUID(),
      peerId: author.peerId,
      displayName: author.displayName,
      text,
      sentAt: new Date().toISOString(),
    };
    this.db
      .prepare(
        'INSERT INTO chat_messages (id, room_id, user_id, display_name, text, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(message.id, roomId, message.peerId, message.displayName, message.text, message.sentAt);
    return message;
  }

  /** The most recent messages of a room, oldest first. */
  recent(roomId: string, limit = CHAT_HISTORY_LIMIT): ChatMessage[] {
    const rows = this.db
      .prepare(
        'SELECT id, user_id, display_name, text, sent_at FROM chat_messages WHERE room_id = ? ORDER BY seq DESC LIMIT ?',
      )
      .all(roomId, limit) as Row[];
    return rows.reverse().map((r) => ({
      id: r.id,
      peerId: r.user_id,
      displayName: r.display_name,
      text: r.text,
      sentAt: r.sent_at,
    }));
  }
}
