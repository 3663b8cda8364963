// Time to first image and to the whole series in the browser viewer (headless chromium, loopback):
// the largest CT, CR and US items of test/fixtures/dicom, and a 100-instance CT series made by re-UIDing
// the dcmqi CT slices with dcmjs. Each item is its own study, STOWed once. Per run:
//   cold — a fresh browser context (empty HTTP cache) loads /studies/<uid>/ (includes the imaging chunk);
//   warm — the same page navigates in-app to the study list and back: Cornerstone's image cache still
//          holds the decoded images, so this is QIDO + metadata + render.
// Times are from the navigation to the viewport's data-first-image-ms / data-all-loaded-ms marks
// (performance.now() in the page), read once the viewport's stack holds every image the store has for
// the series (WADO-RS metadata: frames of the instances with Rows), so a long series' first-image stack
// is never taken for the series. p50 of --runs is printed. Nothing else is asserted.
// Run after `npm run build`:  node test/bench/viewer-first-image.mjs [--runs 5]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validatePart10 } from '@telemed/pacs-bridge';
import { BENCH_PASSWORD, launchChromium, startBenchPlatform } from './lib/browser-bench.mjs';
import { freshUid, loadCorpus, stowAll, withUids } from './lib/pacs-bench.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const password = BENCH_PASSWORD;

const corpus = loadCorpus();
const largest = (modality) =>
  corpus
    .filter((f) => f.record.modality === modality && f.record.rows)
    .sort((a, b) => b.bytes.length - a.bytes.length)[0];

// withUids falls back to a byte-level swap with UIDs of its own when dcmjs cannot rewrite a file:
// the study UID is read back from what it produced.
const studyOf = (bytes) => {
  const v = validatePart10(bytes);
  if (!v.ok) throw new Error(v.reason);
  return v.record.studyInstanceUid;
};

function single(file) {
  const bytes = withUids(file.bytes, { study: freshUid(), series: freshUid(), sop: freshUid() }, file.record);
  return { study: studyOf(bytes), instances: [bytes] };
}

function ct100() {
  const slices = ['01', '02', '03'].map((n) =>
    readFileSync(`test/fixtures/dicom/ct-series/dcmqi-ct-3slice/${n}.dcm`),
  );
  const study = freshUid();
  const series = freshUid();
  const instances = Array.from({ length: 100 }, (_, i) =>
    withUids(slices[i % 3], { study, series, sop: freshUid(), patientId: 'BENCH-CT100' }),
  );
  if (new Set(instances.map(studyOf)).size !== 1) throw new Error('the 100 instances are not one study');
  return { study: studyOf(instances[0]), instances };
}

const items = [
  ['CT (largest)', largest('CT')],
  ['CR (largest)', largest('CR')],
  ['US (largest)', largest('US')],
].map(([name, file]) => ({
  name: `${name}: ${file.path} ${(file.bytes.length / 1024).toFixed(0)} KiB`,
  ...single(file),
}));
items.push({ name: 'CT 100-instance series (dcmqi slices, re-UIDed)', ...ct100() });

const bench = await startBenchPlatform({ name: 'viewer' });
const platform = bench.platform;
const base = platform.url;
const browser = await launchChromium();

const p50 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

