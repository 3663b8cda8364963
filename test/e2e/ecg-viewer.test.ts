// Issue 4, ECG viewer: every ECG fixture goes in the way a clinic would send it (DICOM waveforms by
// STOW-RS, the HL7 aECG through the viewer's import page, SCP-ECG through POST /api/ecg/import), then
// /ecg/<sop>/ is opened in chromium and checked on the canvas itself: all 12 leads drawn (ink in every
// lead's box), layout/speed/gain/filters re-draw, calipers read known intervals, and the heart rate
// matches one computed here from the same samples by a different, naive method.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Session } from '@telemed/signaling/protocol';
import { login } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { loginThroughUi } from './support/pages.js';
import { apiImport, ecgJson, median, naivePeaks, stow } from './support/ecg.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';

const ECG_DIR = 'test/fixtures/ecg';
const LEADS = [...STANDARD_LEADS];

interface Fixture {
  file: string;
  via: 'stow' | 'ui-import' | 'api-import';
  /** Heart rate the file itself states (DICOM WaveformAnnotationSequence), if any. */
  statedBpm?: number;
}

const FIXTURES: Fixture[] = [
  { file: 'dicom-waveform/waveform_ecg.dcm', via: 'stow', statedBpm: 60000 / 982 },
  { file: 'dicom-waveform/wave_dfl.dcm', via: 'stow', statedBpm: 69 },
  { file: 'hl7-aecg/Example_aECG.xml', via: 'ui-import' },
  { file: 'scp-ecg/Example.scp', via: 'api-import' },
];

async function paintCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('ecg-page').getAttribute('data-paint-count')) ?? 0);
}

/** Waits until the paper has been painted more than `after` times. */
async function painted(page: Page, after: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector<HTMLElement>('[data-testid="ecg-page"]')?.dataset.paintCount ?? 0) > n,
    after,
    { timeout: 20_000 },
  );
}

async function openEcg(page: Page, baseUrl: string, sop: string): Promise<void> {
  await page.goto(`${baseUrl}/ecg/${sop}/`);
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('[data-testid="ecg-page"]');
      return el?.dataset.state === 'error' || Number(el?.dataset.paintCount ?? 0) > 0;
    },
    undefined,
    { timeout: 30_000 },
  );
  const error = (await page.getByTestId('ecg-error').count())
    ? await page.getByTestId('ecg-error').textContent()
    : null;
  expect(await page.getByTestId('ecg-page').getAttribute('data-state'), `ECG page error: ${error}`).toBe(
    'ready',
  );
}

interface Ink {
  testid: string;
  columns: number;
  inkedColumns: number;
}

/**
 * Per lead box: how many of its pixel columns hold trace ink on the canvas. A nearly flat stretch of
 * an antialiased 1-px trace spreads over two pixel rows, so "ink" is any pixel at least ~25 % black.
 */
function inkPerLead(page: Page): Promise<Ink[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="ecg-canvas"]')!;
    const ctx = canvas.getContext('2d')!;
    const c = canvas.getBoundingClientRect();
    const sx = canvas.width / c.width;
    const sy = canvas.height / c.height;
    return Array.from(document.querySelectorAll<HTMLElement>('.ecg-lead-box')).map((box) => {
      const r = box.getBoundingClientRect();
      const x = Math.round((r.left - c.left) * sx);
      const y = Math.max(0, Math.round((r.top - c.top) * sy));
      const w = Math.round(r.width * sx);
      const h = Math.min(canvas.height - y, Math.round(r.height * sy));
      const data = ctx.getImageData(x, y, w, h).data;
      let inked = 0;
      for (let col = 0; col < w; col++) {
        for (let row = 0; row < h; row++) {
          const i = (row * w + col) * 4;
          // Trace ink: the grid is never below r 229; blue R-peak marks are not ink.
          const r = data[i]!;
          const b = data[i + 2]!;
          if (r < 200 && b < 200 && Math.abs(r - b) < 60) {
            inked++;
            break;
          }
        }
      }
      return { testid: box.dataset.testid!, columns: w, inkedColumns: inked };
    });
  });
}

