// Join → first remote frame, for chromium peers over loopback.
// A publisher (dr.wang) sits in a room with a fake camera; a second user joins N times in a fresh
// browser context; each time we measure from navigating to the room until the first decoded frame of
// the publisher's video (in-page polling of RTCRtpReceiver stats every 20 ms).
// Run after `npm run build`:  node test/bench/join-first-frame.mjs [--runs 15] [--workers 1]
import { parseArgs } from 'node:util';
import { BENCH_PASSWORD, launchChromium, startBenchPlatform } from './lib/browser-bench.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, workers: { type: 'string', default: '1' } },
});
const runs = Number(values.runs);
const password = BENCH_PASSWORD;

const bench = await startBenchPlatform({ name: 'join', workers: Number(values.workers) });
const platform = bench.platform;
const base = platform.url;

async function api(path, body, token) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
const wang = await api('/api/auth/login', { username: 'dr.wang', password });
const zhao = await api('/api/auth/login', { username: 'nurse.zhao', password });
const room = await api('/api/rooms', { title: 'bench', invitees: [zhao.user.id] }, wang.accessToken);

const browser = await launchChromium();
async function loggedInPage(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page
    .getByTestId('lobby')
    .waitFor({ timeout: 10_000 })
    .catch(async (err) => {
      console.error(await page.locator('body').innerText());
      throw err;
    });
  return { context, page };
}

const publisher = await loggedInPage('dr.wang');
await publisher.page.goto(`${base}/rooms/${room.id}`);
await publisher.page.locator('[data-testid="room"][data-state="joined"]').waitFor({ timeout: 30_000 });

const samples = [];
for (let i = 0; i < runs; i++) {
  const { context, page } = await loggedInPage('nurse.zhao');
  const t0 = Date.now();
  await page.goto(`${base}/rooms/${room.id}`);
  await page.evaluate(async (peerId) => {
    for (;;) {
      const stats = await window.__telemed.inboundStats();
      if (stats.some((s) => s.peerId === peerId && s.kind === 'video' && s.framesDecoded > 0)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }, wang.user.id);
  samples.push(Date.now() - t0);
  await page.getByTestId('leave-button').click();
  await context.close();
}

samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];
console.log(`join → first remote frame over loopback, ${runs} joins (page navigation included)`);
console.log(`samples ms: ${samples.join(' ')}`);
console.log(`p50 ${pct(50)} ms   p95 ${pct(95)} ms   min ${samples[0]} ms   max ${samples.at(-1)} ms`);

await browser.close();
await bench.close();
