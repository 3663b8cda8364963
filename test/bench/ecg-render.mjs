// ECG viewer: fetch + decode and render times per fixture ECG, in headless chromium over loopback.
// Every ECG in test/fixtures/ecg that holds 12 leads is stored (DICOM by STOW-RS, aECG and SCP-ECG
// through POST /api/ecg/import); then /ecg/<sop>/ is opened --runs times in the same tab and the page's
// own timings are read (data attributes on `ecg-page`, ms): fetch (request → last byte of the compact
// binary), decode (binary → Float32 leads), draw (canvas commands of one paint), first paint (from the
// waveform request to all 12 leads painted, and from navigation start), and the wall time from a layout
// change (3×4 ↔ 12×1) or a filter change (low-pass 40 Hz ↔ 150 Hz: all leads re-filtered) to the next
// frame after the repaint. Medians (p50) are printed; nothing is asserted.
// Run after `npm run build`:  node test/bench/ecg-render.mjs [--runs 15]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_PASSWORD, launchChromium, startBenchPlatform } from './lib/browser-bench.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const password = BENCH_PASSWORD;
const ECG_DIR = 'test/fixtures/ecg';
const FIXTURES = [
  'dicom-waveform/waveform_ecg.dcm',
  'dicom-waveform/wave_dfl.dcm',
  'hl7-aecg/Example_aECG.xml',
  'scp-ecg/Example.scp',
];

const bench = await startBenchPlatform({ name: 'ecg' });
const platform = bench.platform;
const base = platform.url;

async function login() {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login: ${res.status}`);
  return (await res.json()).accessToken;
}

/** wave_dfl.dcm names another SOP instance in its file meta than in its dataset: align them. */
function withMetaSop(bytes, sop) {
  const groupLength = bytes.readUInt32LE(140);
  const metaEnd = 144 + groupLength;
  const parts = [];
  for (let at = 144; at < metaEnd;) {
    const vr = bytes.toString('latin1', at + 4, at + 6);
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT', 'UC', 'UR'].includes(vr);
    const size = (long ? 12 : 8) + (long ? bytes.readUInt32LE(at + 8) : bytes.readUInt16LE(at + 6));
    if (bytes.readUInt16LE(at + 2) === 0x0003) {
      const value = Buffer.from(sop.length % 2 ? `${sop}\0` : sop, 'latin1');
      const head = Buffer.from(bytes.subarray(at, at + 8));
      head.writeUInt16LE(value.length, 6);
      parts.push(head, value);
    } else parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  const elements = Buffer.concat(parts);
  const lengthElement = Buffer.from(bytes.subarray(132, 144));
  lengthElement.writeUInt32LE(elements.length, 8);
  return Buffer.concat([bytes.subarray(0, 132), lengthElement, elements, bytes.subarray(metaEnd)]);
}

async function stow(token, bytes) {
  const boundary = `bench-${Math.random().toString(16).slice(2)}`;
  const res = await fetch(`${base}/dicomweb/studies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  const ds = await res.json();
  const stored = ds['00081199']?.Value?.[0]?.['00081155']?.Value?.[0];
  if (stored) return stored;
  const failed = ds['00081198']?.Value?.[0];
  const failedSop = failed?.['00081155']?.Value?.[0];
  if (failedSop && /Media Storage SOP Instance UID/.test(failed?.['0040A160']?.Value?.[0] ?? ''))
    return stow(token, withMetaSop(bytes, failedSop));
  throw new Error(`STOW refused: ${res.status}`);
}

async function importEcg(token, bytes) {
  const res = await fetch(`${base}/api/ecg/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`import: ${res.status}`);
  return (await res.json()).sopInstanceUid;
}

const p50 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const fmt = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1)).padStart(8);

const browser = await launchChromium();
try {
  const token = await login();
  const sops = [];
  for (const file of FIXTURES) {
    const bytes = readFileSync(join(ECG_DIR, file));
    sops.push([file, file.endsWith('.dcm') ? await stow(token, bytes) : await importEcg(token, bytes)]);
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('lobby').waitFor();

  /** Changes a select through the DOM and returns ms until the frame after the repaint. */
  const change = (testid, value) =>
    page.evaluate(
      ([id, v]) =>
        new Promise((resolve) => {
          const pageEl = document.querySelector('[data-testid="ecg-page"]');
          const select = document.querySelector(`[data-testid="${id}"]`);
          const before = Number(pageEl.dataset.paintCount);
          const t0 = performance.now();
          select.value = v;
          select.dispatchEvent(new Event('change', { bubbles: true }));
          const poll = () => {
            if (Number(pageEl.dataset.paintCount) > before)
              requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(poll);
          };
          requestAnimationFrame(poll);
        }),
      [testid, value],
    );

  console.log(`ECG render, p50 of ${runs} opens per ECG (chromium headless, 1280×800, DPR 1, loopback), ms`);
  console.log(
    `${'ECG'.padEnd(34)}${'fetch'.padStart(8)}${'decode'.padStart(8)}${'draw'.padStart(8)}` +
      `${'→paint'.padStart(8)}${'nav→pt'.padStart(8)}${'layout'.padStart(8)}${'filter'.padStart(8)}  binary`,
  );
  for (const [file, sop] of sops) {
    const m = { fetch: [], decode: [], draw: [], first: [], nav: [], layout: [], filter: [] };
    let bytes = 0;
    for (let i = 0; i < runs + 1; i++) {
      const bin = page.waitForResponse((r) => r.url().includes(`/api/ecg/instances/${sop}`));
      await page.goto(`${base}/ecg/${sop}/`);
      bytes = Number((await (await bin).body()).byteLength);
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="ecg-page"]');
        return (
          el?.dataset.firstPaintAt !== undefined && document.querySelectorAll('.ecg-lead-box').length >= 13
        );
      });
      const d = await page.getByTestId('ecg-page').evaluate((el) => ({ ...el.dataset }));
      const layout = (await change('ecg-layout', '12x1')) + 0;
      const layoutBack = await change('ecg-layout', '3x4');
      const filter = await change('ecg-filter-lowpass', '40');
      const filterBack = await change('ecg-filter-lowpass', '150');
      if (i === 0) continue; // warm-up: the first open also loads the ECG chunk
      m.fetch.push(Number(d.fetchMs));
      m.decode.push(Number(d.decodeMs));
      m.draw.push(Number(d.paintMs));
      m.first.push(Number(d.firstPaintAt) - Number(d.fetchStartAt));
      m.nav.push(Number(d.firstPaintAt));
      m.layout.push(layout, layoutBack);
      m.filter.push(filter, filterBack);
    }
    console.log(
      `${file.padEnd(34)}${fmt(p50(m.fetch))}${fmt(p50(m.decode))}${fmt(p50(m.draw))}${fmt(p50(m.first))}` +
        `${fmt(p50(m.nav))}${fmt(p50(m.layout))}${fmt(p50(m.filter))}  ${(bytes / 1024).toFixed(0)} kB`,
    );
  }
  console.log(
    "fetch/decode/draw: the page's own timings; →paint: waveform request → 12 leads painted; nav→pt: " +
      'navigation start → painted; layout/filter: change → next frame after the repaint.',
  );
} finally {
  await browser.close();
  await bench.close();
}
