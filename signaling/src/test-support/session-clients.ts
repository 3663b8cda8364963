// Live-room tests without Socket.IO: a real (temporary) database with the demo accounts, and clients
// that go through the same path as the socket gateway — envelope and schema first, then the session,
// then `replied()` once the answer is "on the wire".
import fs from 'node:fs/promises';
import type { Ack, RequestMethod, Responses, UserInfo } from '../protocol/index.js';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { seedDemoAccounts } from '../accounts/demo-accounts.js';
import { ChatRepository } from '../chat/chat-repository.js';
import { openDatabase, type Db } from '../db/database.js';
import { ClientSession, type SessionDeps } from '../live/client-session.js';
import { toProtocolError } from '../live/errors.js';
import { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import { parseRequest } from '../socket/request-envelope.js';
import { NotificationLog } from './notifications.js';
import { makeTempDir } from './platform.js';

export interface SessionClient {
  user: UserInfo;
  session: ClientSession;
  log: NotificationLog;
  call<M extends RequestMethod>(method: M, data?: unknown): Promise<Ack<Responses[M]>>;
  /** A successful call's data (fails the test otherwise). */
  ok<M extends RequestMethod>(method: M, data?: unknown): Promise<Responses[M]>;
}

export interface LiveTestDb {
  db: Db;
  rooms: ConsultRoomsRepository;
  chat: ChatRepository;
  user(username: string): UserInfo;
  close(): Promise<void>;
}

export async function openLiveTestDb(): Promise<LiveTestDb> {
  const dir = await makeTempDir();
  const db = openDatabase(dir);
  await seedDemoAccounts(db, 'unit-test-password');
  const users = new Map(new AccountsRepository(db).list().map((u) => [u.username, u]));
  return {
    db,
    rooms: new ConsultRoomsRepository(db),
    chat: new ChatRepository(db),
    user: (username) => {
      const found = users.get(username);
      if (!found) throw new Error(`no demo user ${username}`);
      return found;
    },
    async close() {
      db.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function sessionClient(user: UserInfo, deps: SessionDeps): SessionClient {
  const log = new NotificationLog();
  const session = new ClientSession(user, log.sink, deps);
  const call = async <M extends RequestMethod>(method: M, data: unknown = {}): Promise<Ack<Responses[M]>> => {
    try {
      const req = parseRequest({ method, data });
      return { ok: true, data: (await session.handle(req.method, req.data as never)) as Responses[M] };
    } catch (err) {
      return { ok: false, error: toProtocolError(err).toBody() };
    } finally {
      session.replied(method);
    }
  };
  const ok = async <M extends RequestMethod>(method: M, data: unknown = {}): Promise<Responses[M]> => {
    const ack = await call(method, data);
    if (!ack.ok) throw new Error(`${method} failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  };
  return { user, session, log, call, ok };
}
