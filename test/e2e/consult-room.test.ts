// A consult room end to end: the real server, the real mediasoup worker, three headless chromium
// "users" with fake cameras and microphones.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ConsultRoom, Session } from '@telemed/signaling/protocol';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { connectSocket, createRoom, login, rawRequest, request } from './support/api.js';
import { inboundStats, loginThroughUi, mediaFromAll, openRoom, waitForStats } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const USERS = ['dr.wang', 'nurse.zhao', 'amb.sun'] as const;

describe('consult room with three browsers', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let room: ConsultRoom;
  const sessions = new Map<string, Session>();
  const pages = new Map<string, Page>();
  const userIdOf = (username: string) => sessions.get(username)!.user.id;
  const othersOf = (username: string) => [...pages.keys()].filter((u) => u !== username).map(userIdOf);

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 2 });
    for (const u of [...USERS, 'dr.chen', 'dr.liu']) sessions.set(u, await login(platform.url, u));
    room = await createRoom(platform.url, sessions.get('dr.wang')!, 'Chest pain, 58 y', [
      userIdOf('nurse.zhao'),
      userIdOf('amb.sun'),
      userIdOf('dr.liu'),
    ]);
    browser = await launchBrowser();
    for (const u of USERS) {
      const { page } = await browser.newUserPage();
      await loginThroughUi(page, platform.url, u, platform.demoPassword);
      pages.set(u, page);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('every page decodes every remote camera and receives every remote microphone', async () => {
    await Promise.all(USERS.map((u) => openRoom(pages.get(u)!, platform.url, room.id)));
    for (const u of USERS) {
      const page = pages.get(u)!;
      for (const other of othersOf(u)) await page.getByTestId(`tile-${other}`).waitFor();
      const stats = await waitForStats(
        page,
        `media from ${othersOf(u).join(',')} on ${u}`,
        mediaFromAll(othersOf(u)),
      );
      expect(stats.filter((s) => s.kind === 'video' && s.framesDecoded > 0).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('chat reaches the others', async () => {
    const zhao = pages.get('nurse.zhao')!;
    await zhao.getByTestId('chat-input').fill('ECG sent, ST elevation in V2-V4');
    await zhao.getByTestId('chat-send').click();
    for (const u of ['dr.wang', 'amb.sun']) {
      await pages.get(u)!.getByTestId('chat-message').filter({ hasText: 'ST elevation in V2-V4' }).waitFor();
    }
  });

  it('malformed, oversized and flooding messages get error acks while the call goes on', async () => {
    const socket = connectSocket(platform.url, sessions.get('dr.liu')!.accessToken);
    await once(socket, 'connect');
    try {
      const before = await inboundStats(pages.get('dr.wang')!);

      expect(await rawRequest(socket, 'not an envelope')).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
      expect(await rawRequest(socket, { method: 'dropDatabase', data: {} })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_METHOD' },
      });
      expect(await request(socket, 'produce', { transportId: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
      expect(await request(socket, 'createTransport', { direction: 'send' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_JOINED' },
      });
      const big = 'x'.repeat(200 * 1024);
      const oversized = await rawRequest(socket, { method: 'chat', data: { text: big } }).catch(
        (e: Error) => e,
      );
      // Socket.IO itself may drop a frame above maxHttpBufferSize; then the socket is closed, never the call.
      if (oversized instanceof Error) expect(socket.connected).toBe(false);
      else expect(oversized).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });

      // The three browsers' call is untouched: frames keep being decoded.
      const wang = pages.get('dr.wang')!;
      await waitForStats(wang, 'frames still flowing', (now) =>
        othersOf('dr.wang').every((peerId) => {
          const was = before.find((s) => s.peerId === peerId && s.kind === 'video')?.framesDecoded ?? 0;
          return now.some((s) => s.peerId === peerId && s.kind === 'video' && s.framesDecoded > was + 10);
        }),
      );
    } finally {
      socket.close();
    }
  });

  it('a flood of requests is rate limited', async () => {
    const socket = connectSocket(platform.url, sessions.get('dr.liu')!.accessToken);
    await once(socket, 'connect');
    try {
      const acks = await Promise.all(Array.from({ length: 200 }, () => request(socket, 'leave', {})));
      expect(acks.some((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('a dropped connection comes back in its seat: nobody sees the peer leave, media flows again', async () => {
    const zhaoId = userIdOf('nurse.zhao');
    const wang = pages.get('dr.wang')!;
    // What dr.wang's page hears about nurse.zhao while her connection is down and back.
    await wang.evaluate((peerId) => {
      const seen: string[] = [];
      (window as unknown as { __zhaoStatus: string[] }).__zhaoStatus = seen;
      const poll = () => {
        const peer = (
          window as unknown as { __telemed: { peers(): Array<{ peerId: string; status: string }> } }
        ).__telemed
          .peers()
          .find((p) => p.peerId === peerId);
        const now = peer ? peer.status : 'gone';
        if (seen.at(-1) !== now) seen.push(now);
        setTimeout(poll, 10);
      };
      poll();
    }, zhaoId);
    const before = await inboundStats(wang);

    // Cut her Engine.IO connection under the socket (as a network drop does): the client reconnects by itself.
    const socket = [...platform.platform.io.of('/').sockets.values()].find((s) => s.data.user?.id === zhaoId);
    expect(socket).toBeDefined();
    socket!.conn.close();

    await waitForStats(wang, 'fresh frames from nurse.zhao after her reconnection', (now) => {
      const was = before.find((s) => s.peerId === zhaoId && s.kind === 'video')?.framesDecoded ?? 0;
      // A new consumer after the reconnection counts from zero; an old one keeps counting.
      return now.some(
        (s) => s.peerId === zhaoId && s.kind === 'video' && s.framesDecoded > 0 && s.framesDecoded !== was,
      );
    });
    await waitForStats(
      pages.get('nurse.zhao')!,
      'media back on nurse.zhao',
      mediaFromAll(othersOf('nurse.zhao'), 5),
    );
    const statuses = await wang.evaluate(
      () => (window as unknown as { __zhaoStatus: string[] }).__zhaoStatus,
    );
    expect(statuses).not.toContain('gone');
    expect(statuses.at(-1)).toBe('connected');
    expect(await wang.getByTestId(`tile-${zhaoId}`).count()).toBe(1);
  });

  it('media flows again on every page after the room’s mediasoup worker is killed', async () => {
    const loads = await platform.sfu.loads();
    const carrying = loads.find((l) => l.routers > 0);
    expect(carrying).toBeDefined();
    const died = once(platform.sfu, 'workerDied');
    process.kill(carrying!.pid, 'SIGKILL');
    await died;
    for (const u of USERS) {
      // New consumers after the reset start from zero: wait for fresh decoded frames from everyone.
      await waitForStats(
        pages.get(u)!,
        `media after worker death on ${u}`,
        mediaFromAll(othersOf(u), 5),
        30_000,
      );
    }
    expect(platform.sfu.workerPids()).not.toContain(carrying!.pid);
    expect(platform.sfu.ready).toBe(true);
  });

  it('a peer who leaves disappears from the others’ screens', async () => {
    const sun = pages.get('amb.sun')!;
    await sun.getByTestId('leave-button').click();
    pages.delete('amb.sun');
    const sunId = userIdOf('amb.sun');
    for (const u of ['dr.wang', 'nurse.zhao']) {
      await pages.get(u)!.getByTestId(`tile-${sunId}`).waitFor({ state: 'detached' });
    }
  });

  it('an uninvited user is refused, in the browser and on the socket', async () => {
    const { page } = await browser.newUserPage();
    await loginThroughUi(page, platform.url, 'dr.chen', platform.demoPassword);
    await page.goto(`${platform.url}/rooms/${room.id}`);
    await expect(page.getByTestId('room-error').textContent()).resolves.toMatch(
      /not invited|forbidden|not allowed/i,
    );

    const socket = connectSocket(platform.url, sessions.get('dr.chen')!.accessToken);
    await once(socket, 'connect');
    try {
      expect(await request(socket, 'join', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    } finally {
      socket.close();
    }
  });

  it('a wrong or forged token is refused at the handshake', async () => {
    for (const token of ['garbage', sessions.get('dr.wang')!.accessToken.slice(0, -4) + 'AAAA']) {
      const socket = connectSocket(platform.url, token);
      const [err] = (await once(socket, 'connect_error')) as [Error];
      expect(err.message).toMatch(/UNAUTHORIZED/);
      socket.close();
    }
  });
});
