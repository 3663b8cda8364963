// Shared viewing through the same path as the socket gateway (envelope, schema, session, room), with
// recording sinks, the fake SFU and a real temporary database.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestMethod, SharedAnnotation, SharedViewerState } from '../../protocol/index.js';
import { MAX_MESSAGE_BYTES } from '../../protocol/index.js';
import { ChatRepository } from '../../chat/chat-repository.js';
import { ConsultRoomsRepository, type ConsultRoomRecord } from '../../rooms/consult-rooms-repository.js';
import {
  openLiveTestDb,
  sessionClient,
  type LiveTestDb,
  type SessionClient,
} from '../../test-support/session-clients.js';
import { NotificationLog } from '../../test-support/notifications.js';
import { FakeSfu } from '../../testing/fake-sfu.js';
import { ClientSession } from '../client-session.js';
import { RoomRegistry } from '../room-registry.js';
import { sharedViewing } from './shared-viewing.js';

const GRACE_MS = 15_000;
const STUDY = '1.2.826.0.1.3680043.8.498.1';
const SERIES = '1.2.826.0.1.3680043.8.498.2';

const viewerState = (imageIndex: number, windowCenter = 40): SharedViewerState => ({
  studyInstanceUid: STUDY,
  seriesInstanceUid: SERIES,
  imageIndex,
  voi: { windowCenter, windowWidth: 400 },
  camera: { zoom: 1, pan: [0, 0], rotation: 0, flipHorizontal: false, flipVertical: false },
  invert: false,
  cine: { playing: false, framesPerSecond: 0 },
});

const annotation = (id: string, authorId: string): SharedAnnotation => ({
  id,
  kind: 'length',
  studyInstanceUid: STUDY,
  seriesInstanceUid: SERIES,
  sopInstanceUid: '1.2.826.0.1.3680043.8.498.3',
  frameNumber: 1,
  points: [
    [0, 0, 0],
    [10, 0, 0],
  ],
  stats: { length: 10, unit: 'mm' },
  authorId,
  createdAt: '2026-11-26T04:00:00.000Z',
});

type Client = SessionClient;

