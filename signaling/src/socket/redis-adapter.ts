// Several signalling nodes behind one address (REDIS_URL set): the Socket.IO Redis adapter relays
// broadcasts between them.
//
// Shared across nodes (through Redis pub/sub):
//   - emits to Socket.IO rooms: lobby `roomsChanged` to `user:<id>` / `role:admin` channels;
//   - `serverSideEmit` between nodes: removing a user whose invitation was withdrawn;
//   - accounts, consult rooms, invitations, chat history and refresh tokens live in the database,
//     which the nodes must share (the embedded SQLite only works for nodes on one machine).
// Not shared (per node):
//   - live rooms: seats, presence, chat relay and the media routers. Every participant of one consult
//     room must reach the same node (e.g. a load balancer that routes by room, or one node per site);
//   - `participants` counts in room listings, request rate limits and login attempt limits.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import type { TelemedServer } from './types.js';

const STARTUP_RETRIES = 3;

export interface RedisLink {
  close(): Promise<void>;
}

export async function attachRedisAdapter(io: TelemedServer, url: string, logger: Logger): Promise<RedisLink> {
  // At start an unreachable Redis is a configuration error: fail after a few tries instead of
  // retrying forever (or starting unclustered). Once connected, a lost link is retried for ever.
  let established = false;
  const reconnectStrategy = (retries: number, cause: Error): number | Error =>
    !established && retries >= STARTUP_RETRIES ? cause : Math.min(100 * 2 ** retries, 3_000);
  const pub = createClient({ url, socket: { reconnectStrategy } });
  const sub = pub.duplicate();
  // Without listeners a lost connection would crash the process; node-redis reconnects by itself.
  pub.on('error', (err: Error) => logger.error({ err: err.message }, 'redis (pub) error'));
  sub.on('error', (err: Error) => logger.error({ err: err.message }, 'redis (sub) error'));
  try {
    await Promise.all([pub.connect(), sub.connect()]);
    established = true;
  } catch (err) {
    for (const client of [pub, sub]) {
      // A client that gave up is closed already, and destroying it again throws.
      if (client.isOpen) client.destroy();
    }
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${(err as Error).message}`);
  }
  io.adapter(createAdapter(pub, sub));
  logger.info('socket.io redis adapter attached');
  return {
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
