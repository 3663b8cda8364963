import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceRecord } from '../../api.js';
import { dicomFixtures } from '../../dicom/test-fixtures.js';
import { validatePart10 } from '../../dicom/validate.js';
import { createEmbeddedStore, type EmbeddedStore } from './embedded-store.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
function record(path: string, institutionId = 'township-clinic'): { bytes: Buffer; record: InstanceRecord } {
  const bytes = fx.get(path)!;
  const v = validatePart10(bytes);
  if (!v.ok) throw new Error(v.reason);
  return { bytes, record: { ...v.record, institutionId } };
}

describe('embedded store', () => {
  let dir: string;
  let store: EmbeddedStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-store-'));
    store = await createEmbeddedStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes <study>/<series>/<sop>.dcm and indexes it', async () => {
    const { bytes, record: r } = record('dicom/mr/MR_small.dcm');
    expect(await store.put(bytes, r)).toMatchObject({ status: 'stored' });
    const path = join(dir, 'dicom', r.studyInstanceUid, r.seriesInstanceUid, `${r.sopInstanceUid}.dcm`);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(await store.find(r.sopInstanceUid)).toMatchObject({
      sha256: r.sha256,
      patientName: r.patientName,
      institutionId: 'township-clinic',
    });
    const chunks: Buffer[] = [];
    for await (const c of (await store.open(r.sopInstanceUid))!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('same bytes → duplicate; other bytes under the same SOP Instance UID → conflict, never overwritten', async () => {
    const a = record('dicom/mr/MR_small.dcm');
    const b = record('dicom/transfer-syntax/pydicom/MR_small_RLE.dcm');
    expect(b.record.sopInstanceUid).toBe(a.record.sopInstanceUid);
    await store.put(a.bytes, a.record);
    expect((await store.put(a.bytes, a.record)).status).toBe('duplicate');
    expect(await store.put(b.bytes, b.record)).toMatchObject({
      status: 'conflict',
      reason: expect.stringMatching(/different content/),
    });
    const chunks: Buffer[] = [];
    for await (const c of (await store.open(a.record.sopInstanceUid))!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(a.bytes)).toBe(true);
    expect(store.instanceCount()).toBe(1);
  });

  it('serialises concurrent sends of one SOP Instance UID: one stored, the rest duplicate/conflict', async () => {
    const a = record('dicom/mr/MR_small.dcm');
    const b = record('dicom/transfer-syntax/pydicom/MR_small_bigendian.dcm');
    const outcomes = await Promise.all([a, b, a, b, a].map((x) => store.put(x.bytes, x.record)));
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(1);
    expect(store.instanceCount()).toBe(1);
    expect(await store.listFiles()).toHaveLength(1);
  });

  it('a crash mid-write leaves only a temp file, which the next start sweeps; no index row appears', async () => {
    const { record: r } = record('dicom/ct/CT_small.dcm');
    await store.close();
    const seriesDir = join(dir, 'dicom', r.studyInstanceUid, r.seriesInstanceUid);
    mkdirSync(seriesDir, { recursive: true });
    const temp = join(seriesDir, `${r.sopInstanceUid}.dcm.abcdef123456.partial`);
    writeFileSync(temp, Buffer.alloc(100));
    store = await createEmbeddedStore({ dataDir: dir });
    expect(existsSync(temp)).toBe(false);
    expect(store.instanceCount()).toBe(0);
    expect(await store.find(r.sopInstanceUid)).toBeNull();
  });

  it('a crash between rename and index leaves an invisible file that a resend completes', async () => {
    const { bytes, record: r } = record('dicom/ct/CT_small.dcm');
    const seriesDir = join(dir, 'dicom', r.studyInstanceUid, r.seriesInstanceUid);
    mkdirSync(seriesDir, { recursive: true });
    writeFileSync(join(seriesDir, `${r.sopInstanceUid}.dcm`), bytes);
    expect(await store.find(r.sopInstanceUid)).toBeNull();
    expect(await store.query({ level: 'study', match: {}, includeFields: [] })).toEqual([]);
    expect((await store.put(bytes, r)).status).toBe('stored');
    expect(store.instanceCount()).toBe(1);
  });

  it('lists a study in series/instance order and counts', async () => {
    for (const n of ['2392', '2062', '3353', '2693', '3023']) {
      const x = record(`dicom/ct-series/pydicom-CT5N/${n}.dcm`);
      await store.put(x.bytes, x.record);
    }
    const any = record('dicom/ct-series/pydicom-CT5N/2062.dcm').record;
    const list = await store.instances(any.studyInstanceUid);
    const numbers = list.map((r) => r.instanceNumber ?? 0);
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(store.counts(any.studyInstanceUid, any.seriesInstanceUid)).toEqual({
      series: 1,
      instances: 5,
      seriesInstances: 5,
    });
    expect(store.studyInstitution(any.studyInstanceUid)).toBe('township-clinic');
  });

  it('applies institution and share filters to queries', async () => {
    const a = record('dicom/mr/MR_small.dcm', 'clinic-a');
    const b = record('dicom/ct/CT_small.dcm', 'clinic-b');
    await store.put(a.bytes, a.record);
    await store.put(b.bytes, b.record);
    const q = (institutions?: string[], sharedStudies?: string[]) =>
      store.query({
        level: 'study',
        match: {},
        includeFields: [],
        ...(institutions ? { institutions } : {}),
        ...(sharedStudies ? { sharedStudies } : {}),
      });
    expect(await q()).toHaveLength(2);
    expect(await q(['clinic-a'])).toHaveLength(1);
    expect(await q([], [])).toHaveLength(0);
    expect(await q([], [b.record.studyInstanceUid])).toHaveLength(1);
  });
});
