// Shared viewing in a consult room, end to end: the real server (mediasoup, PACS bridge with its
// embedded store), a CT series STOWed by the clinic and attached to the room, and three chromium
// "users". The presenter scrolls, windows and measures; the followers' viewers show the same within
// 500 ms; a late joiner catches up; presenting changes hands; a follower detaches and re-syncs; the
// annotations are saved with the study and audited.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ConsultRoom, Session, StudyAnnotations } from '@telemed/signaling/protocol';
import { validatePart10 } from '@telemed/pacs-bridge';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { connectSocket, createRoom, login, request } from './support/api.js';
import { loginThroughUi, openRoom } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// What the page exposes (viewer/src/sharedViewing/debugHook.ts), as far as this test reads it.
declare global {
  interface Window {
    __telemedViewing?: {
      mode(): string | null;
      state(): ({ imageIndex: number } & Record<string, unknown>) | null;
      annotations(): Array<{ id: string; kind: string }>;
      latencies(): number[];
      clearLatencies(): void;
    };
  }
}

const SERIES = ['01.dcm', '02.dcm', '03.dcm'].map(
  (f) => `test/fixtures/dicom/ct-series/dcmqi-ct-3slice/${f}`,
);
const record = (path: string) => {
  const v = validatePart10(readFileSync(path));
  if (!v.ok) throw new Error(`fixture ${path}: ${v.reason}`);
  return v.record;
};
const STUDY = record(SERIES[0]!).studyInstanceUid;
const FOLLOW_MS = 500;

interface ViewportAttrs {
  state: string;
  index: string;
  center: string;
  width: string;
}

const viewport = (page: Page) => page.locator('[data-testid="study-panel"] [data-testid="image-viewport"]');

async function attrs(page: Page): Promise<ViewportAttrs> {
  const v = viewport(page);
  const [state, index, center, width] = await Promise.all(
    ['data-state', 'data-image-index', 'data-window-center', 'data-window-width'].map(
      async (a) => (await v.getAttribute(a)) ?? '',
    ),
  );
  return { state: state!, index: index!, center: center!, width: width! };
}

/** Waits (on animation frames, no sleeps) until the follower's viewport shows exactly `want`; returns the ms it took. */
async function followerMatches(page: Page, want: ViewportAttrs, timeout = 5_000): Promise<number> {
  const started = Date.now();
  await page.waitForFunction(
    (w) => {
      const el = document.querySelector('[data-testid="study-panel"] [data-testid="image-viewport"]');
      return (
        !!el &&
        el.getAttribute('data-state') === 'ready' &&
        el.getAttribute('data-image-index') === w.index &&
        el.getAttribute('data-window-center') === w.center &&
        el.getAttribute('data-window-width') === w.width
      );
    },
    want,
    { polling: 'raf', timeout },
  );
  return Date.now() - started;
}

/** The presenter's viewport after an action: waits until it differs from `before`. */
async function changedFrom(page: Page, before: ViewportAttrs): Promise<ViewportAttrs> {
  await page.waitForFunction(
    (b) => {
      const el = document.querySelector('[data-testid="study-panel"] [data-testid="image-viewport"]');
      return (
        !!el &&
        (el.getAttribute('data-image-index') !== b.index ||
          el.getAttribute('data-window-center') !== b.center ||
          el.getAttribute('data-window-width') !== b.width)
      );
    },
    before,
    { polling: 'raf', timeout: 10_000 },
  );
  return attrs(page);
}

const mode = (page: Page, m: string) =>
  page.locator(`[data-testid="viewing-status"][data-mode="${m}"]`).waitFor({ timeout: 15_000 });
const viewingAnnotations = (page: Page) =>
  page.evaluate(() => window.__telemedViewing?.annotations().map((a) => ({ id: a.id, kind: a.kind })) ?? []);