describe('shared viewing', () => {
  let live: LiveTestDb;
  let roomsRepo: ConsultRoomsRepository;
  let chatRepo: ChatRepository;
  let registry: RoomRegistry;
  let room: ConsultRoomRecord;

  beforeAll(async () => {
    live = await openLiveTestDb();
    roomsRepo = live.rooms;
    chatRepo = live.chat;
  });

  afterAll(() => live.close());

  beforeEach(() => {
    registry = new RoomRegistry(new FakeSfu(), {
      graceMs: GRACE_MS,
      iceServers: [],
      chat: chatRepo,
      logger: pino({ level: 'silent' }),
      features: [sharedViewing],
    });
    room = roomsRepo.create(user('dr.wang').id, 'CT head', [user('nurse.zhao').id, user('amb.sun').id]);
  });

  afterEach(() => {
    registry.closeAll();
    vi.useRealTimers();
  });

  const user = (username: string) => live.user(username);

  function client(username: string): Client {
    return sessionClient(user(username), { rooms: roomsRepo, registry });
  }

  async function joined(...usernames: string[]): Promise<Client[]> {
    const clients = usernames.map(client);
    for (const c of clients) await c.ok('join', { roomId: room.id });
    return clients;
  }

  it('a presenter’s state and annotations reach the followers, not the presenter', async () => {
    const [wang, zhao, sun] = await joined('dr.wang', 'nurse.zhao', 'amb.sun');
    const first = await wang.ok('viewing:present');
    expect(first).toMatchObject({ presenterPeerId: wang.user.id, state: null, annotations: [] });
    for (const c of [zhao, sun])
      await c.log.next(
        'viewing:presenter',
        (p) => p.presenterPeerId === wang.user.id && p.reason === 'present',
      );

    const { version } = await wang.ok('viewing:state', { state: viewerState(7, 60), sentAt: 1234.5 });
    for (const c of [zhao, sun]) {
      const got = await c.log.next('viewing:state', (s) => s.version === version);
      expect(got).toEqual({
        presenterPeerId: wang.user.id,
        state: viewerState(7, 60),
        version,
        sentAt: 1234.5,
      });
    }
    await wang.ok('viewing:annotation', { op: 'upsert', annotation: annotation('a1', wang.user.id) });
    const added = await zhao.log.next('viewing:annotation');
    expect(added).toMatchObject({ op: 'upsert', annotation: { id: 'a1', kind: 'length' } });
    await wang.ok('viewing:annotation', { op: 'remove', id: 'a1' });
    await sun.log.next('viewing:annotation', (a) => a.op === 'remove' && a.id === 'a1');
    const saved = [annotation('s1', 'someone'), annotation('s2', 'someone')];
    await wang.ok('viewing:annotation', { op: 'replace', studyInstanceUid: STUDY, annotations: saved });
    await sun.log.next('viewing:annotation', (a) => a.op === 'replace' && a.annotations.length === 2);
    expect((await sun.ok('viewing:sync')).annotations.map((a) => a.id)).toEqual(['s1', 's2']);
    const foreign = { ...annotation('s3', 'x'), studyInstanceUid: '1.2.3' };
    expect(
      await wang.call('viewing:annotation', {
        op: 'replace',
        studyInstanceUid: STUDY,
        annotations: [foreign],
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(wang.log.of('viewing:state')).toEqual([]);
    expect(wang.log.of('viewing:annotation')).toEqual([]);
  });

  it('only the presenter may change the shared view (NOT_PRESENTER)', async () => {
    const [wang, zhao] = await joined('dr.wang', 'nurse.zhao');
    expect(await zhao.call('viewing:state', { state: viewerState(1) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PRESENTER' },
    });
    await wang.ok('viewing:present');
    expect(await zhao.call('viewing:state', { state: viewerState(1) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PRESENTER' },
    });
    expect(
      await zhao.call('viewing:annotation', { op: 'upsert', annotation: annotation('x', zhao.user.id) }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_PRESENTER' } });
    expect(await zhao.call('viewing:handover', { peerId: zhao.user.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PRESENTER' },
    });
    // Someone else presenting and connected: taking the floor needs a handover.
    expect(await zhao.call('viewing:present')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await zhao.ok('viewing:sync')).state).toBeNull();
  });

  it('refuses malformed and oversized viewing messages at the edge', async () => {
    const [wang] = await joined('dr.wang');
    await wang.ok('viewing:present');
    const bad: Array<[RequestMethod, unknown]> = [
      ['viewing:state', { state: { ...viewerState(1), imageIndex: -1 } }],
      ['viewing:state', { state: { ...viewerState(1), voi: { windowCenter: Number.NaN, windowWidth: 1 } } }],
      ['viewing:state', { state: { ...viewerState(1), studyInstanceUid: '../etc/passwd' } }],
      ['viewing:state', { state: { ...viewerState(1), extra: true } }],
      ['viewing:state', { state: { ...viewerState(1), camera: { ...viewerState(1).camera, zoom: 0 } } }],
      ['viewing:annotation', { op: 'upsert', annotation: { ...annotation('a', 'u'), kind: 'freehand' } }],
      ['viewing:annotation', { op: 'upsert', annotation: { ...annotation('a', 'u'), points: [] } }],
      ['viewing:annotation', { op: 'upsert', annotation: { ...annotation('a b', 'u') } }],
      ['viewing:annotation', { op: 'rename', id: 'a' }],
      ['viewing:handover', {}],
    ];
    for (const [method, data] of bad) {
      expect(await wang.call(method, data), `${method} ${JSON.stringify(data).slice(0, 80)}`).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    const huge = { ...annotation('big', 'u'), label: 'x'.repeat(200), points: Array(64).fill([1, 2, 3]) };
    expect(await wang.call('viewing:annotation', { op: 'upsert', annotation: huge })).toMatchObject({
      ok: true,
    });
    const tooBig = { op: 'upsert', annotation: { ...huge, label: 'x'.repeat(MAX_MESSAGE_BYTES) } };
    expect(await wang.call('viewing:annotation', tooBig)).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    });
    // Nothing invalid reached the room.
    expect((await wang.ok('viewing:sync')).annotations.map((a) => a.id)).toEqual(['big']);
  });

  it('a late joiner gets the current state and annotations with its join, and by sync', async () => {
    const [wang] = await joined('dr.wang');
    await wang.ok('viewing:present');
    await wang.ok('viewing:state', { state: viewerState(3) });
    await wang.ok('viewing:annotation', { op: 'upsert', annotation: annotation('a1', wang.user.id) });
    await wang.ok('viewing:state', { state: viewerState(5, 300) });

    const [sun] = await joined('amb.sun');
    const pushed = await sun.log.next('viewing:snapshot');
    expect(pushed).toMatchObject({ presenterPeerId: wang.user.id, state: viewerState(5, 300) });
    expect(pushed.annotations.map((a) => a.id)).toEqual(['a1']);
    // The snapshot follows the join answer (the session holds notifications until then).
    expect(sun.log.methods()[0]).toBe('viewing:snapshot');
    expect(await sun.ok('viewing:sync')).toEqual(pushed);
  });

  it('hands presenting over; the old presenter becomes a follower', async () => {
    const [wang, zhao, sun] = await joined('dr.wang', 'nurse.zhao', 'amb.sun');
    await wang.ok('viewing:present');
    await wang.ok('viewing:state', { state: viewerState(2) });
    expect(await wang.ok('viewing:handover', { peerId: zhao.user.id })).toEqual({
      presenterPeerId: zhao.user.id,
    });
    for (const c of [wang, zhao, sun])
      await c.log.next(
        'viewing:presenter',
        (p) => p.presenterPeerId === zhao.user.id && p.reason === 'handover',
      );
    expect(await wang.call('viewing:state', { state: viewerState(9) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PRESENTER' },
    });
    await zhao.ok('viewing:state', { state: viewerState(4) });
    await wang.log.next(
      'viewing:state',
      (s) => s.state.imageIndex === 4 && s.presenterPeerId === zhao.user.id,
    );
    expect(await zhao.call('viewing:handover', { peerId: 'nobody-here' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a departed presenter leaves the state for the next one; a dropped one may be replaced at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const [wang, zhao] = await joined('dr.wang', 'nurse.zhao');
    await wang.ok('viewing:present');
    await wang.ok('viewing:state', { state: viewerState(6) });
    await wang.ok('viewing:annotation', { op: 'upsert', annotation: annotation('a1', wang.user.id) });

    // Dropped: the seat waits, but the floor is free for someone present.
    wang.session.disconnected();
    const taken = await zhao.ok('viewing:present');
    expect(taken).toMatchObject({ presenterPeerId: zhao.user.id, state: viewerState(6) });
    expect(taken.annotations).toHaveLength(1);
    await zhao.ok('viewing:stop');
    await zhao.log.next('viewing:presenter', (p) => p.presenterPeerId === null && p.reason === 'stop');

    await zhao.ok('viewing:present');
    await zhao.ok('leave');
    const sun = (await joined('amb.sun'))[0]!;
    const snap = await sun.ok('viewing:sync');
    expect(snap).toMatchObject({ presenterPeerId: null, state: viewerState(6) });
    expect(sun.log.of('viewing:presenter')).toEqual([]);
    expect(snap.annotations).toHaveLength(1);
  });

  it('a follower who detached re-syncs to the latest state', async () => {
    const [wang, zhao] = await joined('dr.wang', 'nurse.zhao');
    await wang.ok('viewing:present');
    for (let i = 0; i < 20; i++) await wang.ok('viewing:state', { state: viewerState(i) });
    const synced = await zhao.ok('viewing:sync');
    expect(synced.state?.imageIndex).toBe(19);
    expect(synced.version).toBe(20);
  });

  it('only studies attached to the room may be shown or annotated in it', async () => {
    registry.closeAll();
    registry = new RoomRegistry(new FakeSfu(), {
      graceMs: GRACE_MS,
      iceServers: [],
      chat: chatRepo,
      logger: pino({ level: 'silent' }),
      features: [sharedViewing.with({ studyAttached: (roomId, uid) => roomId === room.id && uid === STUDY })],
    });
    const [wang, zhao] = await joined('dr.wang', 'nurse.zhao');
    await wang.ok('viewing:present');
    const other = '1.2.826.0.1.3680043.8.498.99';
    expect(
      await wang.call('viewing:state', { state: { ...viewerState(1), studyInstanceUid: other } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await wang.call('viewing:annotation', {
        op: 'upsert',
        annotation: { ...annotation('x', wang.user.id), studyInstanceUid: other },
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await wang.call('viewing:annotation', { op: 'replace', studyInstanceUid: other, annotations: [] }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await wang.ok('viewing:state', { state: viewerState(2) });
    expect(zhao.log.of('viewing:state').map((s) => s.state.studyInstanceUid)).toEqual([STUDY]);
  });

  it('sync before joining is refused; without the feature it is NOT_FOUND', async () => {
    const zhao = client('nurse.zhao');
    expect(await zhao.call('viewing:sync')).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    const bare = new RoomRegistry(new FakeSfu(), {
      graceMs: GRACE_MS,
      iceServers: [],
      chat: chatRepo,
      logger: pino({ level: 'silent' }),
    });
    try {
      const session = new ClientSession(user('dr.wang'), new NotificationLog().sink, {
        rooms: roomsRepo,
        registry: bare,
      });
      await session.handle('join', { roomId: room.id });
      await expect(session.handle('viewing:sync', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      bare.closeAll();
    }
  });
});
