// Room logic without Socket.IO: sessions with recording sinks, the fake SFU, a real (temporary) database.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatRepository, CHAT_HISTORY_LIMIT } from '../chat/chat-repository.js';
import { ConsultRoomsRepository, type ConsultRoomRecord } from '../rooms/consult-rooms-repository.js';
import {
  openLiveTestDb,
  sessionClient,
  type LiveTestDb,
  type SessionClient,
} from '../test-support/session-clients.js';
import { FakeSfu, type FakePeerMedia, type FakeRoomMedia } from '../testing/fake-sfu.js';
import { RoomRegistry } from './room-registry.js';
import { TAKEOVER_REASON } from './room.js';

const GRACE_MS = 15_000;
const RTP = { codecs: [{ mimeType: 'audio/opus', payloadType: 100 }] };

type Client = SessionClient;

describe('live rooms', () => {
  let live: LiveTestDb;
  let roomsRepo: ConsultRoomsRepository;
  let chatRepo: ChatRepository;
  let sfu: FakeSfu;
  let registry: RoomRegistry;
  let room: ConsultRoomRecord;

  beforeAll(async () => {
    live = await openLiveTestDb();
    roomsRepo = live.rooms;
    chatRepo = live.chat;
  });

  afterAll(() => live.close());

  beforeEach(() => {
    sfu = new FakeSfu();
    registry = new RoomRegistry(sfu, {
      graceMs: GRACE_MS,
      iceServers: [{ urls: 'stun:stun.test' }],
      chat: chatRepo,
      logger: pino({ level: 'silent' }),
    });
    room = roomsRepo.create(user('dr.wang').id, 'Chest pain', [user('nurse.zhao').id, user('amb.sun').id]);
  });

  afterEach(() => {
    registry.closeAll();
    vi.useRealTimers();
  });

  const user = (username: string) => live.user(username);

  function client(username: string): Client {
    return sessionClient(user(username), { rooms: roomsRepo, registry });
  }

  const liveMedia = (): FakeRoomMedia => sfu.rooms.get(room.id)!;
  const peerMediaOf = (userId: string): FakePeerMedia[] =>
    [...liveMedia().peers].filter((p) => p.peerId === userId);

  async function produce(c: Client, source: 'mic' | 'camera' = 'mic'): Promise<string> {
    const transport = await c.ok('createTransport', { direction: 'send' });
    await c.ok('connectTransport', {
      transportId: transport.id,
      dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
    });
    const { producerId } = await c.ok('produce', {
      transportId: transport.id,
      kind: source === 'mic' ? 'audio' : 'video',
      source,
      rtpParameters: RTP,
    });
    return producerId;
  }

  async function consume(c: Client, producerId: string) {
    const transport = await c.ok('createTransport', { direction: 'recv' });
    return c.ok('consume', { transportId: transport.id, producerId, rtpCapabilities: {} });
  }

  describe('membership', () => {
    it('joins, sees the others, and tells them', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      const first = await wang.ok('join', { roomId: room.id });
      expect(first.self).toEqual({
        peerId: wang.user.id,
        displayName: 'Dr. Wang Li',
        role: 'specialist',
        institution: "County People's Hospital",
        status: 'connected',
      });
      expect(first.peers).toEqual([]);
      expect(first.iceServers).toEqual([{ urls: 'stun:stun.test' }]);
      expect(first.routerRtpCapabilities).toEqual(liveMedia().rtpCapabilities);

      const second = await zhao.ok('join', { roomId: room.id });
      expect(second.peers.map((p) => p.peerId)).toEqual([wang.user.id]);
      expect(wang.log.of('peerJoined')).toEqual([{ peer: second.self }]);
      expect(zhao.log.all).toEqual([]);
      expect(registry.participants(room.id)).toBe(2);
    });

    it('holds back news of other joiners until this joiner’s own answer is out', async () => {
      // Both joins wait on the same opening of the room's media, so they complete in one tick.
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const roomMedia = sfu.roomMedia.bind(sfu);
      sfu.roomMedia = async (id) => {
        await opened;
        return roomMedia(id);
      };
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      const joins = [wang, zhao].map((c) => c.session.handle('join', { roomId: room.id }));
      open();
      const [first, second] = await Promise.all(joins);
      // Whoever was seated first heard of the other already, but it is held until its answer is sent.
      const [early, late] = first!.peers.length === 0 ? [wang, zhao] : [zhao, wang];
      expect(second!.peers).toHaveLength(1);
      expect(early.log.of('peerJoined')).toEqual([]);
      early.session.replied('join');
      expect(early.log.of('peerJoined').map((n) => n.peer.peerId)).toEqual([late.user.id]);
    });

    it('closes the live room when the last participant leaves', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      const media = liveMedia();
      expect(await zhao.ok('leave')).toEqual({});
      expect(wang.log.of('peerLeft')).toEqual([{ peerId: zhao.user.id }]);
      expect(media.closed).toBe(false);
      await wang.ok('leave');
      expect(media.closed).toBe(true);
      expect(registry.stats()).toEqual({ rooms: 0, peers: 0 });
      // Joining again opens a new live room.
      await wang.ok('join', { roomId: room.id });
      expect(sfu.opened).toHaveLength(2);
    });

    it('admits only the owner, invitees and admins', async () => {
      expect(await client('dr.chen').call('join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await client('dr.liu').call('join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await client('dr.wang').call('join', { roomId: 'no-such-room' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(sfu.opened).toHaveLength(0);
      await client('admin').ok('join', { roomId: room.id });
      await client('amb.sun').ok('join', { roomId: room.id });
    });

    it('refuses requests before join, and a second join', async () => {
      const zhao = client('nurse.zhao');
      for (const method of ['createTransport', 'chat', 'leave'] as const) {
        const data =
          method === 'createTransport' ? { direction: 'send' } : method === 'chat' ? { text: 'hi' } : {};
        expect(await zhao.call(method, data)).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
      }
      await zhao.ok('join', { roomId: room.id });
      expect(await zhao.call('join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'ALREADY_JOINED' },
      });
    });

    it('removes a participant whose invitation is withdrawn', async () => {
      const wang = client('dr.wang');
      const sun = client('amb.sun');
      await wang.ok('join', { roomId: room.id });
      await sun.ok('join', { roomId: room.id });
      await produce(sun);
      expect(registry.kick(room.id, sun.user.id, 'Your invitation was withdrawn')).toBe(true);
      expect(sun.log.of('kicked')).toEqual([{ reason: 'Your invitation was withdrawn' }]);
      expect(wang.log.methods()).toEqual(['peerJoined', 'producerAdded', 'producerClosed', 'peerLeft']);
      expect(await sun.call('chat', { text: 'still here?' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_JOINED' },
      });
    });
  });

  describe('media', () => {
    it('announces producers to the others and forwards consumer events to their owner', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      const mic = await produce(zhao, 'mic');
      const added = await wang.log.next('producerAdded');
      expect(added.producer).toEqual({
        producerId: mic,
        peerId: zhao.user.id,
        kind: 'audio',
        source: 'mic',
        paused: false,
      });
      expect(zhao.log.of('producerAdded')).toEqual([]);

      const consumer = await consume(wang, mic);
      expect(consumer).toMatchObject({ producerId: mic, peerId: zhao.user.id, kind: 'audio', source: 'mic' });
      await wang.ok('resumeConsumer', { consumerId: consumer.consumerId });

      await zhao.ok('pauseProducer', { producerId: mic });
      expect(wang.log.of('producerPaused')).toEqual([{ producerId: mic, peerId: zhao.user.id }]);
      await zhao.ok('resumeProducer', { producerId: mic });
      expect(wang.log.of('producerResumed')).toEqual([{ producerId: mic, peerId: zhao.user.id }]);

      await zhao.ok('closeProducer', { producerId: mic });
      expect(wang.log.of('producerClosed')).toEqual([{ producerId: mic, peerId: zhao.user.id }]);
      expect(wang.log.of('consumerClosed')).toEqual([{ consumerId: consumer.consumerId, producerId: mic }]);
      expect(zhao.log.of('consumerClosed')).toEqual([]);
    });

    it('lists existing producers to a late joiner', async () => {
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: room.id });
      const cam = await produce(wang, 'camera');
      const answer = await client('amb.sun').ok('join', { roomId: room.id });
      expect(answer.producers).toEqual([
        { producerId: cam, peerId: wang.user.id, kind: 'video', source: 'camera', paused: false },
      ]);
    });

    it('maps media errors to ack errors and refuses what signalling knows is wrong', async () => {
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: room.id });
      expect(await wang.call('closeProducer', { producerId: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(
        await wang.call('connectTransport', {
          transportId: 'nope',
          dtlsParameters: { fingerprints: [{ algorithm: 'a', value: 'b' }] },
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      const recv = await wang.ok('createTransport', { direction: 'recv' });
      expect(
        await wang.call('produce', {
          transportId: recv.id,
          kind: 'audio',
          source: 'mic',
          rtpParameters: RTP,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'not a send transport' },
      });
      expect(
        await wang.call('produce', {
          transportId: recv.id,
          kind: 'video',
          source: 'mic',
          rtpParameters: RTP,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'A mic producer must be audio' },
      });
      await produce(wang, 'mic');
      const send = await wang.ok('createTransport', { direction: 'send' });
      expect(
        await wang.call('produce', {
          transportId: send.id,
          kind: 'audio',
          source: 'mic',
          rtpParameters: RTP,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
      expect(await wang.ok('restartIce', { transportId: send.id })).toHaveProperty('iceParameters');
    });

    it('hides internal errors behind INTERNAL', async () => {
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: room.id });
      const media = peerMediaOf(wang.user.id)[0]!;
      media.createTransport = () => Promise.reject(new Error('worker pipe broke at 0xdeadbeef'));
      expect(await wang.call('createTransport', { direction: 'send' })).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: 'Internal server error' },
      });
    });

    it('relays the active speaker to everyone', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      liveMedia().speak(zhao.user.id);
      expect(wang.log.of('activeSpeaker')).toEqual([{ peerId: zhao.user.id }]);
      expect(zhao.log.of('activeSpeaker')).toEqual([{ peerId: zhao.user.id }]);
      expect((await client('amb.sun').ok('join', { roomId: room.id })).activeSpeakerPeerId).toBe(
        zhao.user.id,
      );
    });

    it('on relocation, tells every connected peer to reset and gives them fresh media', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      const mic = await produce(zhao);
      await consume(wang, mic);
      const before = [...liveMedia().peers];

      liveMedia().relocate('worker 1234 died');
      for (const c of [wang, zhao]) {
        expect(c.log.of('mediaReset')).toEqual([
          { reason: 'worker 1234 died', routerRtpCapabilities: liveMedia().rtpCapabilities },
        ]);
      }
      expect(before.every((m) => m.closed)).toBe(true);
      expect(peerMediaOf(wang.user.id)).toHaveLength(1);
      expect(peerMediaOf(wang.user.id)[0]!.closed).toBe(false);
      // Membership is kept; media works again from scratch.
      const again = await produce(zhao);
      expect(
        (await wang.log.next('producerAdded', (d) => d.producer.producerId === again)).producer.peerId,
      ).toBe(zhao.user.id);
      expect(wang.log.of('peerLeft')).toEqual([]);
    });
  });

  describe('seat takeover', () => {
    it('moves the seat to the new connection and kicks the old one', async () => {
      const wang = client('dr.wang');
      const zhaoTab1 = client('nurse.zhao');
      const zhaoTab2 = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhaoTab1.ok('join', { roomId: room.id });
      const mic = await produce(zhaoTab1);
      wang.log.clear();

      const answer = await zhaoTab2.ok('join', { roomId: room.id });
      expect(answer.self.status).toBe('connected');
      expect(answer.peers.map((p) => p.peerId)).toEqual([wang.user.id]);
      expect(zhaoTab1.log.of('kicked')).toEqual([{ reason: TAKEOVER_REASON }]);
      expect(wang.log.methods()).toEqual(['producerClosed', 'peerUpdated']);
      expect(wang.log.of('producerClosed')).toEqual([{ producerId: mic, peerId: zhaoTab1.user.id }]);
      expect(registry.participants(room.id)).toBe(2);

      // The old connection is out; its later disconnect changes nothing.
      expect(await zhaoTab1.call('chat', { text: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_JOINED' },
      });
      zhaoTab1.session.disconnected();
      expect(wang.log.methods()).toEqual(['producerClosed', 'peerUpdated']);
      await zhaoTab2.ok('chat', { text: 'from the new tab' });
      expect(wang.log.of('chatMessage')).toHaveLength(1);
      const media = peerMediaOf(zhaoTab1.user.id);
      expect(media.filter((m) => !m.closed)).toHaveLength(1);
    });
  });

  describe('reconnection grace', () => {
    it('keeps the seat while reconnecting and restores it on rejoin', async () => {
      vi.useFakeTimers();
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      const mic = await produce(zhao);
      wang.log.clear();

      zhao.session.disconnected();
      // Media closes at once: nobody watches a frozen picture.
      expect(wang.log.methods()).toEqual(['producerClosed', 'peerUpdated']);
      expect(wang.log.of('producerClosed')).toEqual([{ producerId: mic, peerId: zhao.user.id }]);
      expect(wang.log.of('peerUpdated')[0]!.peer.status).toBe('reconnecting');
      expect(registry.participants(room.id)).toBe(2);
      const late = await client('amb.sun').ok('join', { roomId: room.id });
      expect(late.peers.find((p) => p.peerId === zhao.user.id)?.status).toBe('reconnecting');

      vi.advanceTimersByTime(GRACE_MS - 1);
      const back = client('nurse.zhao');
      const answer = await back.ok('join', { roomId: room.id });
      expect(answer.self.status).toBe('connected');
      expect(wang.log.of('peerUpdated').map((u) => u.peer.status)).toEqual(['reconnecting', 'connected']);
      vi.advanceTimersByTime(GRACE_MS * 2);
      expect(wang.log.of('peerLeft')).toEqual([]);
      expect(registry.participants(room.id)).toBe(3);
    });

    it('gives the seat up when the grace period ends', async () => {
      vi.useFakeTimers();
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      zhao.session.disconnected();
      vi.advanceTimersByTime(GRACE_MS - 1);
      expect(wang.log.of('peerLeft')).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(wang.log.of('peerLeft')).toEqual([{ peerId: zhao.user.id }]);
      expect(registry.participants(room.id)).toBe(1);
    });

    it('closes the room only after the last grace period', async () => {
      vi.useFakeTimers();
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: room.id });
      const media = liveMedia();
      wang.session.disconnected();
      expect(media.closed).toBe(false);
      vi.advanceTimersByTime(GRACE_MS);
      expect(media.closed).toBe(true);
      expect(registry.stats().rooms).toBe(0);
    });
  });

  describe('chat', () => {
    it('relays to the others and keeps history for late joiners', async () => {
      const wang = client('dr.wang');
      const zhao = client('nurse.zhao');
      await wang.ok('join', { roomId: room.id });
      await zhao.ok('join', { roomId: room.id });
      const { message } = await zhao.ok('chat', { text: '  ECG sent, ST elevation in V2-V4 ' });
      expect(message).toMatchObject({
        peerId: zhao.user.id,
        displayName: 'Zhao Min',
        text: 'ECG sent, ST elevation in V2-V4',
      });
      expect(wang.log.of('chatMessage')).toEqual([{ message }]);
      expect(zhao.log.of('chatMessage')).toEqual([]);
      await wang.ok('chat', { text: 'Cath lab notified' });

      const late = await client('amb.sun').ok('join', { roomId: room.id });
      expect(late.chat.map((m) => m.text)).toEqual(['ECG sent, ST elevation in V2-V4', 'Cath lab notified']);
    });

    it('sends at most the most recent messages, oldest first, and survives the live room', async () => {
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: room.id });
      const live = registry.get(room.id)!;
      for (let i = 0; i < CHAT_HISTORY_LIMIT + 5; i++) live.chat.send(live.peer(wang.user.id)!, `m${i}`);
      await wang.ok('leave');
      expect(registry.stats().rooms).toBe(0);
      const answer = await client('nurse.zhao').ok('join', { roomId: room.id });
      expect(answer.chat).toHaveLength(CHAT_HISTORY_LIMIT);
      expect(answer.chat[0]!.text).toBe('m5');
      expect(answer.chat.at(-1)!.text).toBe(`m${CHAT_HISTORY_LIMIT + 4}`);
    });

    it('keeps each consult room’s chat apart', async () => {
      const other = roomsRepo.create(user('dr.wang').id, 'Fracture', []);
      const wang = client('dr.wang');
      await wang.ok('join', { roomId: other.id });
      await wang.ok('chat', { text: 'only here' });
      expect((await client('nurse.zhao').ok('join', { roomId: room.id })).chat).toEqual([]);
    });
  });
});
