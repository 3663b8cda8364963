// Vehicle cameras as room participants, on the fake SFU: announced like a browser, keeping the room
// open, awaiting their sender after a relocation, the stall watchdog (receiving, stalled, backoff),
// stopped by their sender, by the lease, or when the run is over; and who may run one.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AmbulanceRun, UserInfo } from '../../protocol/index.js';
import type { ConsultRoomRecord } from '../../rooms/consult-rooms-repository.js';
import { openLiveTestDb, sessionClient, type LiveTestDb } from '../../test-support/session-clients.js';
import { FakeSfu, type FakePeerMedia } from '../../testing/fake-sfu.js';
import { RoomRegistry } from '../../live/room-registry.js';
import { AmbulanceCameras, mayOperateCamera } from './ambulance-cameras.js';

const LEASE_MS = 30_000;
const STALL_MS = 6_000;

describe('ambulance cameras', () => {
  let live: LiveTestDb;
  let sfu: FakeSfu;
  let registry: RoomRegistry;
  let cameras: AmbulanceCameras;
  let room: ConsultRoomRecord;
  let run: AmbulanceRun;
  const user = (name: string): UserInfo => live.user(name);

  beforeAll(async () => {
    live = await openLiveTestDb();
  });
  afterAll(() => live.close());

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout', 'Date'] });
    sfu = new FakeSfu();
    registry = new RoomRegistry(sfu, {
      graceMs: 10_000,
      iceServers: [],
      chat: live.chat,
      logger: pino({ level: 'silent' }),
    });
    const crew = user('amb.sun');
    room = live.rooms.create(crew.id, '🚑 120-12', [user('dr.wang').id]);
    run = {
      id: 'run-1',
      callsign: '120-12',
      status: 'enroute',
      patient: { complaint: 'chest pain', category: 'chest-pain' },
      crew: { userId: crew.id, name: crew.displayName, institutionId: crew.institution.id },
      destination: { id: user('dr.wang').institution.id, name: 'County', location: null },
      roomId: room.id,
      createdAt: new Date().toISOString(),
      arrivedAt: null,
      prenotifications: [],
      acked: { vitals: 0, position: 0, event: 0, ecg: 0 },
      latest: { vitals: null, position: null },
    };
    cameras = new AmbulanceCameras({
      registry,
      runs: (_user, id) => (id === run.id ? run : null),
      logger: pino({ level: 'silent' }),
      leaseMs: LEASE_MS,
      stallMs: STALL_MS,
    });
  });

  /** The camera's current (fake) media, where a test plays RTP arriving. */
  const cameraMedia = (peerId: string): FakePeerMedia =>
    [...sfu.rooms.get(room.id)!.peers].find((p) => p.peerId === peerId && !p.closed)!;
  const videoProducer = (peerId: string): string =>
    cameraMedia(peerId)
      .producers()
      .find((p) => p.kind === 'video')!.producerId;

  afterEach(() => {
    cameras.closeAll();
    registry.closeAll();
    vi.useRealTimers();
  });

  it('joins the run room like a browser: peerJoined, then producerAdded for video and audio', async () => {
    const wang = sessionClient(user('dr.wang'), { rooms: live.rooms, registry });
    await wang.ok('join', { roomId: room.id });
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: true });

    expect(cam).toMatchObject({ roomId: room.id, label: 'Camera 120-12', generation: 1, leaseMs: LEASE_MS });
    expect(cam.video).toMatchObject({ codec: 'VP8', payloadType: 96 });
    expect(cam.audio).toMatchObject({ codec: 'opus', payloadType: 111 });
    expect(cam.video.rtcpPort).not.toBe(cam.video.port);
    expect(cam.video.ssrc).toBeGreaterThan(0);
    expect(cam.video.ssrc).toBeLessThan(2 ** 31);
    const joined = await wang.log.next('peerJoined', ({ peer }) => peer.peerId === cam.peerId);
    expect(joined.peer).toMatchObject({
      displayName: 'Camera 120-12',
      role: 'ambulance',
      status: 'connected',
    });
    const added = wang.log.of('producerAdded').filter((p) => p.producer.peerId === cam.peerId);
    expect(added.map((p) => p.producer.source).sort()).toEqual(['camera', 'mic']);

    // Someone joining later sees the camera and its producers in the join answer.
    const chen = sessionClient(user('dr.chen'), { rooms: live.rooms, registry });
    live.rooms.invite(room.id, [user('dr.chen').id]);
    const answer = await chen.ok('join', { roomId: room.id });
    expect(answer.peers.map((p) => p.peerId)).toContain(cam.peerId);
    expect(answer.producers.filter((p) => p.peerId === cam.peerId)).toHaveLength(2);
  });

  it('keeps the live room open with nobody else in it; stopping it announces peerLeft and closes the room', async () => {
    const wang = sessionClient(user('dr.wang'), { rooms: live.rooms, registry });
    await wang.ok('join', { roomId: room.id });
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'H264' }, audio: false });
    expect(cam.audio).toBeUndefined();
    await wang.ok('leave');
    expect(registry.get(room.id)?.size).toBe(1);
    await wang.ok('join', { roomId: room.id });
    await cameras.stop(user('amb.sun'), run.id, cam.peerId);
    expect((await wang.log.next('peerLeft', (d) => d.peerId === cam.peerId)).peerId).toBe(cam.peerId);
    await wang.ok('leave');
    expect(registry.get(room.id)).toBeUndefined();
  });

  it('after the room media moved it waits for its sender; fresh endpoints come only when asked', async () => {
    const wang = sessionClient(user('dr.wang'), { rooms: live.rooms, registry });
    await wang.ok('join', { roomId: room.id });
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: true });
    wang.log.clear();
    sfu.rooms.get(room.id)!.relocate('worker 4321 died');

    // No transport is made behind the sender's back: an old ffmpeg still sending would lock it.
    const waiting = await cameras.get(user('amb.sun'), run.id, cam.peerId);
    expect(waiting).toMatchObject({ state: 'awaiting-sender', generation: 1, peerId: cam.peerId });
    expect(waiting).not.toHaveProperty('video');
    expect(cameraMedia(cam.peerId).transports.size).toBe(0);
    expect(wang.log.of('producerAdded')).toHaveLength(0);

    const after = await cameras.renew(user('amb.sun'), run.id, cam.peerId);
    expect(after).toMatchObject({ state: 'starting', generation: 2, peerId: cam.peerId });
    expect(after.audio).toBeDefined();
    const added = wang.log.of('producerAdded').filter((p) => p.producer.peerId === cam.peerId);
    expect(added.map((p) => p.producer.source).sort()).toEqual(['camera', 'mic']);
    expect(await cameras.get(user('amb.sun'), run.id, cam.peerId)).toMatchObject({
      state: 'starting',
      generation: 2,
    });
  });

  it('reports receiving while video RTP arrives, stalled after 6 s of silence; renewing replaces the transports', async () => {
    const wang = sessionClient(user('dr.wang'), { rooms: live.rooms, registry });
    await wang.ok('join', { roomId: room.id });
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: true });
    const status = () => cameras.get(user('amb.sun'), run.id, cam.peerId);
    expect((await status()).state).toBe('starting');
    for (let i = 0; i < 5; i++) {
      cameraMedia(cam.peerId).receive(videoProducer(cam.peerId));
      await vi.advanceTimersByTimeAsync(2_000);
      expect((await status()).state).toBe('receiving');
    }
    // NAT rebinding: the modem's new address is dropped by the transport, the count stays flat.
    await vi.advanceTimersByTimeAsync(STALL_MS - 1_000);
    expect((await status()).state).toBe('receiving');
    await vi.advanceTimersByTimeAsync(1_000);
    const stalled = await status();
    expect(stalled).toMatchObject({ state: 'stalled', generation: 1, video: cam.video });

    const oldProducers = wang.log
      .of('producerAdded')
      .filter((p) => p.producer.peerId === cam.peerId)
      .map((p) => p.producer.producerId);
    wang.log.clear();
    const fresh = await cameras.renew(user('amb.sun'), run.id, cam.peerId);
    expect(fresh).toMatchObject({ state: 'starting', generation: 2 });
    expect(fresh.video.ssrc).not.toBe(cam.video.ssrc);
    const closed = wang.log.of('producerClosed').map((p) => p.producerId);
    expect(closed.sort()).toEqual(oldProducers.sort());
    expect(wang.log.of('producerAdded')).toHaveLength(2);
    expect(cameraMedia(cam.peerId).transports.size).toBe(2);
    expect((await status()).state).toBe('starting');
  });

  it('a sender that never gets through is told to renew ever more slowly (6, 12, 24 s), and back to 6 s once video flows', async () => {
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'H264' }, audio: false });
    const stalledAfter = async (): Promise<number> => {
      const t0 = Date.now();
      while ((await cameras.get(user('amb.sun'), run.id, cam.peerId)).state !== 'stalled')
        await vi.advanceTimersByTimeAsync(1_000);
      return Date.now() - t0;
    };
    expect(await stalledAfter()).toBe(STALL_MS);
    await cameras.renew(user('amb.sun'), run.id, cam.peerId);
    expect(await stalledAfter()).toBe(2 * STALL_MS);
    await cameras.renew(user('amb.sun'), run.id, cam.peerId);
    expect(await stalledAfter()).toBe(4 * STALL_MS);
    await cameras.renew(user('amb.sun'), run.id, cam.peerId);
    cameraMedia(cam.peerId).receive(videoProducer(cam.peerId));
    expect((await cameras.get(user('amb.sun'), run.id, cam.peerId)).state).toBe('receiving');
    expect(await stalledAfter()).toBe(STALL_MS);
  });

  it('a producer that went without it (transport closed) also means awaiting its sender', async () => {
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: false });
    const media = cameraMedia(cam.peerId);
    media.closeTransport([...media.transports.keys()][0]!);
    expect((await cameras.get(user('amb.sun'), run.id, cam.peerId)).state).toBe('awaiting-sender');
    expect((await cameras.renew(user('amb.sun'), run.id, cam.peerId)).generation).toBe(2);
  });

  it('is stopped when its sender stops polling (lease), and polling keeps it alive', async () => {
    const cam = await cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: false });
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(LEASE_MS / 2);
      await cameras.get(user('amb.sun'), run.id, cam.peerId);
    }
    await vi.advanceTimersByTimeAsync(LEASE_MS * 2);
    await expect(cameras.get(user('amb.sun'), run.id, cam.peerId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(registry.get(room.id)).toBeUndefined();
  });

  it('runs only for an en-route run, for its crew, their colleagues and admins', async () => {
    await expect(
      cameras.start(user('dr.wang'), run.id, { video: { codec: 'VP8' }, audio: false }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      cameras.start(user('amb.sun'), 'run-x', { video: { codec: 'VP8' }, audio: false }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(mayOperateCamera(user('admin'), run)).toBe(true);
    expect(mayOperateCamera(user('nurse.zhao'), run)).toBe(false);

    const cam = await cameras.start(user('admin'), run.id, { video: { codec: 'VP8' }, audio: false });
    run = { ...run, status: 'arrived' };
    await expect(cameras.get(user('amb.sun'), run.id, cam.peerId)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(cameras.list()).toHaveLength(0);
    await expect(
      cameras.start(user('amb.sun'), run.id, { video: { codec: 'VP8' }, audio: false }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