describe('shared viewing in a consult room', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let room: ConsultRoom;
  const sessions = new Map<string, Session>();
  const pages = new Map<string, Page>();
  const page = (u: string) => pages.get(u)!;
  const id = (u: string) => sessions.get(u)!.user.id;

  async function stow(session: Session, path: string): Promise<number> {
    const boundary = 'telemed-e2e-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      readFileSync(path),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${platform.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body,
    });
    return res.status;
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    for (const u of ['nurse.zhao', 'dr.wang', 'amb.sun', 'admin'])
      sessions.set(u, await login(platform.url, u));
    const zhao = sessions.get('nurse.zhao')!;
    for (const p of SERIES) expect(await stow(zhao, p)).toBe(200);
    room = await createRoom(platform.url, zhao, 'Abdominal pain after a fall, CT', [
      id('dr.wang'),
      id('amb.sun'),
    ]);
    const attach = await fetch(`${platform.url}/api/rooms/${room.id}/studies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${zhao.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ studyInstanceUid: STUDY }),
    });
    expect(attach.status).toBe(201);
    browser = await launchBrowser();
    for (const u of ['dr.wang', 'nurse.zhao', 'amb.sun']) {
      const { page: p } = await browser.newUserPage();
      await loginThroughUi(p, platform.url, u, platform.demoPassword);
      pages.set(u, p);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('the presenter opens the attached study; the follower’s panel opens it too', async () => {
    await Promise.all(['dr.wang', 'nurse.zhao'].map((u) => openRoom(page(u), platform.url, room.id)));
    const wang = page('dr.wang');
    await wang.getByTestId(`attached-study-${STUDY}`).waitFor();
    await wang.locator(`[data-testid="room-open-study-${STUDY}"]:not([disabled])`).click();
    await viewport(wang).and(wang.locator('[data-state="ready"]')).waitFor({ timeout: 60_000 });
    await wang.getByTestId('viewing-present').click();
    await mode(wang, 'presenting');
    const zhao = page('nurse.zhao');
    await mode(zhao, 'following');
    await zhao.locator(`[data-testid="study-panel-viewer"][data-study-uid="${STUDY}"]`).waitFor();
    await followerMatches(zhao, await attrs(wang), 60_000);
    // Both viewers are driven through their controllers (not just showing the same first image).
    for (const p of [wang, zhao]) await p.waitForFunction(() => window.__telemedViewing?.state() != null);
  });

  it('scrolling and W/L on the presenter show on the follower within 500 ms', async () => {
    const wang = page('dr.wang');
    const zhao = page('nurse.zhao');
    const timings: number[] = [];
    // Scroll with the wheel over the image (the stack-scroll binding), then with the slider.
    let before = await attrs(wang);
    await viewport(wang).hover();
    await wang.mouse.wheel(0, 120);
    let now = await changedFrom(wang, before);
    expect(now.index).not.toBe(before.index);
    timings.push(await followerMatches(zhao, now));

    before = now;
    await wang.getByTestId('stack-slider').fill('2');
    now = await changedFrom(wang, before);
    expect(now.index).toBe('2');
    timings.push(await followerMatches(zhao, now));

    // A W/L preset, then a W/L drag (the default left-button tool).
    before = now;
    await wang.getByTestId('preset-lung').click();
    now = await changedFrom(wang, before);
    expect(now).toMatchObject({ center: '-600.0', width: '1500.0' });
    timings.push(await followerMatches(zhao, now));

    before = now;
    const box = (await viewport(wang).boundingBox())!;
    await wang.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await wang.mouse.down();
    await wang.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 8 });
    await wang.mouse.up();
    now = await changedFrom(wang, before);
    timings.push(await followerMatches(zhao, now));

    console.log(`follower caught up in ${timings.join(', ')} ms`);
    for (const ms of timings) expect(ms).toBeLessThan(FOLLOW_MS);
    // The follower cannot steer while following.
    expect(await viewport(zhao).evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
  });

  it('a follower’s own viewing request is refused with NOT_PRESENTER', async () => {
    const socket = connectSocket(platform.url, sessions.get('admin')!.accessToken);
    await once(socket, 'connect');
    try {
      // An admin may join any room; as a non-presenter it may not steer.
      expect((await request(socket, 'join', { roomId: room.id })).ok).toBe(true);
      const state = await page('dr.wang').evaluate(() => window.__telemedViewing!.state());
      expect(await request(socket, 'viewing:state', { state: state! })).toMatchObject({
        ok: false,
        error: { code: 'NOT_PRESENTER' },
      });
      expect(await request(socket, 'viewing:state', { state: { ...state!, imageIndex: -5 } })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
      await request(socket, 'leave', {});
    } finally {
      socket.close();
    }
  });

  it('an annotation drawn by the presenter appears on both and is saved with the study', async () => {
    const wang = page('dr.wang');
    const zhao = page('nurse.zhao');
    await wang.getByTestId('tool-length').click();
    const box = (await viewport(wang).boundingBox())!;
    await wang.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.4);
    await wang.mouse.down();
    await wang.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.55, { steps: 10 });
    await wang.mouse.up();
    await wang.locator('[data-testid="viewing-annotations"][data-count="1"]').waitFor();
    const drawn = await viewingAnnotations(wang);
    expect(drawn).toMatchObject([{ kind: 'length' }]);
    await zhao.locator('[data-testid="viewing-annotations"][data-count="1"]').waitFor();
    await zhao.waitForFunction(
      (id) => window.__telemedViewing?.annotations().some((a) => a.id === id),
      drawn[0]!.id,
    );

    await wang
      .locator('[data-testid="viewing-save-status"][data-state="saved"]')
      .waitFor({ timeout: 10_000 });
    const res = await fetch(`${platform.url}/api/annotations/studies/${STUDY}`, {
      headers: { authorization: `Bearer ${sessions.get('nurse.zhao')!.accessToken}` },
    });
    const saved = (await res.json()) as StudyAnnotations;
    expect(saved.annotations.map((a) => a.id)).toContain(drawn[0]!.id);
    expect(saved).toMatchObject({ savedBy: id('dr.wang'), roomId: room.id });
    const audit = await fetch(`${platform.url}/api/audit?study=${STUDY}`, {
      headers: { authorization: `Bearer ${sessions.get('admin')!.accessToken}` },
    });
    const entries = (await audit.json()) as Array<{ action: string; detail?: string; userId: string }>;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'store',
          userId: id('dr.wang'),
          detail: expect.stringMatching(/^annotations v\d+ \(1\)$/),
        }),
      ]),
    );
    await wang.getByTestId('tool-windowLevel').click();
  });

  it('saves a screenshot of the consult room, two participants and the study (SAVE_SCREENSHOTS=1)', async () => {
    const shot = await page('dr.wang').screenshot();
    expect(shot.byteLength).toBeGreaterThan(10_000);
    if (process.env.SAVE_SCREENSHOTS === '1') {
      const { writeFileSync } = await import('node:fs');
      writeFileSync('docs/screenshots/consult-room.png', shot);
    }
  });

  it('a late joiner gets the current view and annotations', async () => {
    const sun = page('amb.sun');
    await openRoom(sun, platform.url, room.id);
    await mode(sun, 'following');
    await followerMatches(sun, await attrs(page('dr.wang')), 60_000);
    await sun.locator('[data-testid="viewing-annotations"][data-count="1"]').waitFor();
    await sun.waitForFunction(() => (window.__telemedViewing?.annotations().length ?? 0) === 1);
  });

  it('presenting is handed over; the new presenter steers everyone', async () => {
    const wang = page('dr.wang');
    const zhao = page('nurse.zhao');
    const sun = page('amb.sun');
    await wang.getByTestId('viewing-handover').selectOption(id('nurse.zhao'));
    await mode(zhao, 'presenting');
    await mode(wang, 'following');
    await sun.locator(`[data-testid="viewing-status"][data-presenter="${id('nurse.zhao')}"]`).waitFor();
    const before = await attrs(zhao);
    await zhao.getByTestId('preset-bone').click();
    const now = await changedFrom(zhao, before);
    expect(now).toMatchObject({ center: '300.0', width: '2000.0' });
    expect(await followerMatches(wang, now)).toBeLessThan(FOLLOW_MS);
    expect(await followerMatches(sun, now)).toBeLessThan(FOLLOW_MS);
  });

  it('a follower detaches (its own view) and re-syncs to the presenter', async () => {
    const zhao = page('nurse.zhao');
    const sun = page('amb.sun');
    await sun.getByTestId('viewing-detach').click();
    await mode(sun, 'detached');
    const detachedAt = await attrs(sun);
    // The presenter moves on; the detached follower stays where it was and can steer itself.
    const before = await attrs(zhao);
    await zhao.getByTestId('stack-slider').fill(before.index === '0' ? '1' : '0');
    const now = await changedFrom(zhao, before);
    await followerMatches(page('dr.wang'), now);
    expect(await attrs(sun)).toEqual(detachedAt);
    await sun.getByTestId('preset-brain').click();
    await changedFrom(sun, detachedAt);

    await sun.getByTestId('viewing-resync').click();
    await mode(sun, 'following');
    expect(await followerMatches(sun, now)).toBeLessThan(2_000);
  });

  it('the presenter leaving frees the floor and keeps the view', async () => {
    const zhao = page('nurse.zhao');
    const wang = page('dr.wang');
    const kept = await attrs(zhao);
    await zhao.getByTestId('leave-button').click();
    await page('amb.sun')
      .locator('[data-testid="viewing-status"][data-mode="idle"]')
      .waitFor({ timeout: 15_000 });
    await mode(wang, 'idle');
    await wang.getByTestId('viewing-present').click();
    await mode(wang, 'presenting');
    expect((await attrs(wang)).index).toBe(kept.index);
  });
});
