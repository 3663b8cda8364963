import type { Server, Socket } from 'socket.io';
import type { NotificationEnvelope, StudyUpdate, UserInfo } from '../protocol/index.js';

// Loosely typed on purpose: clients may send anything, and the gateway checks it.
export interface ClientToServerEvents {
  request: (...args: unknown[]) => void;
}
export interface ServerToClientEvents {
  notification: (notification: NotificationEnvelope) => void;
}
/** Between signalling nodes (Redis adapter `serverSideEmit`). */
export interface InterServerEvents {
  'telemed:kick': (roomId: string, userId: string, reason: string) => void;
  'telemed:study': (update: StudyUpdate) => void;
}
export interface SocketData {
  user: UserInfo;
}

export type TelemedServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TelemedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
