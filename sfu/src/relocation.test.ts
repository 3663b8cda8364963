// Killing a mediasoup worker: the pool reports it and replaces it on the same port, the rooms it
// carried move to a live worker with a fresh router, their PeerMedia close quietly, media flows again.
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import type { PeerMediaEvents } from './api.js';
import { createPlainConsumer, createPlainProducer, plainRtpParameters } from './PlainIngest.js';
import type { RoomMediaImpl } from './RoomMedia.js';
import { startSfu, type SfuImpl } from './Sfu.js';
import { nextEvent, RtpSender, RtpSink, testConfig, testLogger } from './test-support/kit.js';

const OPUS = { mimeType: 'audio/opus', payloadType: 100 };

/** An ingest producer and a plain consumer of it in `room`, with RTP flowing; returns the cleanup. */
async function flowingMedia(room: RoomMediaImpl, ssrc: number) {
  const ingest = await createPlainProducer(room, {
    peerId: `cam-${ssrc}`,
    kind: 'audio',
    source: 'mic',
    rtpParameters: plainRtpParameters({ ...OPUS, ssrc }),
    listenIp: '127.0.0.1',
  });
  const sink = new RtpSink();
  const target = await sink.bind();
  const out = await createPlainConsumer(room, {
    peerId: `rec-${ssrc}`,
    producerId: ingest.producerId,
    ...target,
  });
  const sender = new RtpSender({ ip: ingest.ip, port: ingest.port }, { ssrc, payloadType: 100 }).start();
  await sink.waitFor(out.ssrc, 10);
  return {
    ingest,
    out,
    stop: () => {
      sender.stop();
      sink.close();
    },
  };
}

/** Counts every event a PeerMedia emits. */
function recordEvents(peer: import('./api.js').PeerMedia): string[] {
  const seen: string[] = [];
  const names: (keyof PeerMediaEvents)[] = [
    'producerClosed',
    'consumerClosed',
    'consumerPaused',
    'consumerResumed',
  ];
  for (const name of names) peer.on(name, () => seen.push(name));
  return seen;
}

describe('worker death', () => {
  const sfus: SfuImpl[] = [];
  afterAll(async () => {
    for (const sfu of sfus) await sfu.close();
  });

  it('relocates the room to a live worker, replaces the worker on its port, and media flows again', async () => {
    const base = 30300;
    const sfu = await startSfu(testConfig(base, 2), { logger: testLogger });
    sfus.push(sfu);
    const room = await sfu.roomMedia('consult');
    const before = await flowingMedia(room, 1000);
    const doomed = room.worker;
    const doomedPid = doomed.worker.pid;
    const otherPid = sfu.workerPids().find((pid) => pid !== doomedPid)!;
    const events = [...recordEvents(before.ingest.peer), ...recordEvents(before.out.peer)];
    const readyAll: boolean[] = [];

    const died = nextEvent<[{ pid: number; reason: string }]>(sfu, 'workerDied');
    const relocated = nextEvent<[{ reason: string; rtpCapabilities: types.RtpCapabilities }]>(
      room,
      'relocated',
    );
    const replaced = nextEvent<[{ pid: number; index: number; port: number }]>(sfu.pool, 'workerStarted');
    process.kill(doomedPid, 'SIGKILL');

    const [death] = await died;
    readyAll.push(sfu.ready);
    expect(death.pid).toBe(doomedPid);
    expect(death.reason).toMatch(/SIGKILL/);

    const [moved] = await relocated;
    readyAll.push(sfu.ready);
    expect(moved.reason).toMatch(new RegExp(`worker ${doomedPid} died`));
    expect(moved.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
    expect(room.worker.worker.pid).toBe(otherPid);
    expect(room.worker.worker.died).toBe(false);
    expect(room.relocating).toBe(false);
    // Old media is gone, quietly: no per-consumer/producer notifications from the dead generation.
    expect(before.ingest.peer.closed).toBe(true);
    expect(before.out.peer.closed).toBe(true);
    expect(room.producers()).toEqual([]);
    expect(events).toEqual([]);
    before.stop();

    const [started] = await replaced;
    readyAll.push(sfu.ready);
    expect(started).toMatchObject({ index: doomed.index, port: doomed.port });
    expect(sfu.workerPids()).toHaveLength(2);
    expect(sfu.workerPids()).not.toContain(doomedPid);
    expect(sfu.workerPids()).toContain(started.pid);
    expect(readyAll).toEqual([true, true, true]);

    const loads = await sfu.loads();
    expect(loads.find((l) => l.pid === otherPid)?.routers).toBe(1);

    // Media flows again in the relocated room (new PeerMedia, same room object).
    const after = await flowingMedia(room, 2000);
    after.stop();

    // The replacement serves WebRTC on the dead worker's port: a new (empty) room lands on it.
    const fresh = await sfu.roomMedia('fresh');
    expect(fresh.worker.worker.pid).toBe(started.pid);
    const info = await fresh.createPeer('x').createTransport({ direction: 'recv' });
    expect((info.iceCandidates as types.IceCandidate[]).every((c) => c.port === doomed.port)).toBe(true);
  });

  it('with a single worker, the room waits for the replacement and moves onto it', async () => {
    const base = 30360;
    const sfu = await startSfu(testConfig(base, 1), { logger: testLogger });
    sfus.push(sfu);
    const room = await sfu.roomMedia('solo');
    const peer = room.createPeer('p');
    await peer.createTransport({ direction: 'send' });
    const [pid] = sfu.workerPids();

    const died = nextEvent(sfu, 'workerDied');
    const relocated = nextEvent(room, 'relocated');
    process.kill(pid!, 'SIGKILL');
    await died;
    expect(sfu.ready).toBe(false);
    // A peer created while the room is moving binds to the new router.
    const early = room.createPeer('early');
    await relocated;
    expect(sfu.ready).toBe(true);
    expect(sfu.workerPids()).toHaveLength(1);
    expect(sfu.workerPids()).not.toContain(pid);
    expect(room.worker.worker.pid).toBe(sfu.workerPids()[0]);
    expect(peer.closed).toBe(true);
    expect(early.closed).toBe(false);
    const info = await early.createTransport({ direction: 'send' });
    expect((info.iceCandidates as types.IceCandidate[])[0]?.port).toBe(base);
  });

  it('retries the replacement with backoff while its port is still taken', async () => {
    const base = 30420;
    const sfu = await startSfu(testConfig(base, 2), { logger: testLogger });
    sfus.push(sfu);
    const [victim] = sfu.pool.live();
    const squatter = createSocket('udp4');
    // Take the dead worker's UDP port before the pool restarts it (the bind happens on the next tick,
    // the restart on a timer).
    sfu.pool.once('workerDied', () => squatter.bind(victim!.port, '127.0.0.1'));
    const failed = nextEvent<[{ index: number; error: Error; retryInMs: number }]>(
      sfu.pool,
      'workerStartFailed',
    );
    process.kill(victim!.worker.pid, 'SIGKILL');

    const [failure] = await failed;
    expect(failure.index).toBe(victim!.index);
    expect(failure.error.message).toMatch(new RegExp(`could not listen on port ${victim!.port}`));
    expect(failure.retryInMs).toBeGreaterThan(0);
    expect(sfu.ready).toBe(true);
    expect(sfu.workerPids()).toHaveLength(1);

    const started = nextEvent<[{ index: number; port: number }]>(sfu.pool, 'workerStarted', 15_000);
    squatter.close();
    expect((await started)[0]).toMatchObject({ index: victim!.index, port: victim!.port });
    expect(sfu.workerPids()).toHaveLength(2);
  });
});
