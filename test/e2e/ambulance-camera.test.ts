// A vehicle camera end to end: a run created over REST, the `ambulance:camera` CLI as a real child
// process sending ffmpeg's testsrc2/sine as plain RTP, a hospital doctor in headless chromium who
// opens the run's consult and decodes the camera. The camera survives the doctor leaving (it keeps
// the room), the death of the mediasoup worker carrying the room (ffmpeg stopped, then new
// endpoints), its ffmpeg crashing (restarted from the same source ports: no renewal), a source
// port taken meanwhile (other ports, new endpoints), a frozen ffmpeg (stall watchdog), and
// stopping the CLI removes its tile.
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AmbulanceRun, CameraStatus, Session } from '@telemed/signaling/protocol';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { api, login } from './support/api.js';
import { startCamera, type CameraProcess } from './support/camera-cli.js';
import { inboundStats, loginThroughUi, openRoom, waitForStats } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cameraVideo = (peerId: string, page: Page) =>
  inboundStats(page).then((s) => s.find((x) => x.peerId === peerId && x.kind === 'video'));

describe('ambulance camera via ffmpeg RTP', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let crew: Session;
  let doctor: Session;
  let run: AmbulanceRun;
  let camera: CameraProcess | null = null;
  let peerId = '';
  /** A port the test holds, and an ffmpeg it froze: released whatever happens. */
  let intruder: Socket | null = null;
  let frozen: number | null = null;

  beforeAll(async () => {
    // The CLI runs as it would for an operator: built JavaScript, a process of its own.
    execFileSync('npx', ['tsc', '-b', 'signaling'], { cwd: ROOT, stdio: 'inherit' });
    platform = await startTestPlatform({ workers: 2 });
    crew = await login(platform.url, 'amb.sun');
    doctor = await login(platform.url, 'dr.wang');
    run = await api<AmbulanceRun>(platform.url, crew, 'POST', '/api/ambulance/runs', {
      callsign: '120-07',
      destinationId: doctor.user.institution.id,
      patient: { category: 'stroke', complaint: 'Left-sided weakness', sex: 'F', ageYears: 71 },
    });
    browser = await launchBrowser();
    ({ page } = await browser.newUserPage());
    await loginThroughUi(page, platform.url, 'dr.wang', platform.demoPassword);
  });

  afterAll(async () => {
    intruder?.close();
    if (frozen) process.kill(frozen, 'SIGKILL');
    if (camera && camera.child.exitCode === null) camera.child.kill('SIGKILL');
    await browser?.close();
    await platform?.close();
  });

  it('refuses clearly: unknown run, a user who is not the crew', async () => {
    const unknown = startCamera([
      ...['--url', platform.url, '--user', 'amb.sun', '--password', platform.demoPassword],
      ...['--run', 'no-such-run', '--test'],
    ]);
    const [code] = (await once(unknown.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(unknown.log.join('\n')).toMatch(
      /using ffmpeg .* \(from (PATH|FFMPEG_PATH|the ffmpeg-static package)\)/,
    );
    expect(unknown.log.join('\n')).toMatch(/run not found/);

    const intruder = startCamera([
      ...['--url', platform.url, '--user', 'nurse.zhao', '--password', platform.demoPassword],
      ...['--run', run.id, '--test'],
    ]);
    const [code2] = (await once(intruder.child, 'exit')) as [number];
    expect(code2).toBe(1);
    expect(intruder.log.join('\n')).toMatch(/forbidden|not found/i);
  });

  it('the camera reaches the hospital page: tile shown, frames decoded and advancing, audio received', async () => {
    camera = startCamera([
      ...['--url', platform.url, '--user', 'amb.sun', '--password', platform.demoPassword],
      ...['--run', run.id, '--test', '--size', '640x360', '--fps', '15', '--bitrate', '400k'],
      ...['--poll-ms', '500'],
    ]);
    const started = JSON.parse(await camera.waitForLine(/"event":"started"/)) as {
      peerId: string;
      roomId: string;
    };
    peerId = started.peerId;
    expect(started.roomId).toBe(run.roomId);

    const { roomId } = await api<{ roomId: string }>(
      platform.url,
      doctor,
      'POST',
      `/api/ambulance/runs/${run.id}/consult`,
    );
    expect(roomId).toBe(run.roomId);
    const t0 = Date.now();
    await openRoom(page, platform.url, roomId);
    await page.getByTestId(`tile-${peerId}`).waitFor();
    await expect(page.getByTestId(`tile-${peerId}`)).toBeTruthy();
    expect(await page.getByTestId(`tile-${peerId}`).textContent()).toContain('Camera 120-07');
    const first = await waitForStats(page, 'camera frames', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > 0),
    );
    console.log(`camera: first decoded frame ${Date.now() - t0} ms after opening the room`);
    const f0 = first.find((x) => x.peerId === peerId && x.kind === 'video')!.framesDecoded;
    await waitForStats(page, 'camera frames advancing', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded >= f0 + 15),
    );
    await waitForStats(page, 'camera audio', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'audio' && x.totalSamplesReceived > 0),
    );
    // The <video> element itself plays (the picture is not stuck on one frame).
    const playing = await page
      .getByTestId(`tile-${peerId}`)
      .locator('video')
      .evaluate(
        (v: HTMLVideoElement) =>
          new Promise<boolean>((resolve) => {
            const t = v.currentTime;
            const check = () => (v.currentTime > t ? resolve(true) : requestAnimationFrame(check));
            check();
          }),
      );
    expect(playing).toBe(true);
  });

  it('keeps the room while nobody else is in it', async () => {
    await page.goto(platform.url);
    await page.getByTestId('lobby').waitFor();
    await expect.poll(() => platform.platform.rooms.get(run.roomId)?.size).toBe(1);
    await openRoom(page, platform.url, run.roomId);
    await waitForStats(page, 'camera frames after re-entering', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > 10),
    );
  });

  it('survives the death of the mediasoup worker carrying the room', async () => {
    const media = platform.platform.rooms.get(run.roomId)!.media as unknown as {
      worker: { worker: { pid: number } };
    };
    const doomed = media.worker.worker.pid;
    const generation = camera!.generation();
    const mark = camera!.log.length;
    const before = (await cameraVideo(peerId, page))!.framesDecoded;
    const t0 = Date.now();
    process.kill(doomed, 'SIGKILL');
    // The page's consumer of the old router goes (mediaReset) before a new one decodes.
    await waitForStats(page, 'the old camera consumer gone', (s) => {
      const v = s.find((x) => x.peerId === peerId && x.kind === 'video');
      return !v || v.framesDecoded < before;
    });
    // The CLI stops its ffmpeg before new endpoints exist, so no new transport can learn the old
    // ffmpeg's address (the new worker often gets the very same ports).
    await camera!.waitForLine(/moved the room; stopping ffmpeg for new endpoints/, 30_000, mark);
    await camera!.waitForLine(new RegExp(`\\(generation ${generation + 1}\\)`), 30_000, mark);
    await waitForStats(
      page,
      'camera frames after the worker died',
      (s) => s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > 10),
      60_000,
    );
    console.log(`camera: frames decoding again ${Date.now() - t0} ms after the worker was killed`);
    // Often the same ports as before: the replacement worker takes the dead one's.
    console.log(camera!.log.filter((l) => /\(generation \d+\)/.test(l)).join('\n'));
    expect(media.worker.worker.pid).not.toBe(doomed);
  });

  it('an ffmpeg that dies on its own comes back from the same source ports: no renewal, frames again', async () => {
    // The CLI gives every ffmpeg it starts the same source ports, so the transport, locked onto
    // the dead process's address, takes the restarted one's packets: same endpoints, same consumer;
    // and a first sequence number past the dead one's (else the browser drops the stream as
    // replayed packets until the numbers catch up: 9–25 s measured without it).
    const generation = camera!.generation();
    const ports = camera!.videoSourcePorts();
    const mark = camera!.log.length;
    const before = (await cameraVideo(peerId, page))!.framesDecoded;
    const ffmpeg = camera!.ffmpegPid();
    expect(ffmpeg).not.toBeNull();
    const t0 = Date.now();
    process.kill(ffmpeg!, 'SIGKILL');
    await camera!.waitForLine(/ffmpeg exited \(SIGKILL\); restarting/, 30_000, mark);
    await camera!.waitForLine(/ffmpeg started \(pid \d+\)/, 30_000, mark);
    const restartedAt = Date.now() - t0;
    // The dead process's last frames have long been decoded (the restart waits ≥ 1 s).
    const atRestart = (await cameraVideo(peerId, page))!.framesDecoded;
    await waitForStats(page, 'a frame from the restarted ffmpeg', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > atRestart),
    );
    const firstFrame = Date.now() - t0;
    await waitForStats(page, 'frames advancing from the restarted ffmpeg', (s) =>
      s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded >= atRestart + 15),
    );
    console.log(
      `camera: ffmpeg SIGKILL → restarted ${restartedAt} ms, first new frame decoded ${firstFrame} ms ` +
        `(same endpoints, generation ${generation})`,
    );
    // The same consumer kept counting (never replaced), the endpoints never renewed.
    expect((await cameraVideo(peerId, page))!.framesDecoded).toBeGreaterThan(before);
    expect(camera!.generation()).toBe(generation);
    expect(camera!.videoSourcePorts()).toEqual(ports);
    expect(camera!.log.slice(mark).join('\n')).not.toMatch(/stalled|new endpoints|generation/);
    const status = await api<CameraStatus>(
      platform.url,
      crew,
      'GET',
      `/api/ambulance/runs/${run.id}/camera/${peerId}`,
    );
    expect(status.generation).toBe(generation);
    expect(status.state).toBe('receiving');
  });

  it('a source port taken while ffmpeg was down: other ports and fresh endpoints', async () => {
    const generation = camera!.generation();
    const ports = camera!.videoSourcePorts()!;
    const mark = camera!.log.length;
    const t0 = Date.now();
    process.kill(camera!.ffmpegPid()!, 'SIGKILL');
    // Logged after the process was reaped (its sockets closed); the restart waits ≥ 1 s more.
    await camera!.waitForLine(/ffmpeg exited \(SIGKILL\); restarting/, 30_000, mark);
    intruder = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      intruder!.once('error', reject);
      intruder!.bind(ports.rtp, '0.0.0.0', () => resolve());
    });
    await camera!.waitForLine(/cannot bind its source ports/, 30_000, mark);
    await camera!.waitForLine(new RegExp(`\\(generation ${generation + 1}\\)`), 30_000, mark);
    expect(camera!.videoSourcePorts()!.rtp).not.toBe(ports.rtp);
    await waitForStats(
      page,
      'camera frames from the new source ports',
      (s) => s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > 10),
      30_000,
    );
    console.log(`camera: source port taken → frames from new ports ${Date.now() - t0} ms after the kill`);
    await new Promise<void>((resolve) => intruder!.close(() => resolve()));
    intruder = null;
  });

  it('recovers when no video reaches the server (stall watchdog): ffmpeg frozen → halted → renewed', async () => {
    // A frozen ffmpeg (SIGSTOP) sends nothing, as a modem behind a rebound NAT gets nothing
    // through: after 6 s the server answers "stalled" and the CLI halts ffmpeg (a stopped process
    // is continued so SIGTERM ends it now) and renews its endpoints.
    const generation = camera!.generation();
    const before = (await cameraVideo(peerId, page))!.framesDecoded;
    const mark = camera!.log.length;
    frozen = camera!.ffmpegPid();
    expect(frozen).not.toBeNull();
    process.kill(frozen!, 'SIGSTOP');
    const t0 = Date.now();
    await camera!.waitForLine(/no video reaches the server \(stalled\); stopping ffmpeg/, 30_000, mark);
    const stalledAt = Date.now();
    await camera!.waitForLine(new RegExp(`\\(generation ${generation + 1}\\)`), 30_000, mark);
    const renewedAt = Date.now();
    // Halted by SIGTERM + SIGCONT, not by the SIGKILL 3 s later.
    expect(renewedAt - stalledAt).toBeLessThan(3_000);
    expect(() => process.kill(frozen!, 0)).toThrow();
    frozen = null;
    await waitForStats(page, 'the stalled camera consumer replaced', (s) => {
      const v = s.find((x) => x.peerId === peerId && x.kind === 'video');
      return !v || v.framesDecoded < before;
    });
    await waitForStats(
      page,
      'camera frames after the stall',
      (s) => s.some((x) => x.peerId === peerId && x.kind === 'video' && x.framesDecoded > 10),
      30_000,
    );
    console.log(
      `camera: frozen ffmpeg → stalled ${stalledAt - t0} ms, renewed ${renewedAt - t0} ms, ` +
        `frames again ${Date.now() - t0} ms`,
    );
  });

  it('stopping the CLI removes the camera from the room', async () => {
    camera!.child.kill('SIGTERM');
    const [code] = (await once(camera!.child, 'exit')) as [number];
    expect(code).toBe(0);
    await page.getByTestId(`tile-${peerId}`).waitFor({ state: 'detached' });
    expect((await cameraVideo(peerId, page)) ?? null).toBeNull();
    await expect.poll(() => platform.platform.rooms.get(run.roomId)?.peer(peerId)).toBeUndefined();
  });
});
