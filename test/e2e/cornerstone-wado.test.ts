// Issue 3: "Cornerstone3D's dicom-image-loader (wadors scheme) must load every image in the test corpus
// from the bridge's WADO-RS." Every fixture is sent by STOW-RS; every instance the bridge accepted is then
// loaded in chromium through the viewer's Cornerstone module (wadors: image ids, metadata from WADO-RS
// /metadata, frames from /frames/N with the bearer token, decoded by the loader's wasm codecs in its web
// workers), and its size and pixel data are checked against the manifest and the bridge's own decode.
import { readFileSync, readdirSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Session } from '@telemed/signaling/protocol';
import { login } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { loginThroughUi } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const FIXTURES = 'test/fixtures';
const DICOM_DIR = join(FIXTURES, 'dicom');

interface ManifestRow {
  path: string;
  transferSyntax: string;
  dims: { rows: number; columns: number; frames: number } | null;
}

function readManifest(): Map<string, ManifestRow> {
  const lines = readFileSync(join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const header = lines.shift()!.split('\t');
  const col = (name: string) => header.indexOf(name);
  const rows = new Map<string, ManifestRow>();
  for (const line of lines) {
    const f = line.split('\t');
    const m = /^(\d+)x(\d+)x(\d+)$/.exec(f[col('rows_x_cols_x_frames')] ?? '');
    rows.set(f[col('path')]!, {
      path: f[col('path')]!,
      transferSyntax: f[col('transfer_syntax_uid')]!,
      dims: m ? { rows: Number(m[1]), columns: Number(m[2]), frames: Number(m[3]) } : null,
    });
  }
  return rows;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

type Json = Record<string, { vr: string; Value?: unknown[] }>;

interface StowResult {
  status: number;
  stored: Array<{ sopUid: string; url: string }>;
  failed: Array<{ code: number; reason: string }>;
}

async function stow(baseUrl: string, token: string, bytes: Uint8Array): Promise<StowResult> {
  const boundary = `telemed-${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${baseUrl}/dicomweb/studies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body,
  });
  const text = await res.text();
  let ds: Json = {};
  try {
    ds = JSON.parse(text) as Json;
  } catch {
    /* e.g. 415 */
  }
  const items = (tag: string) => (ds[tag]?.Value ?? []) as Json[];
  return {
    status: res.status,
    stored: items('00081199').map((i) => ({
      sopUid: String(i['00081155']?.Value?.[0]),
      url: String(i['00081190']?.Value?.[0]),
    })),
    failed: items('00081198').map((i) => ({
      code: Number(i['00081197']?.Value?.[0]),
      reason: String(i['0040A160']?.Value?.[0] ?? ''),
    })),
  };
}

/**
 * Several fixtures are one instance in different transfer syntaxes (same SOP Instance UID, different
 * bytes); the bridge rightly refuses the second as a conflict (0x0111, never overwritten). To still load
 * every syntax through Cornerstone, such a file is re-sent with its SOP Instance UID replaced by another
 * UID of the same length (file meta and dataset; deflated datasets are inflated, edited and re-deflated).
 */
function withNewSopUid(bytes: Buffer, sopUid: string, salt: number, deflated: boolean): Buffer {
  const tail = String(salt);
  const replacement = sopUid.slice(0, sopUid.length - tail.length - 1) + '9' + tail;
  if (replacement.length !== sopUid.length) throw new Error('uid length changed');
  const from = Buffer.from(sopUid, 'latin1');
  const to = Buffer.from(replacement, 'latin1');
  const replaceAll = (buf: Buffer) => {
    const out = Buffer.from(buf);
    let at = out.indexOf(from);
    while (at !== -1) {
      to.copy(out, at);
      at = out.indexOf(from, at + from.length);
    }
    return out;
  };
  if (!deflated) return replaceAll(bytes);
  // Part 10: preamble (128) + "DICM" + meta group (explicit VR LE, length in (0002,0000)).
  const metaLength = bytes.readUInt32LE(128 + 4 + 8);
  const metaEnd = 128 + 4 + 12 + metaLength;
  const dataset = inflateRawSync(bytes.subarray(metaEnd));
  return Buffer.concat([replaceAll(bytes.subarray(0, metaEnd)), deflateRawSync(replaceAll(dataset))]);
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * Three fixtures are bare image datasets without Study/Series Instance UIDs (the bridge refuses them, as
 * it should). Two of them are the corpus's only HTJ2K images and the third its only 16-bit JPEG-LS
 * near-lossless one, so to load those syntaxes too a copy is sent with the two UIDs inserted in tag order
 * (explicit VR little endian; only the elements before (0020,000D) are walked, no sequences there).
 */
function withStudyAndSeries(bytes: Buffer, studyUid: string, seriesUid: string): Buffer {
  const ui = (element: number, uid: string) => {
    const value = Buffer.from(uid.length % 2 ? `${uid}\0` : uid, 'latin1');
    const head = Buffer.alloc(8);
    head.writeUInt16LE(0x0020, 0);
    head.writeUInt16LE(element, 2);
    head.write('UI', 4, 'latin1');
    head.writeUInt16LE(value.length, 6);
    return Buffer.concat([head, value]);
  };
  const metaLength = bytes.readUInt32LE(128 + 4 + 8);
  let at = 128 + 4 + 12 + metaLength;
  while (at < bytes.length) {
    const tag = ((bytes.readUInt16LE(at) << 16) | bytes.readUInt16LE(at + 2)) >>> 0;
    if (tag > 0x0020000d) break;
    const vr = bytes.toString('latin1', at + 4, at + 6);
    const length = LONG_VRS.has(vr) ? bytes.readUInt32LE(at + 8) : bytes.readUInt16LE(at + 6);
    if (length === 0xffffffff || tag === 0x0020000d)
      throw new Error(`cannot insert UIDs (tag ${tag.toString(16)})`);
    at += (LONG_VRS.has(vr) ? 12 : 8) + length;
  }
  return Buffer.concat([
    bytes.subarray(0, at),
    ui(0x000d, studyUid),
    ui(0x000e, seriesUid),
    bytes.subarray(at),
  ]);
}

function parseRetrieveUrl(url: string) {
  const m = /\/studies\/([^/]+)\/series\/([^/]+)\/instances\/([^/]+)$/.exec(url);
  if (!m) throw new Error(`unexpected RetrieveURL ${url}`);
  return { study: m[1]!, series: m[2]!, sop: m[3]! };
}

/** Splits a single-part multipart/related body. */
function firstPart(body: Buffer): Buffer {
  const headerEnd = body.indexOf('\r\n\r\n');
  const firstLine = body.subarray(0, headerEnd).toString('latin1').trim().split('\r\n')[0]!;
  const end = body.indexOf(`\r\n${firstLine}`, headerEnd + 4);
  return body.subarray(headerEnd + 4, end);
}

interface Summary {
  rows: number;
  columns: number;
  minPixelValue: number;
  maxPixelValue: number;
  sampleMin: number;
  sampleMax: number;
  samples: number;
  checksum: number;
  color: boolean;
  transferSyntaxUID: string | undefined;
  loadTimeInMS: number | undefined;
}

/** One frame through the viewer's hook; a load that never settles fails after 30 s instead of hanging. */
async function loadInBrowser(page: Page, imageId: string): Promise<Summary> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('load did not settle within 30 s')), 30_000);
  });
  try {
    return await Promise.race([
      page.evaluate(
        (id) =>
          (
            window as unknown as { __telemed: { loadImage(id: string): Promise<Summary> } }
          ).__telemed.loadImage(id),
        imageId,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the study viewer left `loading` and asserts it is `ready` (with its error text if not). */
async function viewerSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="image-viewport"]');
      return el !== null && el.getAttribute('data-state') !== 'loading';
    },
    undefined,
    { timeout: 60_000 },
  );
  const state = await page.getByTestId('image-viewport').getAttribute('data-state');
  const error = state === 'error' ? await page.getByTestId('image-error').textContent() : null;
  expect(state, `viewer error: ${error}`).toBe('ready');
}

interface Accepted {
  file: string;
  manifest: ManifestRow;
  study: string;
  series: string;
  sop: string;
  rewritten: boolean;
}

describe('Cornerstone3D loads every stored image from WADO-RS', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let page: Page;
  let admin: Session;
  const manifest = readManifest();
  const accepted: Accepted[] = [];
  const refused: Array<{ file: string; status: number; reasons: string[] }> = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startTestPlatform({ workers: 1 }), launchBrowser()]);
    admin = await login(platform.url, 'admin');
    let salt = 1;
    for (const path of walk(DICOM_DIR)) {
      const file = relative(FIXTURES, path);
      const row = manifest.get(file);
      if (!row) throw new Error(`${file} is not in MANIFEST.tsv`);
      const bytes = readFileSync(path);
      let result = await stow(platform.url, admin.accessToken, bytes);
      let rewritten = false;
      const conflict = result.failed.find((f) => f.code === 0x0111);
      if (result.stored.length === 0 && conflict) {
        // Same SOP Instance UID as an earlier fixture in another syntax: see withNewSopUid.
        const sop = /\b(\d+(?:\.\d+)+)\b/.exec(conflict.reason)?.[1];
        const known = accepted.find((a) => bytes.includes(Buffer.from(a.sop, 'latin1')));
        const sopUid = known?.sop ?? sop;
        if (!sopUid) throw new Error(`${file}: conflict without a recognisable SOP UID: ${conflict.reason}`);
        result = await stow(
          platform.url,
          admin.accessToken,
          withNewSopUid(bytes, sopUid, salt++, row.transferSyntax.startsWith('1.2.840.10008.1.2.1.99')),
        );
        rewritten = true;
      }
      let stored = result.stored[0];
      if (!stored && result.failed.some((f) => /Study Instance UID .*missing/.test(f.reason))) {
        refused.push({ file, status: result.status, reasons: result.failed.map((f) => f.reason) });
        const patched = await stow(
          platform.url,
          admin.accessToken,
          withStudyAndSeries(bytes, `2.25.${Date.now()}${salt}`, `2.25.${Date.now()}${salt}1`),
        );
        salt++;
        stored = patched.stored[0];
        if (!stored)
          throw new Error(`${file} with UIDs added still refused: ${JSON.stringify(patched.failed)}`);
        const { study, series, sop } = parseRetrieveUrl(stored.url);
        accepted.push({ file, manifest: row, study, series, sop, rewritten: true });
        continue;
      }
      if (stored) {
        const { study, series, sop } = parseRetrieveUrl(stored.url);
        accepted.push({ file, manifest: row, study, series, sop, rewritten });
      } else {
        refused.push({ file, status: result.status, reasons: result.failed.map((f) => f.reason) });
      }
    }
    console.log(
      `STOW: ${accepted.length} accepted (${accepted.filter((a) => a.rewritten).length} after a new SOP UID or added study/series UIDs), ` +
        `${refused.length} refused:\n` +
        refused.map((r) => `  ${r.file}: ${r.status} ${r.reasons.join('; ')}`).join('\n'),
    );
    ({ page } = await browser.newUserPage());
    page.on('response', (r) => {
      if (r.status() >= 400) console.log(`[page http] ${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${m.type()}] ${m.text()}`);
    });
    await loginThroughUi(page, platform.url, 'admin', platform.demoPassword);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('refuses only the malformed files and the three without a Study Instance UID', () => {
    const noStudy = refused.filter((r) => r.reasons.some((x) => /Study Instance UID .*missing/.test(x)));
    expect(noStudy.map((r) => r.file).sort()).toEqual([
      'dicom/transfer-syntax/htj2k/HTJ2KLossless_08_RGB.dcm',
      'dicom/transfer-syntax/htj2k/HTJ2K_08_RGB.dcm',
      'dicom/transfer-syntax/pydicom/JPEGLSNearLossless_16.dcm',
    ]);
    for (const r of refused.filter((x) => !noStudy.includes(x)))
      expect(r.file, `${r.file} refused: ${r.reasons.join('; ')}`).toMatch(/^dicom\/malformed\//);
    expect(accepted.filter((a) => a.manifest.dims).length).toBeGreaterThanOrEqual(40);
  });

  it('loads frame 1 (and the last frame) of every accepted image through the wadors loader', async () => {
    const results: Array<{
      file: string;
      frame: number;
      ts: string;
      ms: number;
      ok: boolean;
      detail: string;
      checksum?: number;
    }> = [];
    for (const a of accepted) {
      const dims = a.manifest.dims;
      if (!dims) {
        // No pixel data (the SR): the loader must fail cleanly, not hand back an image.
        const id = `wadors:${platform.url}/dicomweb/studies/${a.study}/series/${a.series}/instances/${a.sop}/frames/1`;
        const outcome = await loadInBrowser(page, id).then(
          () => 'loaded',
          (err: unknown) => String(err),
        );
        results.push({
          file: a.file,
          frame: 1,
          ts: a.manifest.transferSyntax,
          ms: 0,
          ok: /HTTP 404/.test(outcome),
          detail: `no pixel data; loader refused: ${outcome.split('\n')[0]}`,
        });
        continue;
      }
      const frames = dims.frames > 1 ? [1, dims.frames] : [1];
      for (const frame of frames) {
        const framePath = `/dicomweb/studies/${a.study}/series/${a.series}/instances/${a.sop}/frames/${frame}`;
        const imageId = `wadors:${platform.url}${framePath}`;
        const started = Date.now();
        let ok = false;
        let detail = '';
        let checksum: number | undefined;
        try {
          const s = await loadInBrowser(page, imageId);
          // Whether the frame really has more than one value, from the bridge's own decode (native samples).
          const reference = await fetch(`${platform.url}${framePath}`, {
            headers: {
              authorization: `Bearer ${admin.accessToken}`,
              accept: 'multipart/related; type="application/octet-stream"',
            },
          });
          let uniform: boolean | 'unknown' = 'unknown';
          if (reference.ok) {
            const samples = firstPart(Buffer.from(await reference.arrayBuffer()));
            const period = Math.max(1, Math.round((samples.length / (dims.rows * dims.columns)) | 0));
            uniform = samples.every((b, i) => b === samples[i % period]);
          }
          checksum = s.checksum;
          const problems: string[] = [];
          if (s.rows !== dims.rows || s.columns !== dims.columns)
            problems.push(`decoded ${s.rows}x${s.columns}, manifest says ${dims.rows}x${dims.columns}`);
          if (s.samples < dims.rows * dims.columns) problems.push(`only ${s.samples} samples`);
          if (uniform !== true && !(s.sampleMax > s.sampleMin))
            problems.push(
              `all samples are ${s.sampleMin} (bridge's decode: ${uniform === 'unknown' ? 'not available' : 'not uniform'})`,
            );
          ok = problems.length === 0;
          detail = ok
            ? `${s.rows}x${s.columns}${s.color ? ' color' : ''} samples ${s.sampleMin}..${s.sampleMax}`
            : problems.join('; ');
        } catch (err) {
          detail = `load failed: ${err instanceof Error ? err.message : String(err)}`;
        }
        results.push({
          file: a.file,
          frame,
          ts: a.manifest.transferSyntax,
          ms: Date.now() - started,
          ok,
          detail,
          checksum,
        });
      }
    }
    console.log(
      results
        .map(
          (r) =>
            `${r.ok ? 'ok  ' : 'FAIL'} ${String(r.ms).padStart(5)} ms  ${r.ts}  ${r.file} #${r.frame}: ${r.detail}`,
        )
        .join('\n'),
    );
    expect(results.filter((r) => !r.ok).map((r) => `${r.file} #${r.frame}: ${r.detail}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(40);

    // Lossless encodings of one image decode to exactly the same samples as its uncompressed form.
    const sum = (file: string, frame = 1) =>
      results.find((r) => r.file === file && r.frame === frame)?.checksum;
    const lossless =
      /\((ImplicitVRLittleEndian|ExplicitVRLittleEndian|ExplicitVRBigEndian|DeflatedExplicitVRLittleEndian|JPEG2000Lossless|JPEGLSLossless|JPEGLosslessSV1|JPEGLossless|RLELossless)\)/;
    const groups: Array<{ reference: string; members: RegExp }> = [
      {
        reference: 'dicom/transfer-syntax/ct-matrix/CTImage.dcm',
        members: /^dicom\/transfer-syntax\/ct-matrix\//,
      },
      { reference: 'dicom/mr/MR_small.dcm', members: /^dicom\/transfer-syntax\/pydicom\/MR_small_/ },
      {
        reference: 'dicom/transfer-syntax/multiframe-ct0012/CT0012.not_fragmented_bot_rle.dcm',
        members: /^dicom\/transfer-syntax\/multiframe-ct0012\//,
      },
    ];
    let compared = 0;
    for (const g of groups) {
      for (const r of results.filter((x) => g.members.test(x.file) && lossless.test(x.ts))) {
        const reference = sum(g.reference, r.frame);
        expect(reference, `${g.reference} #${r.frame} was loaded`).toBeDefined();
        expect(r.checksum, `${r.file} #${r.frame} (${r.ts}) decodes like ${g.reference}`).toBe(reference);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  it('shows a CT study in the StackViewport', async () => {
    const ct = accepted.find((a) => a.file.startsWith('dicom/ct-series/dcmqi-ct-3slice/'));
    expect(ct, 'the CT series was stored').toBeDefined();
    await page.goto(`${platform.url}/studies/${ct!.study}/`);
    await viewerSettled(page);
    const position = () =>
      page
        .getByTestId('image-viewport')
        .evaluate(
          (el) =>
            `${Number(el.getAttribute('data-image-index')) + 1} / ${el.getAttribute('data-image-count')}`,
        );
    await expect.poll(position).toBe('1 / 3');
    // Something was drawn: the viewport's canvas has non-black pixels.
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector(
        '[data-testid="image-viewport"] canvas',
      ) as HTMLCanvasElement | null;
      if (!canvas) return 0;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 30) lit++;
      return lit;
    });
    expect(drawn).toBeGreaterThan(1000);

    // In-app navigation to the plain /studies/<uid> form (no reload) reaches the viewer too.
    const mr = accepted.find((a) => a.file === 'dicom/mr/MR_small.dcm');
    expect(mr, 'MR_small was stored').toBeDefined();
    await page.evaluate((uid) => {
      window.history.pushState(null, '', `/studies/${uid}`);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, mr!.study);
    await viewerSettled(page);
    await expect.poll(position).toMatch(/^1 \/ [1-9]\d*$/);

    // A study that is not there (or not visible to the user) ends in the error state, with the reason.
    await page.goto(`${platform.url}/studies/1.2.826.0.1.3680043.99999.1/`);
    await page.locator('[data-testid="image-viewport"][data-state="error"]').waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('image-error').textContent())?.trim()).toBeTruthy();
  });
});