try {
  const login = await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nurse.zhao', password }),
    })
  ).json();
  const target = { url: `${base}/dicomweb`, headers: { authorization: `Bearer ${login.accessToken}` } };
  const getJson = async (path) => {
    const res = await fetch(`${target.url}${path}`, {
      headers: { ...target.headers, accept: 'application/dicom+json' },
    });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return res.json();
  };
  // What the viewer should end with: the images of the study's (only) series, as stored.
  const storedImages = async (study) => {
    const series = await getJson(`/studies/${study}/series`);
    if (series.length !== 1) throw new Error(`study ${study}: ${series.length} series, expected 1`);
    const uid = series[0]['0020000E'].Value[0];
    const metadata = await getJson(`/studies/${study}/series/${uid}/metadata`);
    const images = metadata
      .filter((ds) => ds['00280010']?.Value?.length)
      .reduce((n, ds) => n + Math.max(1, Number(ds['00280008']?.Value?.[0] ?? 1)), 0);
    return { instances: metadata.length, images };
  };
  for (const item of items) {
    const r = await stowAll(target, item.instances, { batch: 10, concurrency: 2 });
    if (r.failed) throw new Error(`${item.name}: ${r.failed} instances not stored`);
    const stored = await storedImages(item.study);
    if (stored.instances !== item.instances.length)
      throw new Error(`${item.name}: ${stored.instances} of ${item.instances.length} instances stored`);
    item.images = stored.images;
  }

  const marks = async (page, images) => {
    // A viewer mounted for this navigation (the previous one was tagged data-bench-old), its stack the
    // whole series.
    const vp = page.locator(
      `[data-testid="image-viewport"]:not([data-bench-old])[data-image-count="${images}"][data-all-loaded-ms]:not([data-all-loaded-ms=""])`,
    );
    const failed = page.locator('[data-testid="image-viewport"][data-state="error"]');
    await vp
      .or(failed)
      .waitFor({ timeout: 120_000 })
      .catch(async (err) => {
        const now = page.locator('[data-testid="image-viewport"]:not([data-bench-old])');
        const [count, all] = await Promise.all(
          ['data-image-count', 'data-all-loaded-ms'].map((a) => now.getAttribute(a).catch(() => null)),
        );
        throw new Error(`viewer stack ${count} of ${images} images (all loaded: ${all || 'no'}): ${err}`);
      });
    if (await failed.count())
      throw new Error(`viewer error: ${await page.getByTestId('image-error').textContent()}`);
    const [first, all, count] = await Promise.all(
      ['data-first-image-ms', 'data-all-loaded-ms', 'data-image-count'].map((a) => vp.getAttribute(a)),
    );
    return { first: Number(first), all: Number(all), count: Number(count) };
  };

  for (const item of items)
    console.log(
      `  ${item.name} → study ${item.study}: ${item.instances.length} instances, ${item.images} images`,
    );
  console.log(`p50 of ${runs} runs, ms from navigation (cold: new context, page load; warm: in-app)`);
  // BENCH_ONLY=CR runs only the items whose name contains it.
  for (const item of items.filter(
    (i) => !process.env.BENCH_ONLY || i.name.includes(process.env.BENCH_ONLY),
  )) {
    const cold = { first: [], all: [] };
    const warm = { first: [], all: [] };
    let frames = 0;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
      await page.goto(base);
      await page.getByTestId('login-username').fill('nurse.zhao');
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('lobby').waitFor();
      // Cold: a page load of the study URL (the session is in sessionStorage).
      await page.goto(`${base}/studies/${item.study}/`);
      const c = await marks(page, item.images);
      cold.first.push(c.first);
      cold.all.push(c.all);
      frames = c.count;
      // Warm: leave for the study list, come back in-app.
      await page.getByTestId('image-viewport').evaluate((e) => e.setAttribute('data-bench-old', ''));
      await page.evaluate(() => {
        history.pushState(null, '', '/studies');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.locator('[data-testid="study-list-state"][data-state="ready"]').waitFor();
      await page.getByTestId('image-viewport').waitFor({ state: 'detached' });
      const t0 = await page.evaluate((path) => {
        const start = performance.now();
        history.pushState(null, '', path);
        dispatchEvent(new PopStateEvent('popstate'));
        return start;
      }, `/studies/${item.study}/`);
      const w = await marks(page, item.images);
      warm.first.push(w.first - t0);
      warm.all.push(w.all - t0);
      await context.close();
    }
    const f = (n) => n.toFixed(0).padStart(6);
    console.log(
      `${item.name}\n  ${frames} images: cold first ${f(p50(cold.first))}  all ${f(p50(cold.all))} | warm first ${f(p50(warm.first))}  all ${f(p50(warm.all))}`,
    );
  }
} finally {
  await browser.close();
  await bench.close();
}
