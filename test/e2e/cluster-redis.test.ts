// Two signalling nodes sharing a real Redis (Socket.IO Redis adapter) and one database: what one node
// does to a user's rooms reaches that user's socket on the other node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { NotificationEnvelope, Session } from '@telemed/signaling/protocol';
import { connectSocket, createRoom, login, request } from './support/api.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { startRedis, type TestRedis } from './support/redis.js';

function nextNotification(socket: Socket, method: string): Promise<NotificationEnvelope> {
  return new Promise((resolve) => {
    const onNote = (note: NotificationEnvelope) => {
      if (note.method !== method) return;
      socket.off('notification', onNote);
      resolve(note);
    };
    socket.on('notification', onNote);
  });
}

describe('two signalling nodes over Redis', () => {
  let redis: TestRedis;
  let nodeA: TestPlatform;
  let nodeB: TestPlatform;
  let dataDir: string;
  let wang: Session;
  let zhao: Session;
  let zhaoOnB: Socket;

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-cluster-'));
    // One after the other: the first seeds the shared database, the second finds it seeded.
    nodeA = await startTestPlatform({ workers: 1, dataDir, redisUrl: redis.url });
    nodeB = await startTestPlatform({ workers: 1, dataDir, redisUrl: redis.url });
    wang = await login(nodeA.url, 'dr.wang');
    zhao = await login(nodeB.url, 'nurse.zhao');
    zhaoOnB = connectSocket(nodeB.url, zhao.accessToken);
    await once(zhaoOnB, 'connect');
  });

  afterAll(async () => {
    zhaoOnB?.close();
    await nodeB?.close();
    await nodeA?.close();
    await redis?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a room created on node A shows up in the lobby of an invitee connected to node B', async () => {
    const heard = nextNotification(zhaoOnB, 'roomsChanged');
    const room = await createRoom(nodeA.url, wang, 'Stroke alert, 71 y', [zhao.user.id]);
    expect(await heard).toEqual({ method: 'roomsChanged', data: { roomId: room.id, reason: 'created' } });
  });

  it('withdrawing an invitation on node A removes the user from the call on node B', async () => {
    const room = await createRoom(nodeA.url, wang, 'Follow-up', [zhao.user.id]);
    const joined = await request(zhaoOnB, 'join', { roomId: room.id });
    expect(joined.ok).toBe(true);

    const kicked = nextNotification(zhaoOnB, 'kicked');
    const res = await fetch(`${nodeA.url}/api/rooms/${room.id}/invitees/${zhao.user.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${wang.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect((await kicked).data).toMatchObject({ reason: expect.stringMatching(/withdrawn/) });
    expect(nodeB.platform.rooms.participants(room.id)).toBe(0);
    // And the refusal sticks: joining again is forbidden.
    expect(await request(zhaoOnB, 'join', { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('a node refuses to start when Redis is unreachable, instead of running unclustered', async () => {
    await expect(startTestPlatform({ workers: 1, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis/);
  });
});
