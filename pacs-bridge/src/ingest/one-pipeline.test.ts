// The three doors (STOW-RS, C-STORE, browser upload) share one pipeline: the same validation, the same
// store, the same audit and the same live events, whichever one an instance came through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyEvents } from '../api.js';
import { cStore } from '../dimse/index.js';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { auth, getJson, startTestBridge, stow, type TestBridge } from '../web/test-server.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));

describe('one ingest pipeline for every door', () => {
  let t: TestBridge;
  const events: Array<StudyEvents['instanceAdded'][0]> = [];

  beforeAll(async () => {
    // The demo AE access makes any calling AE the township clinic — nurse-zhao's institution.
    t = await startTestBridge({ dimse: { host: '127.0.0.1', port: 0 } });
    t.bridge.events.on('instanceAdded', (e) => events.push(e));
  });
  afterAll(async () => t.close());

  it('C-STORE, STOW-RS and upload land in one store, visible to the same clinic, each audited', async () => {
    const viaDimse = fx.get('dicom/ct-series/pydicom-CT5N/2062.dcm')!;
    const viaStow = fx.get('dicom/ct-series/pydicom-CT5N/2392.dcm')!;
    const viaUpload = fx.get('dicom/ct-series/pydicom-CT5N/2693.dcm')!;
    const dimse = t.bridge.dimse!;
    const sent = await cStore(
      {
        host: '127.0.0.1',
        port: dimse.port,
        calledAe: dimse.aeTitle,
        callingAe: 'CLINIC_CT',
        timeoutMs: 20_000,
      },
      [viaDimse],
    );
    expect(sent.results.map((r) => r.status)).toEqual([0]);
    expect((await stow(t.url, 'nurse-zhao', [{ bytes: viaStow }])).status).toBe(200);
    const created = await fetch(`${t.url}/api/uploads`, {
      method: 'POST',
      headers: { ...auth('nurse-zhao'), 'content-type': 'application/json' },
      body: JSON.stringify({ size: viaUpload.length }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`${t.url}/api/uploads/${id}/parts/1`, {
      method: 'PUT',
      headers: auth('nurse-zhao'),
      body: viaUpload,
    });
    expect(
      (await fetch(`${t.url}/api/uploads/${id}/complete`, { method: 'POST', headers: auth('nurse-zhao') }))
        .status,
    ).toBe(200);

    const r = validatePart10(viaDimse);
    if (!r.ok) throw new Error(r.reason);
    const instances = await getJson(
      `${t.url}/dicomweb/studies/${r.record.studyInstanceUid}/instances`,
      'nurse-zhao',
    );
    expect(instances.json).toHaveLength(3);
    expect(events.map((e) => e.counts.instances)).toEqual([1, 2, 3]);
    const audit = t.bridge.audit
      .query({ studyInstanceUid: r.record.studyInstanceUid })
      .filter((e) => e.action === 'store');
    expect(audit.map((e) => e.role)).toEqual(['modality', 'clinician', 'clinician']);
    expect(audit[0]!.source).toMatch(/AE CLINIC_CT/);
  });

  it('a malformed file sent over C-STORE gets a failure status and is not stored', async () => {
    const bad = fx.get('dicom/malformed/badVR.dcm')!;
    const dimse = t.bridge.dimse!;
    const before = (await t.bridge.store.query({ level: 'instance', match: {}, includeFields: [] })).length;
    const sent = await cStore(
      {
        host: '127.0.0.1',
        port: dimse.port,
        calledAe: dimse.aeTitle,
        callingAe: 'CLINIC_CT',
        timeoutMs: 20_000,
      },
      [bad],
    );
    expect(sent.results[0]!.status).not.toBe(0);
    expect((await t.bridge.store.query({ level: 'instance', match: {}, includeFields: [] })).length).toBe(
      before,
    );
  });
});
