// Shared viewing: presenter action → follower update, over loopback in headless chromium.
// A clinic STOWs a 3-slice CT and attaches it to a consult room; the specialist presents it, the
// clinic follows. Each state change is stamped in the presenter's page when its viewer reports it
// (wall clock, sub-ms) and measured in the follower's page when applyState has finished (same
// clock: both pages run on this machine). Two phases:
//   discrete — N separate actions (slice changes on the slider alternating with W/L presets), each
//              waited for on the follower before the next;
//   drag     — one continuous W/L drag (mouse moves on every frame), paced to ≤30 states/s.
// Run after `npm run build`:  node test/bench/shared-viewing-latency.mjs [--changes 200]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCH_PASSWORD, launchChromium, startBenchPlatform } from './lib/browser-bench.mjs';
import { validatePart10 } from '@telemed/pacs-bridge';

const { values } = parseArgs({ options: { changes: { type: 'string', default: '200' } } });
const CHANGES = Number(values.changes);
const password = BENCH_PASSWORD;
const SERIES = ['01.dcm', '02.dcm', '03.dcm'].map(
  (f) => new URL(`../fixtures/dicom/ct-series/dcmqi-ct-3slice/${f}`, import.meta.url),
);
const PRESETS = [
  'brain',
  'lung',
  'bone',
  'abdomen',
  'liver',
  'mediastinum',
  'softTissue',
  'subdural',
  'stroke',
];

const bench = await startBenchPlatform({ name: 'viewing' });
const platform = bench.platform;
const base = platform.url;
let browser;

async function call(method, path, token, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json().catch(() => null);
}

const login = async (username) => {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return res.json();
};

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `n=${s.length}  p50=${q(0.5).toFixed(1)} ms  p95=${q(0.95).toFixed(1)} ms  max=${s.at(-1).toFixed(1)} ms  mean=${mean.toFixed(1)} ms`;
}

try {
  const zhao = await login('nurse.zhao');
  const wang = await login('dr.wang');
  const study = validatePart10(readFileSync(SERIES[0])).record.studyInstanceUid;
  for (const url of SERIES) {
    const b = 'bench-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Type: application/dicom\r\n\r\n`),
      readFileSync(url),
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    await call('POST', '/dicomweb/studies', zhao.accessToken, body, {
      'content-type': `multipart/related; type="application/dicom"; boundary=${b}`,
    });
  }
  const room = await call('POST', '/api/rooms', zhao.accessToken, {
    title: 'bench',
    invitees: [wang.user.id],
  });
  await call('POST', `/api/rooms/${room.id}/studies`, zhao.accessToken, { studyInstanceUid: study });

  browser = await launchChromium();
  const pages = {};
  for (const u of ['dr.wang', 'nurse.zhao']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByTestId('login-username').fill(u);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('lobby').waitFor();
    await page.goto(`${base}/rooms/${room.id}`);
    await page.locator('[data-testid="room"][data-state="joined"]').waitFor({ timeout: 30_000 });
    pages[u] = page;
  }
  const presenter = pages['dr.wang'];
  const follower = pages['nurse.zhao'];
  const ready = '[data-testid="study-panel"] [data-testid="image-viewport"][data-state="ready"]';
  await presenter.locator(`[data-testid="room-open-study-${study}"]:not([disabled])`).click();
  await presenter.locator(ready).waitFor({ timeout: 60_000 });
  await presenter.getByTestId('viewing-present').click();
  await follower.locator('[data-testid="viewing-status"][data-mode="following"]').waitFor();
  await follower.locator(ready).waitFor({ timeout: 60_000 });
  // Every slice loaded on both sides, so the figures are about shared viewing, not image loading.
  for (const p of [presenter, follower])
    await p
      .locator('[data-testid="study-panel"] [data-testid="image-viewport"][data-loaded-count="3"]')
      .waitFor({ timeout: 60_000 });

  const latencies = () => follower.evaluate(() => window.__telemedViewing.latencies().length);
  await follower.evaluate(() => window.__telemedViewing.clearLatencies());
  const slider = presenter.getByTestId('stack-slider');
  let slice = Number(await slider.inputValue());
  const started = Date.now();
  for (let i = 0; i < CHANGES; i++) {
    const before = await latencies();
    if (i % 2 === 0) {
      slice = (slice + 1) % 3;
      await slider.fill(String(slice));
    } else {
      await presenter.getByTestId(`preset-${PRESETS[((i - 1) / 2) % PRESETS.length]}`).click();
    }
    await follower.waitForFunction((n) => window.__telemedViewing.latencies().length > n, before, {
      polling: 'raf',
      timeout: 10_000,
    });
  }
  const discrete = await follower.evaluate(() => window.__telemedViewing.latencies());
  const elapsed = Date.now() - started;

  await follower.evaluate(() => window.__telemedViewing.clearLatencies());
  await presenter.getByTestId('tool-windowLevel').click();
  const box = await presenter
    .locator('[data-testid="study-panel"] [data-testid="image-viewport"]')
    .boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await presenter.mouse.move(cx, cy);
  await presenter.mouse.down();
  const dragStart = Date.now();
  for (let i = 1; i <= 120; i++) await presenter.mouse.move(cx + (i % 40) * 2, cy + Math.floor(i / 40) * 10);
  await presenter.mouse.up();
  const dragMs = Date.now() - dragStart;
  const want = await presenter.evaluate(() => window.__telemedViewing.state());
  await follower.waitForFunction(
    (w) => {
      const s = window.__telemedViewing.state();
      return (
        s &&
        s.voi &&
        Math.abs(s.voi.windowCenter - w.voi.windowCenter) < 0.01 &&
        Math.abs(s.voi.windowWidth - w.voi.windowWidth) < 0.01
      );
    },
    want,
    { polling: 'raf', timeout: 10_000 },
  );
  const drag = await follower.evaluate(() => window.__telemedViewing.latencies());

  console.log(
    `shared viewing, presenter action → follower applyState done (loopback, headless chromium, 512×512 CT)`,
  );
  console.log(
    `  discrete changes (${CHANGES}, ${(elapsed / CHANGES).toFixed(0)} ms apart incl. driving): ${stats(discrete)}`,
  );
  console.log(
    `  continuous W/L drag (120 moves in ${dragMs} ms → ${drag.length} states applied, ${(drag.length / (dragMs / 1000)).toFixed(1)}/s): ${stats(drag)}`,
  );
  console.log(`  final drag state on the follower equals the presenter's: yes`);
} finally {
  await browser?.close();
  await bench.close();
}
