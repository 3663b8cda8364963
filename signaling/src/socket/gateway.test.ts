// The real server (HTTP + Socket.IO) with a fake SFU, and real socket.io-client connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ConsultRoom, Responses, Session } from '../protocol/index.js';
import { MAX_MESSAGE_BYTES } from '../protocol/index.js';
import { AccessTokens } from '../auth/access-tokens.js';
import {
  TEST_JWT_SECRET,
  api,
  connectError,
  connectedClient,
  login,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';

describe('Socket.IO gateway', () => {
  let platform: TestPlatform;
  const sessions = new Map<string, Session>();
  let room: ConsultRoom;
  const clients: TestClient[] = [];
  const idOf = (u: string) => sessions.get(u)!.user.id;

  async function client(username: string): Promise<TestClient> {
    const c = await connectedClient(platform.url, sessions.get(username)!.accessToken);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    for (const u of ['dr.wang', 'nurse.zhao', 'dr.liu', 'dr.chen'])
      sessions.set(u, await login(platform.url, u));
    const created = await api<ConsultRoom>(platform.url, 'POST', '/api/rooms', {
      token: sessions.get('dr.wang')!.accessToken,
      body: { title: 'Chest pain, 58 y', invitees: [idOf('nurse.zhao'), idOf('dr.liu')] },
    });
    expect(created.status).toBe(201);
    room = created.body;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await platform?.close();
  });

  describe('handshake', () => {
    it('refuses a missing, garbled, forged or expired token with UNAUTHORIZED', async () => {
      const good = sessions.get('dr.wang')!;
      const expired = await new AccessTokens(
        TEST_JWT_SECRET,
        60,
        () => Math.floor(Date.now() / 1000) - 3600,
      ).issue(good.user);
      const forged = good.accessToken.slice(0, -4) + (good.accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      for (const token of [undefined, 'garbage', forged, expired, { not: 'a string' }]) {
        expect(await connectError(platform.url, token)).toBe('UNAUTHORIZED');
      }
    });

    it('accepts a valid token', async () => {
      const c = await client('dr.wang');
      expect(c.socket.connected).toBe(true);
    });
  });

  describe('joining', () => {
    it('refuses an uninvited user with FORBIDDEN and an unknown room with NOT_FOUND', async () => {
      const chen = await client('dr.chen');
      expect(await chen.request('join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await chen.request('join', { roomId: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });

    it('refuses media requests before join', async () => {
      const liu = await client('dr.liu');
      expect(await liu.request('createTransport', { direction: 'send' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_JOINED' },
      });
    });
  });

  it('answers malformed, oversized and flooding messages with errors while the others’ chat goes on', async () => {
    const wang = await client('dr.wang');
    const zhao = await client('nurse.zhao');
    const liu = await client('dr.liu');
    const join = await wang.request('join', { roomId: room.id });
    expect(join.ok).toBe(true);
    expect((await zhao.request('join', { roomId: room.id })).ok).toBe(true);
    expect((await liu.request('join', { roomId: room.id })).ok).toBe(true);

    // dr.liu misbehaves in every way the gateway knows.
    expect(await liu.raw('not an envelope')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await liu.raw()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await liu.raw({ method: 'dropDatabase', data: {} })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    expect(await liu.request('produce', { transportId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await liu.request('chat', { text: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    // Other event names: ignored, or an error if the sender waits for an answer.
    liu.socket.emit('hello', { x: 1 });
    expect(await liu.socket.timeout(5000).emitWithAck('admin:reset', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    // Binary attachments travel as separate frames below the frame limit but count as their JSON size.
    expect(await liu.raw({ method: 'chat', data: { text: Buffer.alloc(30_000, 200) } })).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    });

    // A flood: the budget runs out and the rest is refused.
    const flood = await Promise.all(
      Array.from({ length: 120 }, () => liu.request('restartIce', { transportId: 'none' })),
    );
    const limited = flood.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(limited).toBeGreaterThan(0);
    expect(flood.every((a) => !a.ok)).toBe(true);

    // Meanwhile the others talk as if nothing happened.
    const received = zhao.notifications.next(
      'chatMessage',
      (d) => d.message.text === 'BP 90/60, starting fluids',
    );
    expect(await wang.request('chat', { text: 'BP 90/60, starting fluids' })).toMatchObject({ ok: true });
    expect((await received).message.peerId).toBe(idOf('dr.wang'));
    // liu is still seated and also received it (a bad message changes nothing).
    await liu.notifications.next('chatMessage', (d) => d.message.text === 'BP 90/60, starting fluids');
    expect(platform.rooms.participants(room.id)).toBe(3);

    // A frame beyond Socket.IO's own limit closes only that socket; the call goes on.
    const disconnected = new Promise<string>((resolve) => liu.socket.once('disconnect', resolve));
    liu.socket.emit(
      'request',
      { method: 'chat', data: { text: 'x'.repeat(MAX_MESSAGE_BYTES * 2) } },
      () => undefined,
    );
    await disconnected;
    const reconnecting = await wang.notifications.next(
      'peerUpdated',
      (d) => d.peer.peerId === idOf('dr.liu'),
    );
    expect(reconnecting.peer.status).toBe('reconnecting');
    const again = zhao.notifications.next('chatMessage', (d) => d.message.text === 'Transfer arranged');
    expect(await wang.request('chat', { text: 'Transfer arranged' })).toMatchObject({ ok: true });
    await again;

    // Rejoining with a fresh connection restores the seat.
    const liuBack = await client('dr.liu');
    const rejoined = await liuBack.request('join', { roomId: room.id });
    expect(rejoined).toMatchObject({ ok: true, data: { self: { status: 'connected' } } });
    if (rejoined.ok) expect(rejoined.data.chat.map((m) => m.text)).toContain('Transfer arranged');
    await wang.notifications.next(
      'peerUpdated',
      (d) => d.peer.peerId === idOf('dr.liu') && d.peer.status === 'connected',
    );
  });

  it('tells each of several simultaneous joiners about every other one, never before its own join answer', async () => {
    const created = await api<ConsultRoom>(platform.url, 'POST', '/api/rooms', {
      token: sessions.get('dr.wang')!.accessToken,
      body: { title: 'Simultaneous', invitees: [idOf('nurse.zhao'), idOf('dr.liu')] },
    });
    const joiners = await Promise.all(['dr.wang', 'nurse.zhao', 'dr.liu'].map((u) => client(u)));
    const answers = await Promise.all(
      joiners.map(
        (c) =>
          new Promise<{ ack: Ack<Responses['join']>; before: number }>((resolve) => {
            // Counted inside the ack callback, in wire order: whatever arrived before the answer would
            // be applied to a roster the client does not have yet.
            c.socket.emit(
              'request',
              { method: 'join', data: { roomId: created.body.id } },
              (ack: Ack<Responses['join']>) =>
                resolve({ ack, before: c.notifications.of('peerJoined').length }),
            );
          }),
      ),
    );
    for (const [i, c] of joiners.entries()) {
      const { ack, before } = answers[i]!;
      expect(ack.ok).toBe(true);
      expect(before).toBe(0);
      if (!ack.ok) continue;
      const others = ['dr.wang', 'nurse.zhao', 'dr.liu']
        .map(idOf)
        .filter((id) => id !== ack.data.self.peerId);
      for (const id of others) {
        if (ack.data.peers.some((p) => p.peerId === id)) continue;
        await c.notifications.next('peerJoined', (d) => d.peer.peerId === id);
      }
    }
  });

  it('budgets a presenter’s view updates apart from other requests', async () => {
    const liu = await client('dr.liu');
    const flood = await Promise.all(Array.from({ length: 80 }, () => liu.request('leave', {})));
    expect(flood.some((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
    // The general budget is spent; view updates still reach the session (refused there: not joined).
    const view = await liu.raw({ method: 'viewing:state', data: {} });
    expect(view).toMatchObject({ ok: false });
    expect(view.ok ? '' : view.error.code).not.toBe('RATE_LIMITED');
  });

  it('hands the seat to a second connection of the same user', async () => {
    const second = await api<ConsultRoom>(platform.url, 'POST', '/api/rooms', {
      token: sessions.get('dr.wang')!.accessToken,
      body: { title: 'Takeover', invitees: [idOf('nurse.zhao')] },
    });
    const wang = await client('dr.wang');
    const tab1 = await client('nurse.zhao');
    const tab2 = await client('nurse.zhao');
    expect((await wang.request('join', { roomId: second.body.id })).ok).toBe(true);
    expect((await tab1.request('join', { roomId: second.body.id })).ok).toBe(true);
    expect((await tab2.request('join', { roomId: second.body.id })).ok).toBe(true);
    await tab1.notifications.next('kicked');
    await wang.notifications.next('peerUpdated', (d) => d.peer.peerId === idOf('nurse.zhao'));
    expect(wang.notifications.of('peerLeft')).toEqual([]);
    expect(await tab1.request('chat', { text: 'old tab' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(await tab2.request('chat', { text: 'new tab' })).toMatchObject({ ok: true });
  });
});
