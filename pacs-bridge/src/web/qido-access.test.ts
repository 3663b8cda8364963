import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyEvents } from '../api.js';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { auth, getBytes, getJson, startTestBridge, stow, type TestBridge } from './test-server.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
const rec = (path: string) => {
  const v = validatePart10(fx.get(path)!);
  if (!v.ok) throw new Error(v.reason);
  return v.record;
};
const CT3 = ['01', '02', '03'].map((n) => `dicom/ct-series/dcmqi-ct-3slice/${n}.dcm`);
const CT5 = ['2062', '2392', '2693'].map((n) => `dicom/ct-series/pydicom-CT5N/${n}.dcm`);
const MR = 'dicom/mr/MR_small.dcm';
const CT_SMALL = 'dicom/ct/CT_small.dcm';
const uidsOf = (json: Array<Record<string, { Value?: unknown[] }>>, tag = '0020000D') =>
  json.map((j) => j[tag]?.Value?.[0]).sort();

describe('QIDO-RS matching and access control', () => {
  let t: TestBridge;
  const events: Array<StudyEvents['instanceAdded'][0]> = [];
  const rooms: Record<string, string[]> = { 'dr-chen': ['room-1'] };

  beforeAll(async () => {
    t = await startTestBridge({ roomsOf: (user) => rooms[user] ?? [] });
    t.bridge.events.on('instanceAdded', (e) => events.push(e));
    for (const p of [...CT3.slice(0, 2), ...CT5, MR]) {
      expect((await stow(t.url, 'nurse-zhao', [{ bytes: fx.get(p)! }])).status).toBe(200);
    }
    expect((await stow(t.url, 'dr-other', [{ bytes: fx.get(CT_SMALL)! }])).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('emits instanceAdded with running counts', () => {
    const ct3 = events.filter((e) => e.studyInstanceUid === rec(CT3[0]!).studyInstanceUid);
    expect(ct3.map((e) => [e.newStudy, e.newSeries, e.counts.instances, e.counts.seriesInstances])).toEqual([
      [true, true, 1, 1],
      [false, false, 2, 2],
    ]);
    expect(ct3[0]!.modality).toBe('CT');
  });

  it('401 without a valid token, before any route', async () => {
    expect((await fetch(`${t.url}/dicomweb/studies`)).status).toBe(401);
    expect((await fetch(`${t.url}/dicomweb/studies`, { headers: auth('nobody') })).status).toBe(401);
    expect((await fetch(`${t.url}/api/uploads/x`)).status).toBe(401);
  });

  it('a clinician sees their institution only; the other clinic sees its own', async () => {
    const mine = await getJson(`${t.url}/dicomweb/studies`, 'nurse-zhao');
    expect(mine.status).toBe(200);
    expect(uidsOf(mine.json)).toEqual(
      [rec(CT3[0]!), rec(CT5[0]!), rec(MR)].map((r) => r.studyInstanceUid).sort(),
    );
    const theirs = await getJson(`${t.url}/dicomweb/studies`, 'dr-other');
    expect(uidsOf(theirs.json)).toEqual([rec(CT_SMALL).studyInstanceUid]);
    const admin = await getJson(`${t.url}/dicomweb/studies`, 'admin');
    expect(admin.json).toHaveLength(4);
  });

  it('another clinic gets 404 for a study it may not see, at every WADO level', async () => {
    const r = rec(CT3[0]!);
    const base = `${t.url}/dicomweb/studies/${r.studyInstanceUid}`;
    for (const url of [
      base,
      `${base}/metadata`,
      `${base}/series/${r.seriesInstanceUid}`,
      `${base}/series/${r.seriesInstanceUid}/instances/${r.sopInstanceUid}/frames/1`,
    ]) {
      expect((await getBytes(url, 'dr-other')).status, url).toBe(404);
    }
    expect((await getJson(`${base}/series`, 'dr-other')).json).toEqual([]);
    const audit = t.bridge.audit.query({ userId: 'dr-other', studyInstanceUid: r.studyInstanceUid });
    expect(audit.some((e) => e.action === 'retrieve' && e.result === 'denied')).toBe(true);
  });

  it('another clinic cannot add instances to a study it does not own (403, 0x0124)', async () => {
    const res = await stow(t.url, 'dr-other', [{ bytes: fx.get(CT3[2]!)! }]);
    expect(res.status).toBe(403);
    expect(res.json!['00081198']!.Value![0]!['00081197']!.Value).toEqual([0x0124]);
    expect(
      (await getJson(`${t.url}/dicomweb/studies/${rec(CT3[0]!).studyInstanceUid}/instances`, 'nurse-zhao'))
        .json,
    ).toHaveLength(2);
  });

  it('a specialist sees only what was shared with them or their consult room', async () => {
    expect((await getJson(`${t.url}/dicomweb/studies`, 'dr-wang')).json).toEqual([]);
    const ct = rec(CT3[0]!);
    t.bridge.access.share(ct.studyInstanceUid, { userId: 'dr-wang' }, 'nurse-zhao');
    expect(uidsOf((await getJson(`${t.url}/dicomweb/studies`, 'dr-wang')).json)).toEqual([
      ct.studyInstanceUid,
    ]);
    expect((await getBytes(`${t.url}/dicomweb/studies/${ct.studyInstanceUid}`, 'dr-wang')).status).toBe(200);
    expect((await getBytes(`${t.url}/dicomweb/studies/${ct.studyInstanceUid}`, 'dr-chen')).status).toBe(404);
    const mr = rec(MR);
    t.bridge.access.share(mr.studyInstanceUid, { roomId: 'room-1' });
    expect(uidsOf((await getJson(`${t.url}/dicomweb/studies`, 'dr-chen')).json)).toEqual([
      mr.studyInstanceUid,
    ]);
    expect(t.bridge.access.shares.roomsFor(mr.studyInstanceUid)).toEqual(['room-1']);
  });

  it('matches PatientName with wildcards, case-insensitively, and PatientID exactly', async () => {
    const mr = rec(MR);
    const family = mr.patientName!.split('^')[0]!;
    const q = (params: string) => getJson(`${t.url}/dicomweb/studies?${params}`, 'nurse-zhao');
    expect(uidsOf((await q(`PatientName=${encodeURIComponent(family.toLowerCase())}*`)).json)).toEqual([
      mr.studyInstanceUid,
    ]);
    expect(
      uidsOf(
        (
          await q(
            `PatientName=${encodeURIComponent(family.slice(0, 2).toUpperCase())}?${encodeURIComponent(family.slice(3))}*`,
          )
        ).json,
      ),
    ).toEqual([mr.studyInstanceUid]);
    expect((await q(`PatientName=${encodeURIComponent(family.toLowerCase())}`)).json).toEqual([]);
    expect(uidsOf((await q(`PatientID=${encodeURIComponent(mr.patientId!)}`)).json)).toContain(
      mr.studyInstanceUid,
    );
    expect((await q('PatientID=no-such-id')).json).toEqual([]);
  });

  it('matches StudyDate single dates and ranges', async () => {
    const ct = rec(CT3[0]!);
    const d = ct.studyDate!;
    const next = String(Number(d) + 1);
    const prev = String(Number(d) - 1);
    const has = async (v: string) =>
      uidsOf((await getJson(`${t.url}/dicomweb/studies?StudyDate=${v}`, 'nurse-zhao')).json).includes(
        ct.studyInstanceUid,
      );
    expect(await has(d)).toBe(true);
    expect(await has(`${prev}-${next}`)).toBe(true);
    expect(await has(`${d}-`)).toBe(true);
    expect(await has(`-${d}`)).toBe(true);
    expect(await has(`${next}-`)).toBe(false);
    expect(await has(`-${prev}`)).toBe(false);
    expect((await getJson(`${t.url}/dicomweb/studies?StudyDate=2020-01-01`, 'nurse-zhao')).status).toBe(400);
  });

  it('ModalitiesInStudy, AccessionNumber, StudyInstanceUID and computed counts', async () => {
    const res = await getJson(`${t.url}/dicomweb/studies?ModalitiesInStudy=MR`, 'nurse-zhao');
    expect(uidsOf(res.json)).toEqual([rec(MR).studyInstanceUid]);
    const ct5 = rec(CT5[0]!);
    const one = await getJson(
      `${t.url}/dicomweb/studies?StudyInstanceUID=${ct5.studyInstanceUid}`,
      'nurse-zhao',
    );
    expect(one.json).toHaveLength(1);
    const study = one.json[0]!;
    expect(study['00201206']!.Value).toEqual([1]);
    expect(study['00201208']!.Value).toEqual([3]);
    expect(study['00080061']!.Value).toEqual(['CT']);
    expect(String(study['00081190']!.Value![0])).toMatch(
      new RegExp(`/dicomweb/studies/${ct5.studyInstanceUid}$`),
    );
    if (ct5.accessionNumber) {
      expect(
        uidsOf(
          (await getJson(`${t.url}/dicomweb/studies?AccessionNumber=${ct5.accessionNumber}`, 'nurse-zhao'))
            .json,
        ),
      ).toContain(ct5.studyInstanceUid);
    }
  });

  it('series and instance levels, Modality, SOPInstanceUID, limit/offset and includefield', async () => {
    const ct5 = rec(CT5[0]!);
    const series = await getJson(`${t.url}/dicomweb/studies/${ct5.studyInstanceUid}/series`, 'nurse-zhao');
    expect(series.json).toHaveLength(1);
    expect(series.json[0]!['00201209']!.Value).toEqual([3]);
    expect((await getJson(`${t.url}/dicomweb/series?Modality=MR`, 'nurse-zhao')).json).toHaveLength(1);
    const all = await getJson(
      `${t.url}/dicomweb/studies/${ct5.studyInstanceUid}/series/${ct5.seriesInstanceUid}/instances`,
      'nurse-zhao',
    );
    expect(all.json).toHaveLength(3);
    const page1 = await getJson(
      `${t.url}/dicomweb/instances?limit=2&offset=0&StudyInstanceUID=${ct5.studyInstanceUid}`,
      'nurse-zhao',
    );
    const page2 = await getJson(
      `${t.url}/dicomweb/instances?limit=2&offset=2&StudyInstanceUID=${ct5.studyInstanceUid}`,
      'nurse-zhao',
    );
    expect([...uidsOf(page1.json, '00080018'), ...uidsOf(page2.json, '00080018')].sort()).toEqual(
      uidsOf(all.json, '00080018'),
    );
    expect(page2.json).toHaveLength(1);
    const bySop = await getJson(
      `${t.url}/dicomweb/instances?SOPInstanceUID=${ct5.sopInstanceUid}`,
      'nurse-zhao',
    );
    expect(uidsOf(bySop.json, '00080018')).toEqual([ct5.sopInstanceUid]);
    const plain = await getJson(`${t.url}/dicomweb/series?Modality=CT`, 'nurse-zhao');
    expect(plain.json[0]!['00081030']).toBeUndefined();
    const withDesc = await getJson(
      `${t.url}/dicomweb/series?Modality=CT&includefield=StudyDescription`,
      'nurse-zhao',
    );
    expect(withDesc.json[0]!['00081030']).toBeDefined();
    const everything = await getJson(`${t.url}/dicomweb/series?includefield=all`, 'nurse-zhao');
    expect(everything.json[0]!['00100010']).toBeDefined();
  });

  it('bad parameters are a 400 with a reason', async () => {
    for (const qs of [
      'limit=-1',
      'limit=abc',
      'NotAKeyword=1',
      'includefield=Nope',
      'fuzzymatching=maybe',
      'StudyInstanceUID=1.2.x',
    ]) {
      const res = await fetch(`${t.url}/dicomweb/studies?${qs}`, { headers: auth('nurse-zhao') });
      expect(res.status, qs).toBe(400);
      expect((await res.json()).reason, qs).toBeTruthy();
    }
  });

  it('audits queries and retrievals without patient data', () => {
    const entries = t.bridge.audit.query({ userId: 'nurse-zhao' });
    expect(entries.some((e) => e.action === 'query')).toBe(true);
    expect(entries.some((e) => e.action === 'store' && e.result === 'ok')).toBe(true);
    const name = rec(MR).patientName!;
    expect(JSON.stringify(t.bridge.audit.query({ limit: 10_000 }))).not.toContain(name.split('^')[0]!);
  });
});

describe('GET /api/audit', () => {
  it('is for admins only and filters by study and user', async () => {
    const t = await startTestBridge();
    try {
      const bytes = fx.get(MR)!;
      expect((await stow(t.url, 'nurse-zhao', [{ bytes }])).status).toBe(200);
      expect((await fetch(`${t.url}/api/audit`, { headers: auth('nurse-zhao') })).status).toBe(403);
      const res = await fetch(`${t.url}/api/audit?study=${rec(MR).studyInstanceUid}&user=nurse-zhao`, {
        headers: auth('admin'),
      });
      const entries = (await res.json()) as Array<{
        action: string;
        userId: string;
        result: string;
        hash: string;
      }>;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'store', userId: 'nurse-zhao', result: 'ok' });
      expect((await fetch(`${t.url}/api/audit?limit=x`, { headers: auth('admin') })).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
