// PeerMedia.produceFromRtp, the contract's plain RTP ingest, on a real worker: separate RTP and RTCP
// ports by default (ffmpeg), the router's codecs only, RTP arriving at the producer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlainConsumer } from './PlainIngest.js';
import type { RoomMediaImpl } from './RoomMedia.js';
import { startSfu, type SfuImpl } from './Sfu.js';
import { expectMediaError, RtpSender, RtpSink, testConfig, testLogger } from './test-support/kit.js';

const BASE = 30700;

describe('plain RTP ingest through the contract', () => {
  let sfu: SfuImpl;
  let room: RoomMediaImpl;
  const senders: RtpSender[] = [];
  const sinks: RtpSink[] = [];

  beforeAll(async () => {
    sfu = await startSfu(testConfig(BASE, 1), { logger: testLogger });
    room = await sfu.roomMedia('plain-ingest');
  });
  afterAll(async () => {
    for (const s of senders) s.stop();
    for (const s of sinks) s.close();
    await sfu?.close();
  });

  it('gives a camera VP8 and opus producers with separate RTP and RTCP ports, announced as its own', async () => {
    const camera = room.createPeer('cam-1');
    const video = await camera.produceFromRtp({
      kind: 'video',
      source: 'camera',
      codec: 'VP8',
      payloadType: 96,
      ssrc: 1234,
    });
    const audio = await camera.produceFromRtp({
      kind: 'audio',
      source: 'mic',
      codec: 'opus',
      payloadType: 111,
      ssrc: 5678,
    });
    expect(video.ip).toBe('127.0.0.1');
    expect(video.rtcpPort).toBeDefined();
    expect(video.rtcpPort).not.toBe(video.port);
    expect(video.producer).toMatchObject({ peerId: 'cam-1', kind: 'video', source: 'camera', paused: false });
    expect(audio.producer).toMatchObject({ kind: 'audio', source: 'mic' });
    expect(
      camera
        .producers()
        .map((p) => p.producerId)
        .sort(),
    ).toEqual([video.producer.producerId, audio.producer.producerId].sort());

    const sink = new RtpSink();
    sinks.push(sink);
    const out = await createPlainConsumer(room, {
      peerId: 'recorder',
      producerId: audio.producer.producerId,
      ...(await sink.bind()),
    });
    senders.push(new RtpSender({ ip: audio.ip, port: audio.port }, { ssrc: 5678, payloadType: 111 }).start());
    await sink.waitFor(out.ssrc, 10);

    const muxed = await room.createPeer('cam-2').produceFromRtp({
      kind: 'video',
      source: 'camera',
      codec: 'H264',
      payloadType: 102,
      ssrc: 99,
      rtcpMux: true,
    });
    expect(muxed.rtcpPort).toBeUndefined();
    camera.close();
    expect(room.producers().map((p) => p.peerId)).toEqual(['cam-2']);
  });

  it('counts what a producer received; a transport locked onto one sender drops another; closeTransport ends it', async () => {
    const camera = room.createPeer('cam-stats');
    const closed: string[] = [];
    camera.on('producerClosed', (id) => closed.push(id));
    const video = await camera.produceFromRtp({
      kind: 'video',
      source: 'camera',
      codec: 'VP8',
      payloadType: 96,
      ssrc: 4242,
    });
    const id = video.producer.producerId;
    const packets = async () => (await camera.producerStats(id)).packetCount;
    expect(await camera.producerStats(id)).toEqual({ byteCount: 0, packetCount: 0 });
    // The first sender (an old ffmpeg, a modem before NAT rebinding) locks the comedia tuple.
    const first = new RtpSender({ ip: video.ip, port: video.port }, { ssrc: 4242, payloadType: 96 });
    senders.push(first);
    for (let i = 0; i < 5; i++) first.sendOne();
    await eventually(async () => (await packets()) === 5, 'the first sender counted');
    const locked = await camera.producerStats(id);
    expect(locked.byteCount).toBeGreaterThan(0);
    // The same stream from another source port is dropped. One more packet from the first sender
    // afterwards: once it is counted, the worker has read (and dropped) everything sent before it.
    const second = new RtpSender({ ip: video.ip, port: video.port }, { ssrc: 4242, payloadType: 96 });
    senders.push(second);
    for (let i = 0; i < 10; i++) second.sendOne();
    await new Promise<void>((resolve) =>
      second.socket.send(Buffer.alloc(0), video.port, video.ip, () => resolve()),
    );
    first.sendOne();
    await eventually(async () => (await packets()) === 6, 'the marker from the first sender counted');

    camera.closeTransport(video.transportId);
    expect(closed).toEqual([id]);
    expect(camera.producers()).toEqual([]);
    await expectMediaError(camera.producerStats(id), 'NOT_FOUND');
    expect(() => camera.closeTransport(video.transportId)).toThrow(/transport/);
  });

  it('refuses what the router cannot carry or a sender cannot mean', async () => {
    const peer = room.createPeer('cam-bad');
    const base = { kind: 'video' as const, source: 'camera' as const, payloadType: 96, ssrc: 1 };
    await expectMediaError(peer.produceFromRtp({ ...base, codec: 'opus' }), 'BAD_REQUEST');
    await expectMediaError(peer.produceFromRtp({ ...base, codec: 'VP8', payloadType: 8 }), 'BAD_REQUEST');
    await expectMediaError(peer.produceFromRtp({ ...base, codec: 'VP8', ssrc: 0 }), 'BAD_REQUEST');
    await expectMediaError(peer.produceFromRtp({ ...base, source: 'mic', codec: 'VP8' }), 'BAD_REQUEST');
    expect(peer.producers()).toEqual([]);
  });
});

/** Re-checks a condition of the worker's state (no event tells when it changes) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
