// Two signalling nodes sharing one database and a real Redis: telemetry stored through one node
// reaches a board watching on the other, and a prenotification reaches the hospital's sockets there.
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmbulanceRun, Session } from '../protocol/index.js';
import {
  api,
  connectedClient,
  login,
  makeTempDir,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';
import { startRedis, type TestRedis } from '../../../test/e2e/support/redis.js';
import { vitals } from './test-samples.js';

describe('ambulance telemetry across two nodes', () => {
  let redis: TestRedis;
  let dataDir: string;
  let nodeA: TestPlatform, nodeB: TestPlatform;
  let sun: Session, wang: Session;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await makeTempDir('telemed-ambulance-cluster-');
    // One after the other: the first seeds the shared database.
    nodeA = await startTestPlatform({ dataDir, redisUrl: redis.url, pacs: false });
    nodeB = await startTestPlatform({ dataDir, redisUrl: redis.url, pacs: false });
    sun = await login(nodeA.url, 'amb.sun');
    wang = await login(nodeB.url, 'dr.wang');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await nodeB?.close();
    await nodeA?.close();
    await redis?.close();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('announces runs, telemetry and prenotifications to watchers on the other node', async () => {
    const board = await connectedClient(nodeB.url, wang.accessToken);
    const crew = await connectedClient(nodeA.url, sun.accessToken);
    clients.push(board, crew);
    expect((await board.request('board:watch')).ok).toBe(true);
    const run = (
      await api<AmbulanceRun>(nodeA.url, 'POST', '/api/ambulance/runs', {
        token: sun.accessToken,
        body: {
          callsign: '120-3',
          destinationId: 'county-hospital',
          patient: { complaint: 'Fall from height', category: 'trauma' },
        },
      })
    ).body;
    await board.notifications.next('runUpdated', (n) => n.run.id === run.id);
    const ack = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(1), vitals(2)],
    });
    expect(ack).toEqual({ ok: true, data: { stream: 'vitals', acked: 2 } });
    const heard = await board.notifications.next('telemetry', (n) => n.runId === run.id);
    expect(heard.items.map((i) => i.seq)).toEqual([1, 2]);
    // Prenotified on node A (as seen from the crew's node), heard by the hospital's socket on B.
    const prenotified = await api(nodeA.url, 'POST', `/api/ambulance/runs/${run.id}/prenotify`, {
      token: (await login(nodeA.url, 'dr.chen')).accessToken,
      body: { team: 'trauma' },
    });
    expect(prenotified.status).toBe(200);
    const note = await board.notifications.next('prenotification', (n) => n.runId === run.id);
    expect(note.prenotification.team).toBe('trauma');
  });
});
