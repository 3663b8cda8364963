// The worker pool against the real mediasoup-worker binary: N workers, one WebRtcServer port each,
// least-loaded placement, loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { createPlainProducer, plainRtpParameters } from './PlainIngest.js';
import { startSfu, type SfuImpl } from './Sfu.js';
import { testConfig, testLogger } from './test-support/kit.js';

const BASE = 30100;

describe('worker pool', () => {
  let sfu: SfuImpl;

  beforeAll(async () => {
    sfu = await startSfu(testConfig(BASE, 2), { logger: testLogger });
  });
  afterAll(async () => {
    await sfu?.close();
  });

  it('starts one live worker process per configured worker', async () => {
    const pids = sfu.workerPids();
    expect(pids).toHaveLength(2);
    expect(new Set(pids).size).toBe(2);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
    expect(sfu.ready).toBe(true);
    expect(sfu.pool.live().map((w) => w.port)).toEqual([BASE, BASE + 1]);
  });

  it('reports pid, counts, CPU seconds and resident memory per worker', async () => {
    const loads = await sfu.loads();
    expect(loads.map((l) => l.pid).sort()).toEqual(sfu.workerPids().sort());
    for (const load of loads) {
      expect(load).toMatchObject({ routers: 0, transports: 0, producers: 0, consumers: 0 });
      expect(load.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(load.memoryBytes).toBeGreaterThan(1024 * 1024);
    }
  });

  it('places rooms on the least-loaded worker and serves WebRTC on that worker’s own port', async () => {
    const a = await sfu.roomMedia('room-a');
    expect(await sfu.roomMedia('room-a')).toBe(a);
    // Load room-a's worker with a producer: the next rooms go to the other worker.
    await createPlainProducer(a, {
      peerId: 'cam',
      kind: 'audio',
      source: 'mic',
      rtpParameters: plainRtpParameters({ mimeType: 'audio/opus', payloadType: 100, ssrc: 1 }),
      listenIp: '127.0.0.1',
    });
    const [b, c] = await Promise.all([sfu.roomMedia('room-b'), sfu.roomMedia('room-c')]);
    expect(b.worker.worker.pid).not.toBe(a.worker.worker.pid);
    expect(c.worker.worker.pid).toBe(b.worker.worker.pid);

    const loads = await sfu.loads();
    const loadOf = (pid: number) => loads.find((l) => l.pid === pid)!;
    expect(loadOf(a.worker.worker.pid)).toMatchObject({
      routers: 1,
      transports: 1,
      producers: 1,
      consumers: 0,
    });
    expect(loadOf(b.worker.worker.pid)).toMatchObject({ routers: 2, producers: 0 });

    for (const room of [a, b]) {
      const peer = room.createPeer('p');
      const info = await peer.createTransport({ direction: 'send' });
      const ports = new Set((info.iceCandidates as types.IceCandidate[]).map((ic) => ic.port));
      expect([...ports]).toEqual([BASE + room.worker.index]);
      peer.close();
    }
  });

  it('forgets a closed room and keeps counts right', async () => {
    const b = await sfu.roomMedia('room-b');
    b.close();
    expect(b.closed).toBe(true);
    const again = await sfu.roomMedia('room-b');
    expect(again).not.toBe(b);
    expect(again.closed).toBe(false);
    const routers = (await sfu.loads()).reduce((n, l) => n + l.routers, 0);
    expect(routers).toBe(3); // room-a, room-c, the new room-b
  });

  it('refuses to start on ports already taken, naming the port', async () => {
    await expect(startSfu(testConfig(BASE, 1), { logger: testLogger })).rejects.toThrow(
      new RegExp(`could not listen on port ${BASE}`),
    );
  });
});
