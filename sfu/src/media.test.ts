// Rooms and peers against a real mediasoup worker: plain RTP in and out, WebRTC transports,
// the contract's error codes and events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { createPlainConsumer, createPlainProducer, plainRtpParameters } from './PlainIngest.js';
import type { RoomMediaImpl } from './RoomMedia.js';
import { startSfu, type SfuImpl } from './Sfu.js';
import {
  expectMediaError,
  nextEvent,
  RtpSender,
  RtpSink,
  testConfig,
  testLogger,
} from './test-support/kit.js';

const BASE = 30200;
const OPUS = { mimeType: 'audio/opus', payloadType: 111 };
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** What a browser would announce: the router's codecs and header extensions. */
function receiverCaps(room: RoomMediaImpl): types.RtpCapabilities {
  return room.rtpCapabilities;
}

/** Simulcast VP8 as mediasoup-client sends it (three SSRC encodings, L1T3 each). */
function simulcastVp8(): types.RtpParameters {
  return {
    mid: '1',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] }],
    encodings: [111, 222, 333].map((ssrc, i) => ({
      ssrc,
      scalabilityMode: 'L1T3',
      maxBitrate: [100e3, 300e3, 900e3][i],
    })),
    rtcp: { cname: 'test' },
  };
}

describe('room media on a real worker', () => {
  let sfu: SfuImpl;
  let room: RoomMediaImpl;
  const senders: RtpSender[] = [];
  const sinks: RtpSink[] = [];

  beforeAll(async () => {
    sfu = await startSfu(testConfig(BASE, 1), { logger: testLogger });
    room = await sfu.roomMedia('room-media');
  });
  afterAll(async () => {
    for (const s of senders) s.stop();
    for (const s of sinks) s.close();
    await sfu?.close();
  });

  it('relays hand-made RTP from a plain producer to a plain consumer, consumer created paused', async () => {
    const ingest = await createPlainProducer(room, {
      peerId: 'ambulance-1',
      kind: 'audio',
      source: 'mic',
      rtpParameters: plainRtpParameters({ ...OPUS, ssrc: 1111 }),
      listenIp: '127.0.0.1',
    });
    expect(ingest.ip).toBe('127.0.0.1');
    expect(ingest.port).toBeGreaterThanOrEqual(BASE + 1); // the range after the workers' own ports
    expect(room.producers()).toEqual([
      { producerId: ingest.producerId, peerId: 'ambulance-1', kind: 'audio', source: 'mic', paused: false },
    ]);

    const sink = new RtpSink();
    sinks.push(sink);
    const target = await sink.bind();
    const out = await createPlainConsumer(room, {
      peerId: 'recorder',
      producerId: ingest.producerId,
      ...target,
      paused: true,
    });
    expect(out.peer.producers()).toEqual([]);
    const consumer = (out.peer as ReturnType<RoomMediaImpl['createPeer']>).mediasoupConsumer(out.consumerId);
    expect(consumer.paused).toBe(true);
    expect(out.ssrc).not.toBe(1111); // the consumer has its own SSRC and sequence space

    const sender = new RtpSender(
      { ip: ingest.ip, port: ingest.port },
      { ssrc: 1111, payloadType: 111 },
    ).start();
    senders.push(sender);
    await out.peer.resumeConsumer(out.consumerId);
    await sink.waitFor(out.ssrc, 25);
    const got = sink.headers.filter((h) => h.ssrc === out.ssrc);
    expect(got.every((h) => h.payloadType === out.payloadType)).toBe(true);
    expect(sink.streams.get(out.ssrc)!.stats().lost).toBe(0);
    expect(sink.received(1111)).toBe(0);
  });

  it('answers WebRTC transports from the worker’s WebRtcServer and consumes a producer, paused', async () => {
    const [ingestProducer] = room.producers();
    const peer = room.createPeer('dr-a');
    const recv = await peer.createTransport({ direction: 'recv' });
    const candidates = recv.iceCandidates as types.IceCandidate[];
    expect(candidates.map((c) => [c.protocol, c.address, c.port]).sort()).toEqual([
      ['tcp', '127.0.0.1', BASE],
      ['udp', '127.0.0.1', BASE],
    ]);
    expect(recv.dtlsParameters).toMatchObject({ fingerprints: expect.any(Array) });
    const tcpOnly = await peer.createTransport({ direction: 'recv', forceTcp: true });
    expect((tcpOnly.iceCandidates as types.IceCandidate[]).map((c) => c.protocol)).toEqual(['tcp']);

    const consumed = await peer.consume({
      transportId: recv.id,
      producerId: ingestProducer!.producerId,
      rtpCapabilities: receiverCaps(room),
    });
    expect(consumed).toMatchObject({
      producerId: ingestProducer!.producerId,
      peerId: 'ambulance-1',
      kind: 'audio',
      source: 'mic',
      type: 'simple',
      producerPaused: false,
    });
    expect(peer.mediasoupConsumer(consumed.consumerId).paused).toBe(true);
    await peer.resumeConsumer(consumed.consumerId);
    expect(peer.mediasoupConsumer(consumed.consumerId).paused).toBe(false);
    peer.close();
  });

  it('starts simulcast consumers at the top layers', async () => {
    const sender = room.createPeer('dr-sim');
    const send = await sender.createTransport({ direction: 'send' });
    const produced = await sender.produce({
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: simulcastVp8(),
    });
    const viewer = room.createPeer('viewer-sim');
    const recv = await viewer.createTransport({ direction: 'recv' });
    const consumed = await viewer.consume({
      transportId: recv.id,
      producerId: produced.producerId,
      rtpCapabilities: receiverCaps(room),
    });
    expect(consumed.type).toBe('simulcast');
    expect(viewer.mediasoupConsumer(consumed.consumerId).preferredLayers).toEqual({
      spatialLayer: 2,
      temporalLayer: 2,
    });
    await viewer.setConsumerPreferredLayers(consumed.consumerId, 0, 1);
    expect(viewer.mediasoupConsumer(consumed.consumerId).preferredLayers).toEqual({
      spatialLayer: 0,
      temporalLayer: 1,
    });
    sender.close();
    viewer.close();
  });

  it('gives the contract’s error codes', async () => {
    const peer = room.createPeer('dr-err');
    const send = await peer.createTransport({ direction: 'send' });
    const recv = await peer.createTransport({ direction: 'recv' });
    const own = await peer.produce({
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 42 }],
      },
    });
    const caps = receiverCaps(room);
    const [other] = room.producers().filter((p) => p.peerId === 'ambulance-1');

    // wrong direction
    await expectMediaError(
      peer.produce({ transportId: recv.id, kind: 'video', source: 'camera', rtpParameters: simulcastVp8() }),
      'BAD_REQUEST',
    );
    await expectMediaError(
      peer.consume({ transportId: send.id, producerId: other!.producerId, rtpCapabilities: caps }),
      'BAD_REQUEST',
    );
    // own producer, duplicate source, source/kind mismatch, unusable parameters
    await expectMediaError(
      peer.consume({ transportId: recv.id, producerId: own.producerId, rtpCapabilities: caps }),
      'BAD_REQUEST',
    );
    await expectMediaError(
      peer.produce({ transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: { codecs: [] } }),
      'BAD_REQUEST',
    );
    await expectMediaError(
      peer.produce({ transportId: send.id, kind: 'audio', source: 'camera', rtpParameters: {} }),
      'BAD_REQUEST',
    );
    await expectMediaError(
      peer.produce({
        transportId: send.id,
        kind: 'video',
        source: 'screen',
        rtpParameters: { codecs: [{ mimeType: 'video/AV2', payloadType: 99, clockRate: 90000 }] },
      }),
      'BAD_REQUEST',
    );
    await expectMediaError(
      peer.consume({ transportId: recv.id, producerId: other!.producerId, rtpCapabilities: { codecs: [] } }),
      'BAD_REQUEST',
    );
    await expectMediaError(peer.connectTransport(send.id, { fingerprints: 'nope' }), 'BAD_REQUEST');
    // unknown ids
    await expectMediaError(peer.connectTransport('no-such-transport', {}), 'NOT_FOUND');
    await expectMediaError(peer.restartIce('no-such-transport'), 'NOT_FOUND');
    await expectMediaError(
      peer.consume({ transportId: recv.id, producerId: 'no-such-producer', rtpCapabilities: caps }),
      'NOT_FOUND',
    );
    await expectMediaError(peer.pauseConsumer('no-such-consumer'), 'NOT_FOUND');
    await expectMediaError(peer.setConsumerPreferredLayers('no-such-consumer', 1), 'NOT_FOUND');
    await expectMediaError(() => peer.closeProducer('no-such-producer'), 'NOT_FOUND');
    await expectMediaError(peer.pauseProducer(other!.producerId), 'NOT_FOUND'); // not this peer's
    // a closed peer
    peer.close();
    expect(peer.closed).toBe(true);
    await expectMediaError(peer.createTransport({ direction: 'send' }), 'NOT_FOUND');
    expect(room.producers().some((p) => p.producerId === own.producerId)).toBe(false);
  });

  it('re-emits producer pause/resume/close on the consuming peer, and producerClosed on the producing one', async () => {
    const alice = room.createPeer('alice');
    const bob = room.createPeer('bob');
    const send = await alice.createTransport({ direction: 'send' });
    const recv = await bob.createTransport({ direction: 'recv' });
    const produced = await alice.produce({
      transportId: send.id,
      kind: 'video',
      source: 'screen',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: 7 }],
      },
    });
    const { consumerId } = await bob.consume({
      transportId: recv.id,
      producerId: produced.producerId,
      rtpCapabilities: receiverCaps(room),
    });

    const paused = nextEvent<[string]>(bob, 'consumerPaused');
    await alice.pauseProducer(produced.producerId);
    expect(await paused).toEqual([consumerId]);
    expect(room.producers().find((p) => p.producerId === produced.producerId)?.paused).toBe(true);
    const resumed = nextEvent<[string]>(bob, 'consumerResumed');
    await alice.resumeProducer(produced.producerId);
    expect(await resumed).toEqual([consumerId]);

    const consumerClosed = nextEvent(bob, 'consumerClosed');
    const producerClosed = nextEvent(alice, 'producerClosed');
    alice.closeProducer(produced.producerId);
    expect(await consumerClosed).toEqual([{ consumerId, producerId: produced.producerId }]);
    expect(await producerClosed).toEqual([produced.producerId]);
    expect(alice.producers()).toEqual([]);
    await expectMediaError(bob.resumeConsumer(consumerId), 'NOT_FOUND');

    // A peer that closes emits nothing itself; the others' consumers of its producers close.
    const again = await alice.produce({
      transportId: send.id,
      kind: 'video',
      source: 'screen',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: 8 }],
      },
    });
    const second = await bob.consume({
      transportId: recv.id,
      producerId: again.producerId,
      rtpCapabilities: receiverCaps(room),
    });
    let aliceEvents = 0;
    alice.on('producerClosed', () => aliceEvents++);
    const bobSees = nextEvent(bob, 'consumerClosed');
    alice.close();
    expect(await bobSees).toEqual([{ consumerId: second.consumerId, producerId: again.producerId }]);
    expect(aliceEvents).toBe(0);
    bob.close();
  });

  it('a second createPeer for the same peer takes over the seat', async () => {
    const first = room.createPeer('dup');
    const second = room.createPeer('dup');
    expect(first.closed).toBe(true);
    expect(second.closed).toBe(false);
    second.close();
  });

  it('reports the loudest peer as active speaker, and null when its producer goes away', async () => {
    const ssrc = 5555;
    const rtpParameters = {
      ...plainRtpParameters({ ...OPUS, ssrc }),
      headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: 1 }],
    };
    const speakerEvent = nextEvent<[string | null]>(room, 'activeSpeaker', 15_000);
    const speaker = await createPlainProducer(room, {
      peerId: 'speaker',
      kind: 'audio',
      source: 'mic',
      rtpParameters,
      listenIp: '127.0.0.1',
    });
    const sender = new RtpSender(
      { ip: speaker.ip, port: speaker.port },
      { ssrc, payloadType: 111, audioLevelId: 1, level: 5 },
    ).start();
    senders.push(sender);
    expect(await speakerEvent).toEqual(['speaker']);
    expect(room.activeSpeaker).toBe('speaker');
    const silence = nextEvent<[string | null]>(room, 'activeSpeaker');
    speaker.close();
    expect(await silence).toEqual([null]);
  });
});
