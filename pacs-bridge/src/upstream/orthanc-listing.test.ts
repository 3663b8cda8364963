// Listing a series through Orthanc: the bridge answers from its own records when it sent every
// instance Orthanc lists (no attribute query, which makes Orthanc read each file), but Orthanc stays
// the source of truth — an instance that reached Orthanc another way, or left it, shows in the list.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceRecord } from '../api.js';
import { FIXTURES_DIR } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { startOrthanc, type OrthancInstance } from '../testing/orthanc.js';
import { createOrthancStore } from './orthanc.js';
import type { UpstreamStore } from './upstream-store.js';

const files = ['2062', '2392', '2693', '3023'].map((n) =>
  readFileSync(`${FIXTURES_DIR}dicom/ct-series/pydicom-CT5N/${n}.dcm`),
);
const records = files.map((bytes) => {
  const v = validatePart10(bytes);
  if (!v.ok) throw new Error(v.reason);
  return { ...v.record, institutionId: 'township-clinic' } as InstanceRecord;
});
const { studyInstanceUid: study, seriesInstanceUid: series } = records[0]!;
const uids = (rs: InstanceRecord[]) => rs.map((r) => r.sopInstanceUid).sort();

describe('Orthanc listing', () => {
  let orthanc: OrthancInstance;
  let store: UpstreamStore;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    store = await createOrthancStore({
      url: orthanc.url,
      username: orthanc.username!,
      password: orthanc.password!,
      indexPath: ':memory:',
    });
    for (let i = 0; i < 3; i++) expect((await store.put(files[i]!, records[i]!)).status).toBe('stored');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await orthanc?.close();
  });

  it('lists what the bridge sent, with the records it validated, in instance order', async () => {
    const listed = await store.instances(study, series);
    expect(listed).toEqual([...records.slice(0, 3)].sort((a, b) => a.instanceNumber! - b.instanceNumber!));
    expect(uids(await store.instances(study))).toEqual(uids(records.slice(0, 3)));
  });

  it('includes an instance stored in Orthanc directly, and drops one deleted there', async () => {
    const direct = await orthanc.request('/instances', { method: 'POST', body: files[3]! });
    expect(direct.ok).toBe(true);
    expect(uids(await store.instances(study, series))).toEqual(uids(records));
    const { ID } = (await direct.json()) as { ID: string };
    const gone = records[0]!;
    const lookup = (await (
      await orthanc.request('/tools/lookup', { method: 'POST', body: gone.sopInstanceUid })
    ).json()) as Array<{ ID: string; Type: string }>;
    await orthanc.request(`/instances/${lookup.find((h) => h.Type === 'Instance')!.ID}`, {
      method: 'DELETE',
    });
    await orthanc.request(`/instances/${ID}`, { method: 'DELETE' });
    expect(uids(await store.instances(study, series))).toEqual(uids(records.slice(1, 3)));
  });
});
