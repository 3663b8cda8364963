// Issue 4 §1 and §6: the Cornerstone3D viewer over a study uploaded through the UI. What the screen shows
// is read back from the viewport's canvas (luminance mean/SD): non-blank, the same on a second load,
// changed by a W/L drag; a Length drawn with the mouse reads the distance PixelSpacing gives; a multi-frame
// US plays as cine; the stack scrolls by key, wheel and slider; images that arrive while the study is open
// (STOW-RS and DIMSE C-STORE) appear without a reload; a long series shows its first image before the
// series' metadata, and is marked all loaded only once every image is.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Session } from '@telemed/signaling/protocol';
import { validatePart10 } from '@telemed/pacs-bridge';
import { login } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { loginThroughUi } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const run = promisify(execFile);
const CT3 = 'test/fixtures/dicom/ct-series/dcmqi-ct-3slice';
const US = 'test/fixtures/dicom/us-cine/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm';
const SCREENSHOTS = process.env.SAVE_SCREENSHOTS === '1';

const recordOf = (path: string) => {
  const v = validatePart10(readFileSync(path));
  if (!v.ok) throw new Error(v.reason);
  return v.record;
};

/** A copy with UIDs replaced by others of the same length (no re-encoding needed). */
function reUid(bytes: Buffer, map: Record<string, string>): Buffer {
  let text = bytes.toString('latin1');
  for (const [from, to] of Object.entries(map)) {
    if (from.length !== to.length) throw new Error('uid length changed');
    text = text.split(from).join(to);
  }
  return Buffer.from(text, 'latin1');
}
const variant = (uid: string, digit: string) => uid.slice(0, -2) + digit + uid.slice(-1);

interface CanvasStats {
  mean: number;
  std: number;
  width: number;
  height: number;
}

/** Luminance statistics of what the viewport's canvas shows. */
function canvasStats(page: Page): Promise<CanvasStats> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="image-viewport"] canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      sum += y;
      sq += y * y;
    }
    const mean = sum / n;
    return {
      mean,
      std: Math.sqrt(Math.max(0, sq / n - mean * mean)),
      width: canvas.width,
      height: canvas.height,
    };
  });
}

const viewport = (page: Page) => page.getByTestId('image-viewport');
const attr = (page: Page, name: string) => viewport(page).getAttribute(name);

async function openStudy(page: Page, baseUrl: string, studyUid: string) {
  await page.goto(`${baseUrl}/studies/${studyUid}/`);
  await page.locator('[data-testid="image-viewport"][data-state="ready"]').waitFor({ timeout: 60_000 });
}

/** Stats once the first image has rendered and is stable (two reads in a row equal). */
async function settledStats(page: Page): Promise<CanvasStats> {
  let last = await canvasStats(page);
  for (let i = 0; i < 50; i++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const next = await canvasStats(page);
    if (next.mean === last.mean && next.std === last.std && next.std > 0) return next;
    last = next;
  }
  return last;
}

