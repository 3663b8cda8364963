// The arrival board's inline video: the `ambulance:camera` CLI (real ffmpeg child process, testsrc2)
// feeds run A; dr.wang opens the video on A's board card and decodes it — receive-only, through the
// run's consult room, where the crew (a socket of amb.sun seated in each room) sees dr.wang by name.
// Opening run B's video closes A's (dr.wang leaves A's room), B shows "no video yet"; the same user
// opening the full consult in another window turns the board's video into "opened elsewhere" with no
// retry loop; a dropped connection shows "reconnecting" and comes back; a card leaving the board
// (arrival) takes its video with it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import type { AmbulanceRun, Notifications, PeerInfo, Session } from '@telemed/signaling/protocol';
import { api, connectSocket, login, request } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { startCamera, type CameraProcess } from './support/camera-cli.js';
import { inboundStats, loginThroughUi, openRoom, waitForStats } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** amb.sun seated in a run's room over the raw protocol: who joins and leaves, as the crew sees it. */
class CrewObserver {
  readonly joined: PeerInfo[] = [];
  readonly left: string[] = [];
  private constructor(readonly socket: Socket) {}

  static async seat(url: string, crew: Session, roomId: string): Promise<CrewObserver> {
    const socket = connectSocket(url, crew.accessToken);
    const o = new CrewObserver(socket);
    socket.on('notification', ({ method, data }: { method: string; data: unknown }) => {
      if (method === 'peerJoined') o.joined.push((data as Notifications['peerJoined']).peer);
      if (method === 'peerLeft') o.left.push((data as Notifications['peerLeft']).peerId);
    });
    const ack = await request(socket, 'join', { roomId });
    if (!ack.ok) throw new Error(`crew join: ${JSON.stringify(ack.error)}`);
    return o;
  }

  joinsOf(peerId: string): number {
    return this.joined.filter((p) => p.peerId === peerId).length;
  }

  leavesOf(peerId: string): number {
    return this.left.filter((p) => p === peerId).length;
  }
}

const videoOf = (page: Page, runId: string) => page.getByTestId(`ambulance-video-${runId}`);
const videoState = (page: Page, runId: string, state: string) =>
  page
    .locator(`[data-testid="ambulance-video-${runId}"][data-state="${state}"]`)
    .waitFor({ timeout: 30_000 });