function canvasHash(page: Page): Promise<string> {
  return page
    .evaluate(() => document.querySelector<HTMLCanvasElement>('[data-testid="ecg-canvas"]')!.toDataURL())
    .then((url) => createHash('sha256').update(url).digest('hex'));
}

/** Drags on the paper between two points given in paper millimetres. */
async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const paper = page.getByTestId('ecg-paper');
  await paper.scrollIntoViewIfNeeded();
  const box = (await paper.boundingBox())!;
  const pxPerMm = Number(await paper.getAttribute('data-px-per-mm'));
  const at = ([x, y]: [number, number]) => [box.x + x * pxPerMm, box.y + y * pxPerMm] as const;
  const [x1, y1] = at(from);
  const [x2, y2] = at(to);
  await page.mouse.move(x1, y1);
  await page.mouse.down();
  await page.mouse.move(x2, y2, { steps: 8 });
  await page.mouse.up();
}

const caliperValue = async (page: Page, which: 'ms' | 'mv') =>
  Number(await page.getByTestId(`ecg-caliper-${which}`).getAttribute('data-value'));

describe('ECG viewer', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let admin: Session;
  const sops = new Map<string, string>();

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startTestPlatform({ workers: 1 }), launchBrowser()]);
    admin = await login(platform.url, 'admin');
    ({ page } = await browser.newUserPage());
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[page error] ${m.text()}`);
    });
    await loginThroughUi(page, platform.url, 'admin', platform.demoPassword);
    for (const f of FIXTURES) {
      const bytes = readFileSync(join(ECG_DIR, f.file));
      if (f.via === 'stow') sops.set(f.file, await stow(platform.url, admin.accessToken, bytes));
      else if (f.via === 'api-import') {
        const r = await apiImport(platform.url, admin.accessToken, bytes);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        sops.set(f.file, r.body.sopInstanceUid!);
      }
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('imports an HL7 aECG through the import page and opens the new ECG', async () => {
    await page.goto(`${platform.url}/ecg/import`);
    await page.getByTestId('ecg-import-file').setInputFiles(join(ECG_DIR, 'hl7-aecg/Example_aECG.xml'));
    await page.getByTestId('ecg-import-submit').click();
    await page.waitForURL(/\/ecg\/[0-9.]+\/$/, { timeout: 30_000 });
    const sop = /\/ecg\/([0-9.]+)\/$/.exec(page.url())![1]!;
    sops.set('hl7-aecg/Example_aECG.xml', sop);
    await page.getByTestId('ecg-paper').waitFor();
  });

  it('the import page reports a file the bridge refuses, in words', async () => {
    await page.goto(`${platform.url}/ecg/import`);
    await page.getByTestId('ecg-import-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not an ECG at all'),
    });
    await page.getByTestId('ecg-import-submit').click();
    await expect.poll(() => page.getByTestId('ecg-import-error').textContent()).toMatch(/aECG|SCP|format/i);
  });

  for (const f of FIXTURES) {
    describe(f.file, () => {
      it('draws all 12 leads, each with ink in its own box, and a lead II rhythm strip', async () => {
        const sop = sops.get(f.file)!;
        await openEcg(page, platform.url, sop);
        const leads = (await page.getByTestId('ecg-paper').getAttribute('data-leads'))!.split(',');
        expect(leads.slice(0, 12)).toEqual(LEADS);
        for (const lead of LEADS)
          await expect(page.getByTestId(`ecg-lead-${lead}`).textContent()).resolves.toBe(lead);
        await page.getByTestId('ecg-rhythm-II').waitFor();
        const ink = await inkPerLead(page);
        expect(ink).toHaveLength(13);
        for (const box of ink) {
          expect(box.inkedColumns / box.columns, `${box.testid} is blank`).toBeGreaterThan(0.9);
        }
        await expect(page.getByTestId('ecg-sampling-rate').textContent()).resolves.toMatch(/\d+ Hz/);
        await expect.poll(() => page.getByTestId('ecg-acquired').textContent()).toMatch(/\d{4}/);
      });

      it('shows the heart rate of the R-R intervals within 3 /min', async () => {
        const json = await ecgJson(platform.url, admin.accessToken, sops.get(f.file)!);
        const g = json.groups[0]!;
        const peaks = naivePeaks(g.channels.find((c) => c.lead === 'II')!.samples, g.samplingFrequency);
        const rr = peaks.slice(1).map((p, i) => (p - peaks[i]!) / g.samplingFrequency);
        const reference = 60 / median(rr);
        const shown = Number(await page.getByTestId('ecg-heart-rate').getAttribute('data-bpm'));
        expect(
          Math.abs(shown - reference),
          `shown ${shown}, reference ${reference.toFixed(1)}`,
        ).toBeLessThanOrEqual(3);
        if (f.statedBpm) expect(Math.abs(shown - f.statedBpm)).toBeLessThanOrEqual(3);
        await expect(page.getByTestId('ecg-heart-rate').textContent()).resolves.toContain(String(shown));
      });

      it('calipers read 200 mm at 25 mm/s as 8000 ms, 10 mm at 10 mm/mV as 1 mV, and an R-R interval', async () => {
        await drag(page, [15, 40], [215, 40]);
        expect(await caliperValue(page, 'ms')).toBeGreaterThan(7920);
        expect(await caliperValue(page, 'ms')).toBeLessThan(8080);
        await drag(page, [30, 50], [30, 40]);
        expect(Math.abs((await caliperValue(page, 'mv')) - 1)).toBeLessThan(0.02);
        await expect(page.getByTestId('ecg-caliper-mv').textContent()).resolves.toMatch(
          /1\.0\d mV|0\.9\d mV/,
        );

        // Between two R peaks of the rhythm strip, at sample positions computed here from the data.
        const json = await ecgJson(platform.url, admin.accessToken, sops.get(f.file)!);
        const g = json.groups[0]!;
        const fs = g.samplingFrequency;
        const [p1, p2] = naivePeaks(g.channels.find((c) => c.lead === 'II')!.samples, fs).slice(2, 4);
        const strip = page.getByTestId('ecg-rhythm-II');
        const x0 = Number(await strip.getAttribute('data-x-mm'));
        const y = Number(await strip.getAttribute('data-baseline-mm'));
        await drag(page, [x0 + (p1! / fs) * 25, y], [x0 + (p2! / fs) * 25, y]);
        const expected = ((p2! - p1!) / fs) * 1000;
        // One CSS pixel is 1/3.78 mm = 10.6 ms at 25 mm/s: the mouse lands on whole pixels.
        expect(Math.abs((await caliperValue(page, 'ms')) - expected)).toBeLessThan(15);
      });

      it('re-draws for 12×1, 50 mm/s, 20 mm/mV and each filter', async () => {
        const paper = page.getByTestId('ecg-paper');
        const width25 = Number(await paper.getAttribute('data-width-mm'));
        let n = await paintCount(page);
        await page.getByTestId('ecg-layout').selectOption('12x1');
        await painted(page, n);
        const ink = await inkPerLead(page);
        expect(ink.map((b) => b.testid)).toEqual(LEADS.map((l) => `ecg-lead-${l}`));
        for (const box of ink) expect(box.inkedColumns / box.columns, box.testid).toBeGreaterThan(0.9);
        expect(await page.getByTestId('ecg-rhythm-II').count()).toBe(0);

        n = await paintCount(page);
        await page.getByTestId('ecg-speed').selectOption('50');
        await painted(page, n);
        expect(Number(await paper.getAttribute('data-width-mm'))).toBeGreaterThan(1.8 * width25);
        const i = page.getByTestId('ecg-lead-I');
        const h10 = (await i.boundingBox())!.height;
        n = await paintCount(page);
        await page.getByTestId('ecg-gain').selectOption('20');
        await painted(page, n);
        expect((await i.boundingBox())!.height / h10).toBeCloseTo(2, 1);
        // At 50 mm/s, 100 mm of paper is 2000 ms.
        n = await paintCount(page);
        await page.getByTestId('ecg-layout').selectOption('3x4');
        await painted(page, n);
        await drag(page, [20, 30], [120, 30]);
        expect(Math.abs((await caliperValue(page, 'ms')) - 2000)).toBeLessThan(20);

        const before = await canvasHash(page);
        for (const [testid, value] of [
          ['ecg-filter-lowpass', '40'],
          ['ecg-filter-notch', '60'],
          ['ecg-filter-notch', '0'],
        ] as const) {
          n = await paintCount(page);
          await page.getByTestId(testid).selectOption(value);
          await painted(page, n);
        }
        n = await paintCount(page);
        await page.getByTestId('ecg-filter-highpass').uncheck();
        await painted(page, n);
        expect(await canvasHash(page)).not.toBe(before);
      });

      it('shows the representative beats when the file has them', async () => {
        const options = await page
          .getByTestId('ecg-group')
          .locator('option')
          .count()
          .catch(() => 0);
        if (f.file.endsWith('wave_dfl.dcm')) {
          expect(await page.getByTestId('ecg-group').count()).toBe(0);
          return;
        }
        expect(options).toBe(2);
        const n = await paintCount(page);
        await page.getByTestId('ecg-group').selectOption('1');
        await painted(page, n);
        const end = Number(await page.getByTestId('ecg-lead-V6').getAttribute('data-end-s'));
        expect(end).toBeGreaterThan(1);
        expect(end).toBeLessThan(1.3);
        for (const box of await inkPerLead(page))
          expect(box.inkedColumns / box.columns, box.testid).toBeGreaterThan(0.9);
      });
    });
  }

  it('the minimal aECG (one lead, 13 samples) opens without error and shows that lead', async () => {
    const r = await apiImport(
      platform.url,
      admin.accessToken,
      readFileSync(join(ECG_DIR, 'hl7-aecg/minimum_aecg.xml')),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await openEcg(page, platform.url, r.body.sopInstanceUid!);
    expect(await page.getByTestId('ecg-paper').getAttribute('data-leads')).toBe('II');
    await page.getByTestId('ecg-lead-II').waitFor();
    await expect(page.getByTestId('ecg-heart-rate').textContent()).resolves.toBe('—');
  });

  it('an unknown ECG shows a clear error', async () => {
    await page.goto(`${platform.url}/ecg/1.2.3.4.5.6.7/`);
    await page.getByTestId('ecg-error').waitFor();
  });

  it('stays sharp: the canvas follows devicePixelRatio and the zoom buttons re-draw at the new scale', async () => {
    const context = await browser.browser.newContext({
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 2,
    });
    try {
      const hiDpi = await context.newPage();
      await loginThroughUi(hiDpi, platform.url, 'admin', platform.demoPassword);
      await openEcg(hiDpi, platform.url, sops.get('scp-ecg/Example.scp')!);
      const size = () =>
        hiDpi.evaluate(() => {
          const c = document.querySelector<HTMLCanvasElement>('[data-testid="ecg-canvas"]')!;
          return { device: c.width, css: c.getBoundingClientRect().width };
        });
      const at1 = await size();
      expect(at1.device / at1.css).toBeCloseTo(2, 1);
      const pxPerMm = Number(await hiDpi.getByTestId('ecg-paper').getAttribute('data-px-per-mm'));
      expect(pxPerMm).toBeCloseTo(96 / 25.4, 6);
      const n = await paintCount(hiDpi);
      await hiDpi.getByTestId('ecg-zoom-in').click();
      await painted(hiDpi, n);
      const at15 = await size();
      expect(at15.css / at1.css).toBeCloseTo(1.5, 1);
      expect(at15.device / at15.css).toBeCloseTo(2, 1);
      // Calipers still read paper time after zooming: 100 mm at 25 mm/s is 4000 ms.
      await drag(hiDpi, [20, 40], [120, 40]);
      expect(Math.abs((await caliperValue(hiDpi, 'ms')) - 4000)).toBeLessThan(20);
    } finally {
      await context.close();
    }
  });

  it('tablet: a touch drag measures with calipers on and scrolls the paper with them off', async () => {
    const context = await browser.browser.newContext({
      viewport: { width: 1024, height: 768 },
      deviceScaleFactor: 2,
      hasTouch: true,
    });
    try {
      const tablet = await context.newPage();
      await loginThroughUi(tablet, platform.url, 'admin', platform.demoPassword);
      await openEcg(tablet, platform.url, sops.get('dicom-waveform/waveform_ecg.dcm')!);
      const n = await paintCount(tablet);
      await tablet.getByTestId('ecg-zoom-in').click();
      await painted(tablet, n);
      const cdp = await context.newCDPSession(tablet);
      const paper = tablet.getByTestId('ecg-paper');
      await paper.scrollIntoViewIfNeeded();
      const touchDrag = async (fromMm: [number, number], toMm: [number, number]) => {
        const box = (await paper.boundingBox())!;
        const k = Number(await paper.getAttribute('data-px-per-mm'));
        const point = ([x, y]: [number, number], t: number) => ({
          x: box.x + (x + (toMm[0] - x) * t) * k,
          y: box.y + (y + (toMm[1] - y) * t) * k,
        });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point(fromMm, 0)] });
        for (let i = 1; i <= 10; i++)
          await cdp.send('Input.dispatchTouchEvent', {
            type: 'touchMove',
            touchPoints: [point(fromMm, i / 10)],
          });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      };
      await touchDrag([30, 40], [130, 40]);
      expect(Math.abs((await caliperValue(tablet, 'ms')) - 4000)).toBeLessThan(20);

      await tablet.getByTestId('ecg-caliper-touch').uncheck();
      const scroller = tablet.locator('.ecg-scroll');
      expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await touchDrag([150, 40], [50, 40]);
      await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
      expect(await tablet.getByTestId('ecg-caliper').count()).toBe(1); // the earlier caliper is untouched
      expect(Math.abs((await caliperValue(tablet, 'ms')) - 4000)).toBeLessThan(20);
    } finally {
      await context.close();
    }
  });

  it('screenshot of the 12-lead page (SAVE_SCREENSHOTS=1)', async () => {
    await openEcg(page, platform.url, sops.get('dicom-waveform/waveform_ecg.dcm')!);
    // A caliper across one R-R interval of the rhythm strip, as a reader would place it.
    const peaks = (await page.getByTestId('ecg-heart-rate').getAttribute('data-r-peaks'))!
      .split(',')
      .map(Number);
    const strip = page.getByTestId('ecg-rhythm-II');
    const x0 = Number(await strip.getAttribute('data-x-mm'));
    const y = Number(await strip.getAttribute('data-baseline-mm'));
    await drag(page, [x0 + (peaks[3]! / 1000) * 25, y - 12], [x0 + (peaks[4]! / 1000) * 25, y - 12]);
    await page.getByTestId('ecg-caliper').waitFor();
    const shot = await page.getByTestId('ecg-page').screenshot();
    expect(shot.byteLength).toBeGreaterThan(10_000);
    if (process.env.SAVE_SCREENSHOTS === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await page.getByTestId('ecg-page').screenshot({ path: 'docs/screenshots/ecg-12lead.png' });
    }
  });
});
