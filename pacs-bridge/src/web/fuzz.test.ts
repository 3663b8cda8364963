// Fuzzing STOW-RS: ≥2,000 mutated files (truncations at many offsets, seeded random byte flips, absurd
// length fields) each in its own request. Every base file is stored first, so any mutation that still
// parses keeps its SOP Instance UID with different bytes and must be a conflict — every request is a
// 4xx, the server stays up, and the index and files on disk do not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import type { EmbeddedStore } from '../store/embedded/embedded-store.js';
import { startTestBridge, stow, type TestBridge } from './test-server.js';

const BASES = [
  'dicom/ct/CT_small.dcm',
  'dicom/transfer-syntax/pydicom/MR_small_RLE.dcm',
  'dicom/transfer-syntax/pydicom/SC_rgb_jpeg_dcmtk.dcm',
  'dicom/transfer-syntax/pydicom/image_dfl.dcm',
  'dicom/transfer-syntax/pydicom/JPEG2000.dcm',
  'dicom/transfer-syntax/pydicom/JPGExtended.dcm',
  'dicom/ct-series/pydicom-CT5N/2062.dcm',
];

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutations(bases: Buffer[], count: number, seed: number): Array<{ kind: string; bytes: Buffer }> {
  const rand = prng(seed);
  const out: Array<{ kind: string; bytes: Buffer }> = [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  while (out.length < count) {
    const base = pick(bases);
    const kind = out.length % 3;
    if (kind === 0) {
      // Truncation: dense near the header (where structure lives), then anywhere.
      const at =
        rand() < 0.5 ? Math.floor(rand() * Math.min(base.length, 1024)) : Math.floor(rand() * base.length);
      out.push({ kind: 'truncate', bytes: base.subarray(0, at) });
    } else if (kind === 1) {
      const bytes = Buffer.from(base);
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips; i++) {
        const at =
          rand() < 0.6
            ? 128 + Math.floor(rand() * Math.min(bytes.length - 128, 2048))
            : Math.floor(rand() * bytes.length);
        bytes[at] = bytes[at]! ^ (1 + Math.floor(rand() * 255));
      }
      out.push({ kind: 'flip', bytes });
    } else {
      // An absurd length: overwrite a 16- or 32-bit field at a plausible element-header position.
      const bytes = Buffer.from(base);
      const at = 132 + 2 * Math.floor(rand() * Math.min((bytes.length - 140) / 2, 1500));
      const huge = pick([0xffffffff, 0xfffffff0, 0x7fffffff, 0x00ffffff, bytes.length * 2]);
      if (rand() < 0.5) bytes.writeUInt32LE(huge >>> 0, at);
      else bytes.writeUInt16LE(0xffff, at);
      out.push({ kind: 'length', bytes });
    }
  }
  return out.filter((m) => !bases.some((b) => b.equals(m.bytes)));
}

describe('STOW-RS fuzz', () => {
  let t: TestBridge;
  const fixtures = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
  const bases = BASES.map((p) => fixtures.get(p)!);

  beforeAll(async () => {
    t = await startTestBridge();
  });
  afterAll(async () => t.close());

  it('answers ≥2,000 mutated inputs with a 4xx each and leaves the store unchanged', async () => {
    for (const b of bases) expect((await stow(t.url, 'nurse-zhao', [{ bytes: b }])).status).toBe(200);
    const store = t.bridge.store as EmbeddedStore;
    const rowsBefore = store.instanceCount();
    const filesBefore = await store.listFiles();
    const inputs = mutations(bases, 2100, 20240611);
    expect(inputs.length).toBeGreaterThanOrEqual(2000);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const m = inputs[next++]!;
        const res = await stow(t.url, 'nurse-zhao', [{ bytes: m.bytes }]);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status < 400 || res.status >= 500) {
          throw new Error(`${m.kind} mutation got ${res.status}: ${res.text.slice(0, 300)}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect([...statuses.keys()].every((s) => s === 400 || s === 409)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(store.instanceCount()).toBe(rowsBefore);
    expect(await store.listFiles()).toEqual(filesBefore);
  }, 120_000);
});