describe('arrival board: a run’s live video on its card', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let crew: Session;
  let doctor: Session;
  let runA: AmbulanceRun;
  let runB: AmbulanceRun;
  let camera: CameraProcess;
  let cameraPeer = '';
  let obsA: CrewObserver;
  let obsB: CrewObserver;
  /** dr.wang's peer id in the rooms (learnt from the crew's peerJoined). */
  let wangPeer = '';

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-b', 'signaling'], { cwd: ROOT, stdio: 'inherit' });
    platform = await startTestPlatform({ workers: 1 });
    crew = await login(platform.url, 'amb.sun');
    doctor = await login(platform.url, 'dr.wang');
    const newRun = (callsign: string) =>
      api<AmbulanceRun>(platform.url, crew, 'POST', '/api/ambulance/runs', {
        callsign,
        destinationId: doctor.user.institution.id,
        patient: { category: 'chest-pain', complaint: 'Chest pain', sex: 'M', ageYears: 58 },
      });
    runA = await newRun('120-21');
    runB = await newRun('120-22');
    camera = startCamera([
      ...['--url', platform.url, '--user', 'amb.sun', '--password', platform.demoPassword],
      ...['--run', runA.id, '--test', '--no-audio', '--size', '640x360', '--fps', '15', '--bitrate', '300k'],
    ]);
    cameraPeer = (JSON.parse(await camera.waitForLine(/"event":"started"/)) as { peerId: string }).peerId;
    obsA = await CrewObserver.seat(platform.url, crew, runA.roomId);
    obsB = await CrewObserver.seat(platform.url, crew, runB.roomId);
    browser = await launchBrowser();
    ({ page } = await browser.newUserPage());
    await loginThroughUi(page, platform.url, 'dr.wang', platform.demoPassword);
    await page.goto(`${platform.url}/ambulance/board`);
    await page.locator('[data-testid="ambulance-board"][data-status="live"]').waitFor();
    await page.getByTestId(`ambulance-card-${runA.id}`).waitFor();
    await page.getByTestId(`ambulance-card-${runB.id}`).waitFor();
  });

  afterAll(async () => {
    if (camera && camera.child.exitCode === null) camera.child.kill('SIGKILL');
    obsA?.socket.close();
    obsB?.socket.close();
    await browser?.close();
    await platform?.close();
  });

  it('shows the vehicle camera inline: frames decoded and advancing, video only, the crew sees who watches', async () => {
    const t0 = Date.now();
    await page.getByTestId(`ambulance-video-toggle-${runA.id}`).click();
    await videoState(page, runA.id, 'playing');
    const tile = page.getByTestId(`ambulance-video-tile-${runA.id}-${cameraPeer}`);
    expect(await tile.textContent()).toContain('Camera 120-21');
    const first = await waitForStats(page, 'board camera frames', (s) =>
      s.some((x) => x.peerId === cameraPeer && x.kind === 'video' && x.framesDecoded > 0),
    );
    console.log(`board video: first decoded frame ${Date.now() - t0} ms after the click`);
    const f0 = first.find((x) => x.peerId === cameraPeer && x.kind === 'video')!.framesDecoded;
    const later = await waitForStats(page, 'board camera frames advancing', (s) =>
      s.some((x) => x.peerId === cameraPeer && x.kind === 'video' && x.framesDecoded >= f0 + 15),
    );
    // Receive-only and video only: nothing else is consumed (not the crew's seat, no audio).
    expect(later.map((x) => `${x.peerId}/${x.kind}`)).toEqual([`${cameraPeer}/video`]);
    const playing = await tile.locator('video').evaluate(
      (v: HTMLVideoElement) =>
        new Promise<boolean>((resolve) => {
          const t = v.currentTime;
          const check = () => (v.currentTime > t ? resolve(true) : requestAnimationFrame(check));
          check();
        }),
    );
    expect(playing).toBe(true);

    // The crew sees the hospital user by name, and the board produces nothing in the room.
    await expect.poll(() => obsA.joined.find((p) => p.displayName === doctor.user.displayName)).toBeTruthy();
    const wang = obsA.joined.find((p) => p.displayName === doctor.user.displayName)!;
    wangPeer = wang.peerId;
    expect(wang.role).toBe(doctor.user.role);
    const seat = platform.platform.rooms.get(runA.roomId)?.peer(wangPeer);
    expect(seat).toBeDefined();
  });

  it('a dropped connection shows "reconnecting", then the video comes back by itself', async () => {
    // The network drops: the server loses dr.wang's socket and refuses handshakes until it is back.
    const engine = platform.platform.io.engine;
    let up = false;
    engine.opts.allowRequest = (_req, callback) => callback(up ? null : 'offline', up);
    const sockets = await platform.platform.io.fetchSockets();
    for (const s of sockets) if (s.data.user?.username === 'dr.wang') s.disconnect(true);
    await videoState(page, runA.id, 'reconnecting');
    expect(await page.getByTestId(`ambulance-video-status-${runA.id}`).textContent()).toMatch(
      /正在重连|reconnecting/,
    );
    up = true;
    delete engine.opts.allowRequest;
    await videoState(page, runA.id, 'playing');
    await waitForStats(page, 'board camera frames after the blip', (s) =>
      s.some((x) => x.peerId === cameraPeer && x.kind === 'video' && x.framesDecoded > 5),
    );
    // The seat was kept through the grace period: the crew saw no leave and no second join.
    expect(obsA.leavesOf(wangPeer)).toBe(0);
    expect(obsA.joinsOf(wangPeer)).toBe(1);
  });

  it('opening another run’s video closes the first; a run without video says so', async () => {
    await page.getByTestId(`ambulance-video-toggle-${runB.id}`).click();
    await videoOf(page, runA.id).waitFor({ state: 'detached' });
    await expect.poll(() => obsA.leavesOf(wangPeer)).toBe(1);
    await videoState(page, runB.id, 'waiting');
    expect(await page.getByTestId(`ambulance-video-status-${runB.id}`).textContent()).toMatch(
      /尚未发送视频|No video/,
    );
    await expect.poll(() => obsB.joinsOf(wangPeer)).toBe(1);
    expect(await page.getByTestId(`ambulance-video-toggle-${runA.id}`).getAttribute('aria-pressed')).toBe(
      'false',
    );

    // Toggling it again closes it: dr.wang leaves B's room too.
    await page.getByTestId(`ambulance-video-toggle-${runB.id}`).click();
    await videoOf(page, runB.id).waitFor({ state: 'detached' });
    await expect.poll(() => obsB.leavesOf(wangPeer)).toBe(1);
    expect(await inboundStats(page)).toEqual([]);
  });

  it('the full consult opened in another window: "video opened elsewhere", no retry loop, watch here again', async () => {
    await page.getByTestId(`ambulance-video-toggle-${runA.id}`).click();
    await videoState(page, runA.id, 'playing');
    const joinsBefore = obsA.joinsOf(wangPeer);

    const { page: other } = await browser.newUserPage();
    await loginThroughUi(other, platform.url, 'dr.wang', platform.demoPassword);
    await api(platform.url, doctor, 'POST', `/api/ambulance/runs/${runA.id}/consult`);
    await openRoom(other, platform.url, runA.roomId);
    await videoState(page, runA.id, 'elsewhere');
    // The other window keeps its seat and decodes the camera: the board did not take it back.
    await waitForStats(other, 'the full consult decodes the camera', (s) =>
      s.some((x) => x.peerId === cameraPeer && x.kind === 'video' && x.framesDecoded > 15),
    );
    expect(await other.locator('[data-testid="room"]').getAttribute('data-state')).toBe('joined');
    expect(await videoOf(page, runA.id).getAttribute('data-state')).toBe('elsewhere');
    // A takeover is a reseat, not a new participant: nobody joined again behind the user's back.
    expect(obsA.joinsOf(wangPeer)).toBe(joinsBefore);

    // Leaving there does not bring the board back by itself; "watch here" does.
    await other.getByTestId('leave-button').click();
    await other.getByTestId('lobby').waitFor();
    await other.close();
    await expect.poll(() => obsA.leavesOf(wangPeer)).toBe(2);
    expect(await videoOf(page, runA.id).getAttribute('data-state')).toBe('elsewhere');
    await page.getByTestId(`ambulance-video-again-${runA.id}`).click();
    await videoState(page, runA.id, 'playing');
    await waitForStats(page, 'board camera frames after watching here', (s) =>
      s.some((x) => x.peerId === cameraPeer && x.kind === 'video' && x.framesDecoded > 5),
    );
  });

  it('a card leaving the board (arrival) closes its video', async () => {
    await page.getByTestId(`ambulance-video-toggle-${runB.id}`).click();
    await videoState(page, runB.id, 'waiting');
    await expect.poll(() => obsB.joinsOf(wangPeer)).toBe(2);
    await api(platform.url, crew, 'POST', `/api/ambulance/runs/${runB.id}/arrive`);
    await page.getByTestId(`ambulance-card-${runB.id}`).waitFor({ state: 'detached' });
    await expect.poll(() => obsB.leavesOf(wangPeer)).toBe(2);
    expect(platform.platform.rooms.get(runB.roomId)?.peer(wangPeer)).toBeUndefined();
    expect(await inboundStats(page)).toEqual([]);
  });
});