describe('image viewer', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let zhao: Session;
  const tmp = mkdtempSync(join(tmpdir(), 'telemed-viewer-'));
  const ct = recordOf(join(CT3, '01.dcm'));
  const us = recordOf(US);

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    browser = await launchBrowser();
    zhao = await login(platform.url, 'nurse.zhao');
    ({ page } = await browser.newUserPage());
    await loginThroughUi(page, platform.url, 'nurse.zhao', platform.demoPassword);
    // Upload through the UI: the CT series as a folder, the US cine as a file.
    await page.goto(`${platform.url}/upload`);
    await page.getByTestId('upload-folder').setInputFiles(CT3);
    await page.locator('[data-testid="upload-progress"][data-done="true"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('upload-files').setInputFiles(US);
    await page.locator('[data-testid="upload-file-3"][data-status="stored"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('upload-progress').getAttribute('aria-valuenow')).toBe('100');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the uploaded studies and searches them by modality', async () => {
    await page.goto(`${platform.url}/studies`);
    await page.locator('[data-testid="study-list-state"][data-state="ready"]').waitFor();
    await page.getByTestId(`study-row-${ct.studyInstanceUid}`).waitFor();
    await page.getByTestId(`study-row-${us.studyInstanceUid}`).waitFor();
    expect(await page.getByTestId(`study-row-${ct.studyInstanceUid}`).textContent()).toContain('1 / 3');
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/viewer-study-list.png' });
    await page.getByTestId('search-modality').selectOption('US');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.locator('[data-testid^="study-row-"]').count()).toBe(1);
    await page.getByTestId(`study-open-${us.studyInstanceUid}`).waitFor();
  });

  it('shows the CT image: non-blank canvas, the same on a second load', async () => {
    await openStudy(page, platform.url, ct.studyInstanceUid);
    await page.getByTestId(`series-thumb-${ct.seriesInstanceUid}`).waitFor();
    const first = await settledStats(page);
    expect(first.std).toBeGreaterThan(10);
    expect(first.mean).toBeGreaterThan(5);
    await openStudy(page, platform.url, ct.studyInstanceUid);
    const second = await settledStats(page);
    expect(second.mean).toBeCloseTo(first.mean, 3);
    expect(second.std).toBeCloseTo(first.std, 3);
    expect(await attr(page, 'data-image-index')).toBe('0');
    await expect.poll(() => attr(page, 'data-loaded-count')).toBe('3');
  });

  it('changes window/level by a mouse drag, and by a preset', async () => {
    const before = await settledStats(page);
    const wcBefore = Number(await attr(page, 'data-window-center'));
    const wwBefore = Number(await attr(page, 'data-window-width'));
    const box = (await viewport(page).boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.getByTestId('tool-windowLevel').click();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(cx + i * 12, cy + i * 6);
    await page.mouse.up();
    await expect.poll(async () => Number(await attr(page, 'data-window-width'))).not.toBe(wwBefore);
    expect(Number(await attr(page, 'data-window-center'))).not.toBe(wcBefore);
    const after = await settledStats(page);
    expect(Math.abs(after.mean - before.mean) + Math.abs(after.std - before.std)).toBeGreaterThan(1);

    await page.getByTestId('preset-lung').click();
    await expect.poll(() => attr(page, 'data-window-width')).toBe('1500.0');
    expect(await attr(page, 'data-window-center')).toBe('-600.0');
    await page.getByTestId('preset-brain').click();
    await expect.poll(() => attr(page, 'data-window-width')).toBe('80.0');
    if (SCREENSHOTS) {
      await page.getByTestId('preset-abdomen').click();
      await expect.poll(() => attr(page, 'data-window-width')).toBe('400.0');
    }
  });

  it('measures a length drawn with the mouse in mm, matching PixelSpacing', async () => {
    await page.getByTestId('tool-length').click();
    const box = (await viewport(page).boundingBox())!;
    const from: [number, number] = [box.width / 2 - 120, box.height / 2 - 20];
    const to: [number, number] = [box.width / 2 + 100, box.height / 2 + 60];
    await page.mouse.move(box.x + from[0], box.y + from[1]);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(
        box.x + from[0] + ((to[0] - from[0]) * i) / 10,
        box.y + from[1] + ((to[1] - from[1]) * i) / 10,
      );
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('measurement-value').textContent()).toMatch(/^\d+(\.\d+)? mm$/);

    // Expected: the drag's two canvas points → world (mm) through the viewport's own transform, and
    // independently → image pixels × PixelSpacing.
    const expected = await page.evaluate(
      ([a, b]) => {
        const hook = window.__telemedImaging!;
        const wa = hook.canvasToWorld(a)!;
        const wb = hook.canvasToWorld(b)!;
        const ia = hook.worldToImage(wa)!;
        const ib = hook.worldToImage(wb)!;
        return { wa, wb, ia, ib };
      },
      [from, to] as const,
    );
    const world = Math.hypot(...expected.wa.map((v, i) => v - expected.wb[i]!));
    const spacing = (ct as unknown as { pixelSpacing?: number[] }).pixelSpacing;
    const meta = await (
      await fetch(
        `${platform.url}/dicomweb/studies/${ct.studyInstanceUid}/series/${ct.seriesInstanceUid}/instances/${ct.sopInstanceUid}/metadata`,
        {
          headers: { authorization: `Bearer ${zhao.accessToken}` },
        },
      )
    ).json();
    const [rowSpacing, colSpacing] = ((meta as Array<Record<string, { Value: number[] }>>)[0]!['00280030']!
      .Value ?? spacing) as number[];
    const pixels = Math.hypot(
      (expected.ia[0] - expected.ib[0]) * colSpacing!,
      (expected.ia[1] - expected.ib[1]) * rowSpacing!,
    );
    expect(world).toBeGreaterThan(20);
    // The text follows the drag; once the mouse is up it settles on the final length.
    await expect
      .poll(async () => parseFloat((await page.getByTestId('measurement-value').textContent())!))
      .toBeCloseTo(world, 1);
    const shown = parseFloat((await page.getByTestId('measurement-value').textContent())!);
    expect(Math.abs(shown - world)).toBeLessThan(0.15);
    expect(Math.abs(shown - pixels)).toBeLessThan(0.15);
    await page.getByTestId('tool-windowLevel').click();
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/viewer-ct.png' });
  });

  it('scrolls the series by arrow key, wheel and slider', async () => {
    await page.getByTestId('tool-clear').click();
    await viewport(page).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => attr(page, 'data-image-index')).toBe('1');
    const box = (await viewport(page).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await expect.poll(() => attr(page, 'data-image-index')).toBe('2');
    await page.getByTestId('stack-slider').fill('0');
    await expect.poll(() => attr(page, 'data-image-index')).toBe('0');
    await expect.poll(() => page.getByTestId('overlay-image').textContent()).toContain('1/3');
  });

  it('browses the DICOM tags of the shown image', async () => {
    await page.getByTestId('tag-browser-toggle').click();
    await page.getByTestId('tag-browser').waitFor();
    await page.getByTestId('tag-search').fill('pixelspacing');
    await expect.poll(() => page.getByTestId('tag-row').count()).toBe(1);
    expect(await page.getByTestId('tag-row').textContent()).toContain('(0028,0030)');
    await page.getByTestId('tag-browser-toggle').click();
  });

  it('plays multi-frame US as cine at the chosen frame rate', async () => {
    await openStudy(page, platform.url, us.studyInstanceUid);
    expect(await attr(page, 'data-image-count')).toBe('8');
    await expect.poll(() => page.getByTestId('cine-play').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('cine-fps').fill('30');
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await attr(page, 'data-image-index'))!);
          return seen.size;
        },
        { timeout: 10_000, intervals: [20] },
      )
      .toBeGreaterThanOrEqual(4);
    await page.getByTestId('cine-play').click();
    await expect.poll(() => page.getByTestId('cine-play').getAttribute('aria-pressed')).toBe('false');
    const stopped = await attr(page, 'data-image-index');
    // Stopped: the controller says so, and twenty rendered frames later the image has not moved.
    expect(await page.evaluate(() => window.__telemedImaging!.controller()!.getState()!.cine.playing)).toBe(
      false,
    );
    await page.evaluate(async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => requestAnimationFrame(r));
    });
    expect(await attr(page, 'data-image-index')).toBe(stopped);
  });

  it('shows a series that arrives while the study is open (STOW-RS, then DIMSE into the shown series)', async () => {
    await openStudy(page, platform.url, ct.studyInstanceUid);
    expect(await attr(page, 'data-image-count')).toBe('3');
    // A new series in the same study, sent by STOW-RS.
    const newSeries = variant(ct.seriesInstanceUid, '7');
    const bytes = reUid(readFileSync(join(CT3, '01.dcm')), {
      [ct.seriesInstanceUid]: newSeries,
      [ct.sopInstanceUid]: variant(ct.sopInstanceUid, '7'),
    });
    const boundary = 'viewer-live';
    const stow = await fetch(`${platform.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${zhao.accessToken}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(stow.status).toBe(200);
    await page.getByTestId(`series-thumb-${newSeries}`).waitFor({ timeout: 15_000 });

    // A fourth slice of the shown series over DIMSE (real storescu): the stack grows in place.
    const extra = join(tmp, 'extra.dcm');
    const three = recordOf(join(CT3, '03.dcm'));
    writeFileSync(
      extra,
      reUid(readFileSync(join(CT3, '03.dcm')), {
        [three.sopInstanceUid]: variant(three.sopInstanceUid, '6'),
      }),
    );
    const port = platform.platform.pacs!.dimse!.port;
    await run('storescu', ['-aet', 'CT_TOWNSHIP', '-aec', 'TELEMED', '127.0.0.1', String(port), extra]);
    await expect.poll(() => attr(page, 'data-image-count'), { timeout: 15_000 }).toBe('4');
    expect(await attr(page, 'data-state')).toBe('ready');

    await page.getByTestId(`series-thumb-${newSeries}`).click();
    await expect.poll(() => attr(page, 'data-series-uid')).toBe(newSeries);
    await expect.poll(() => attr(page, 'data-state')).toBe('ready');
  });

  it('shows a long series from its first instance, and marks it all loaded only with every image', async () => {
    // 12 slices (the viewer shows a series of 10 or more from one instance's metadata first) in a study
    // of their own: the three CT slices again, each copy with a SOP Instance UID of the same length.
    const study = variant(ct.studyInstanceUid, '8');
    const series = variant(ct.seriesInstanceUid, '8');
    const slices = ['01', '02', '03'].map((n) => join(CT3, `${n}.dcm`));
    const copies = Array.from({ length: 12 }, (_, i) => {
      const path = slices[i % 3]!;
      const r = recordOf(path);
      return reUid(readFileSync(path), {
        [r.studyInstanceUid]: study,
        [r.seriesInstanceUid]: series,
        [r.sopInstanceUid]: `${r.sopInstanceUid.slice(0, -4)}9${String(i).padStart(2, '0')}1`,
      });
    });
    const boundary = 'viewer-long';
    const stow = await fetch(`${platform.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${zhao.accessToken}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body: Buffer.concat([
        ...copies.flatMap((b) => [
          Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
          b,
          Buffer.from('\r\n'),
        ]),
        Buffer.from(`--${boundary}--\r\n`),
      ]),
    });
    expect(stow.status).toBe(200);

    // The series' metadata (the real response) is held back until the head has been looked at.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let passed: Promise<void> = Promise.resolve();
    const metadataUrl = `**/dicomweb/studies/${study}/series/${series}/metadata`;
    await page.route(metadataUrl, (route) => (passed = held.then(() => route.continue())));
    try {
      await openStudy(page, platform.url, study);
      const head = await page.evaluate(() => window.__telemedImaging!.controller()!.snapshot());
      expect(head.imageCount).toBe(1);
      expect(head.firstImageAt).not.toBeNull();
      // One image of twelve is not the whole series.
      expect(head.allLoadedAt).toBeNull();
      expect(await attr(page, 'data-all-loaded-ms')).toBe('');
    } finally {
      release();
      await passed;
      await page.unroute(metadataUrl);
    }
    await page
      .locator('[data-testid="image-viewport"][data-all-loaded-ms]:not([data-all-loaded-ms=""])')
      .waitFor({ timeout: 30_000 });
    expect(await attr(page, 'data-image-count')).toBe('12');
    expect(await attr(page, 'data-loaded-count')).toBe('12');
  });
});
