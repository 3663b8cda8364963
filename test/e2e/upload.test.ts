// Issue 4 §6: a clinic uploads a study through the browser — a whole folder, and a .zip with a stray
// non-DICOM file — over the resumable chunked upload API, with per-file and overall progress; the files
// land in the store (QIDO sees them), a second upload of the same files says "already stored", and the
// study opens in the viewer from the upload page.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Session } from '@telemed/signaling/protocol';
import { validatePart10 } from '@telemed/pacs-bridge';
import { login } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { loginThroughUi } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const CT3 = 'test/fixtures/dicom/ct-series/dcmqi-ct-3slice';
const CT5 = 'test/fixtures/dicom/ct-series/pydicom-CT5N';
const studyOf = (path: string) => {
  const v = validatePart10(readFileSync(path));
  if (!v.ok) throw new Error(v.reason);
  return v.record.studyInstanceUid;
};

async function finishedUpload(page: Page): Promise<{ statuses: string[]; overall: string | null }> {
  const bar = page.getByTestId('upload-progress');
  await page.locator('[data-testid="upload-progress"][data-done="true"]').waitFor({ timeout: 60_000 });
  const statuses = await page
    .locator('[data-testid^="upload-file-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-status') ?? ''));
  return { statuses, overall: await bar.getAttribute('aria-valuenow') };
}

describe('uploading a study through the browser', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let zhao: Session;
  const tmp = mkdtempSync(join(tmpdir(), 'telemed-upload-'));

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    browser = await launchBrowser();
    zhao = await login(platform.url, 'nurse.zhao');
    ({ page } = await browser.newUserPage());
    await loginThroughUi(page, platform.url, 'nurse.zhao', platform.demoPassword);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads a whole folder with per-file results and an overall bar that reaches 100 %', async () => {
    await page.goto(`${platform.url}/upload`);
    const progressSeen: number[] = [];
    await page.getByTestId('upload-folder').setInputFiles(CT3);
    await page.getByTestId('upload-progress').waitFor();
    progressSeen.push(Number(await page.getByTestId('upload-progress').getAttribute('aria-valuenow')));
    const { statuses, overall } = await finishedUpload(page);
    expect(statuses).toEqual(['stored', 'stored', 'stored']);
    expect(overall).toBe('100');
    expect(await page.getByTestId('upload-progress').isVisible()).toBe(true);

    const study = studyOf(join(CT3, '01.dcm'));
    const qido = await fetch(`${platform.url}/dicomweb/studies/${study}/instances`, {
      headers: { authorization: `Bearer ${zhao.accessToken}` },
    });
    expect(((await qido.json()) as unknown[]).length).toBe(3);

    // The study opens from the upload page.
    await page.getByTestId(`upload-open-${study}`).click();
    await page.locator('[data-testid="image-viewport"][data-state="ready"]').waitFor({ timeout: 60_000 });
  });

  it('unzips an archive in the browser, skips what is not DICOM, and reports duplicates', async () => {
    const entries: Record<string, Uint8Array> = { 'README.txt': new TextEncoder().encode('not an image') };
    for (const f of readdirSync(CT5)) entries[`CT5N/${f}`] = readFileSync(join(CT5, f));
    const zipPath = join(tmp, 'ct5n.zip');
    writeFileSync(zipPath, zipSync(entries));

    await page.goto(`${platform.url}/upload`);
    await page.getByTestId('upload-files').setInputFiles(zipPath);
    const first = await finishedUpload(page);
    expect(first.overall).toBe('100');
    expect(first.statuses.filter((s) => s === 'stored')).toHaveLength(5);
    expect(first.statuses.filter((s) => s === 'skipped')).toHaveLength(1);
    await expect.poll(() => page.getByTestId('upload-summary').textContent()).toMatch(/5/);

    // The same archive again: every file is already stored, nothing fails.
    await page.getByTestId('upload-files').setInputFiles(zipPath);
    await expect
      .poll(
        async () =>
          (
            await page
              .locator('[data-testid^="upload-file-"]')
              .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
          ).filter((s) => s === 'duplicate').length,
        { timeout: 60_000 },
      )
      .toBe(5);
  });

  it('shows the server reason for a refused file (another file under an existing SOP Instance UID)', async () => {
    const original = readFileSync(join(CT3, '02.dcm'));
    // Same UIDs, different pixel bytes: the store keeps the first and refuses the second as a conflict.
    const altered = Buffer.from(original);
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 0xff;
    const path = join(tmp, 'conflict.dcm');
    writeFileSync(path, altered);
    await page.goto(`${platform.url}/upload`);
    await page.getByTestId('upload-files').setInputFiles(path);
    const { statuses } = await finishedUpload(page);
    expect(statuses).toEqual(['refused']);
    expect(await page.getByTestId('upload-file-0').textContent()).toMatch(/\S{8,}/);
  });
});
