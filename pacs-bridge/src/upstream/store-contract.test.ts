// One ingest/query/retrieve suite, run against every StudyStore: the embedded default and the
// real PACS upstreams (Orthanc over REST, STOW-RS, DIMSE C-STORE/C-FIND, and plain DICOMweb via
// Orthanc's plugin). Real Orthanc, started per backend on loopback by the test harness.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceRecord, StudyStore } from '../api.js';
import { readFileMeta } from '../dicom/file-meta.js';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { createEmbeddedStore } from '../store/embedded/embedded-store.js';
import { freePort } from '../testing/free-port.js';
import { startOrthanc, type OrthancInstance } from '../testing/orthanc.js';
import { createDicomWebStore } from './dicomweb-store.js';
import { startDimseServer } from '../dimse/index.js';
import { MoveReceiver } from './move-receiver.js';
import { createOrthancStore } from './orthanc.js';

interface Item {
  path: string;
  bytes: Buffer;
  record: InstanceRecord;
}

const HOSPITAL = 'county-hospital';
const CLINIC = 'township-clinic';
/** One study goes in as the hospital's, the rest as the clinic's: enough to test scoping. */
const HOSPITAL_STUDY_FILE = 'dicom/ct-series/dcmqi-ct-3slice/01.dcm';

const items: Item[] = [];
for (const f of dicomFixtures()) {
  const v = validatePart10(f.bytes);
  if (v.ok) items.push({ path: f.path, bytes: f.bytes, record: { ...v.record, institutionId: CLINIC } });
}
const hospitalStudy = items.find((i) => i.path === HOSPITAL_STUDY_FILE)!.record.studyInstanceUid;
for (const i of items) if (i.record.studyInstanceUid === hospitalStudy) i.record.institutionId = HOSPITAL;
// The corpus holds one image in many transfer syntaxes under one SOP Instance UID: the first file
// of each UID is "the" instance, the others must come back as conflicts.
const firstBySop = new Map<string, Item>();
for (const i of items)
  if (!firstBySop.has(i.record.sopInstanceUid)) firstBySop.set(i.record.sopInstanceUid, i);
const originals = [...firstBySop.values()];
const variants = items.filter((i) => firstBySop.get(i.record.sopInstanceUid) !== i);
/** Orthanc 1.10 (DCMTK 3.6.7) does not know the HTJ2K transfer syntaxes and refuses those files. */
const isHtj2k = (i: Item): boolean => i.record.transferSyntaxUid.startsWith('1.2.840.10008.1.2.4.20');
/** An odd-length dataset (dx_image.dcm's pixel data) is not valid on the wire: our SCU refuses it. */
const isOddLength = (i: Item): boolean => {
  const meta = readFileMeta(i.bytes);
  return (
    meta.ok &&
    (i.bytes.length - meta.meta.end) % 2 === 1 &&
    i.record.transferSyntaxUid !== '1.2.840.10008.1.2.1.99'
  );
};

interface Backend {
  name: string;
  orthanc: boolean;
  /** Instances this backend must refuse (with an error naming why). */
  refuses: (i: Item) => boolean;
  /** Retrieval returns the stored file byte for byte (not so when Orthanc received it over DIMSE). */
  byteExact: boolean;
  make(): Promise<{ store: StudyStore; stop(): Promise<void> }>;
}

interface OurAe {
  aeTitle: string;
  port: number;
  /** Deliveries of C-MOVEs from Orthanc to our SCP. */
  moveReceiver: MoveReceiver;
}

/**
 * A fresh Orthanc that knows our AE, and our DIMSE SCP at that AE's port — it only takes the
 * C-STOREs of C-MOVEs from Orthanc (no other calling AE is accepted).
 */
async function withOrthanc(
  build: (o: OrthancInstance, ae: OurAe) => Promise<StudyStore>,
): Promise<{ store: StudyStore; stop(): Promise<void> }> {
  const port = await freePort();
  const orthanc = await startOrthanc({
    modalities: { telemed: { aeTitle: 'TELEMED', host: '127.0.0.1', port } },
  });
  const ae: OurAe = { aeTitle: 'TELEMED', port, moveReceiver: new MoveReceiver(orthanc.aeTitle) };
  const scp = await startDimseServer({
    host: '127.0.0.1',
    port,
    ingestor: { ingest: async () => ({ status: 'denied', reason: 'not in this test' }) },
    store: {} as StudyStore,
    audit: { append: () => undefined },
    aeAccess: () => null,
    upstreamMoveTarget: ae.moveReceiver,
  });
  const store = await build(orthanc, ae);
  return {
    store,
    stop: async () => {
      await store.close();
      await scp.close();
      await orthanc.close();
    },
  };
}

const orthancStore =
  (
    storeVia: 'rest' | 'stow' | 'dimse',
    queryVia: 'qido' | 'dimse',
    retrieveVia: 'rest' | 'c-move' = 'rest',
  ) =>
  (o: OrthancInstance, ae: OurAe) =>
    createOrthancStore({
      url: o.url,
      username: o.username!,
      password: o.password!,
      indexPath: ':memory:',
      storeVia,
      queryVia,
      retrieveVia,
      moveReceiver: ae.moveReceiver,
      dimse: {
        host: '127.0.0.1',
        port: o.dicomPort,
        calledAe: o.aeTitle,
        callingAe: ae.aeTitle,
        timeoutMs: 30_000,
      },
    });

const BACKENDS: Backend[] = [
  {
    name: 'embedded',
    orthanc: false,
    refuses: () => false,
    byteExact: true,
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'telemed-embedded-'));
      const store = await createEmbeddedStore({ dataDir: dir });
      return {
        store,
        stop: async () => (await store.close(), await rm(dir, { recursive: true, force: true })),
      };
    },
  },
  {
    name: 'orthanc (REST + QIDO-RS)',
    orthanc: true,
    refuses: isHtj2k,
    byteExact: true,
    make: () => withOrthanc(orthancStore('rest', 'qido')),
  },
  {
    name: 'orthanc (STOW-RS + QIDO-RS)',
    orthanc: true,
    refuses: isHtj2k,
    byteExact: true,
    make: () => withOrthanc(orthancStore('stow', 'qido')),
  },
  {
    name: 'orthanc (C-STORE + C-FIND + C-MOVE)',
    orthanc: true,
    refuses: (i) => isHtj2k(i) || isOddLength(i),
    byteExact: false,
    make: () => withOrthanc(orthancStore('dimse', 'dimse', 'c-move')),
  },
  {
    name: 'generic DICOMweb (Orthanc plugin: STOW/QIDO/WADO-RS)',
    orthanc: true,
    refuses: isHtj2k,
    byteExact: true,
    make: () =>
      withOrthanc(async (o) =>
        createDicomWebStore({
          url: o.url,
          root: o.dicomWebRoot,
          username: o.username!,
          password: o.password!,
          indexPath: ':memory:',
        }),
      ),
  },
];

async function readAll(stream: NodeJS.ReadableStream | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe.each(BACKENDS)('StudyStore contract: $name', (backend) => {
  let store: StudyStore;
  let stop: () => Promise<void>;
  const stored: Item[] = [];

  beforeAll(async () => {
    ({ store, stop } = await backend.make());
  }, 60_000);
  afterAll(() => stop?.(), 30_000);

  it('stores every valid instance once (Orthanc refuses HTJ2K; DIMSE refuses odd lengths)', async () => {
    for (const item of originals) {
      if (backend.refuses(item)) {
        await expect(store.put(item.bytes, item.record), item.path).rejects.toThrow(/refused/);
        continue;
      }
      const outcome = await store.put(item.bytes, item.record);
      expect({ path: item.path, status: outcome.status }).toEqual({ path: item.path, status: 'stored' });
      stored.push(item);
    }
    expect(stored.length).toBe(originals.filter((i) => !backend.refuses(i)).length);
  }, 120_000);

  it('answers a re-send of the same bytes as a duplicate', async () => {
    for (const item of stored.slice(0, 5))
      expect((await store.put(item.bytes, item.record)).status).toBe('duplicate');
  });

  it('reports different bytes under a stored SOP Instance UID as a conflict and keeps the original', async () => {
    expect(variants.length).toBeGreaterThan(5);
    for (const item of variants) {
      if (!stored.some((s) => s.record.sopInstanceUid === item.record.sopInstanceUid)) continue;
      expect({ path: item.path, status: (await store.put(item.bytes, item.record)).status }).toEqual({
        path: item.path,
        status: 'conflict',
      });
    }
    const original = firstBySop.get(variants[0]!.record.sopInstanceUid)!;
    const back = await readAll(await store.open(original.record.sopInstanceUid));
    if (backend.byteExact) expect(back?.equals(original.bytes)).toBe(true);
    else
      expect(validatePart10(back!)).toMatchObject({
        ok: true,
        record: { sopInstanceUid: original.record.sopInstanceUid },
      });
  }, 60_000);

  it('retrieves every stored instance (byte for byte where the transport keeps bytes)', async () => {
    for (const item of stored) {
      const back = await readAll(await store.open(item.record.sopInstanceUid));
      expect(back, item.path).not.toBeNull();
      if (backend.byteExact)
        expect({ path: item.path, same: back!.equals(item.bytes) }).toEqual({ path: item.path, same: true });
      else {
        const v = validatePart10(back!);
        expect(v.ok && v.record.sopInstanceUid, item.path).toBe(item.record.sopInstanceUid);
      }
    }
    expect(await store.open('1.2.3.4.5.6.7.8.9')).toBeNull();
  }, 60_000);

  it('finds instances by SOP Instance UID, with their institution', async () => {
    const item = stored.find((i) => i.record.institutionId === HOSPITAL)!;
    expect(await store.find(item.record.sopInstanceUid)).toMatchObject({
      sopInstanceUid: item.record.sopInstanceUid,
      studyInstanceUid: hospitalStudy,
      institutionId: HOSPITAL,
    });
    expect(await store.find('1.2.3.4.5.6.7.8.9')).toBeNull();
  });

  it("lists a study's instances in instance-number order", async () => {
    const inStudy = stored.filter((i) => i.record.studyInstanceUid === hospitalStudy);
    const listed = await store.instances(hospitalStudy);
    expect(listed.map((r) => r.sopInstanceUid)).toEqual(
      [...inStudy]
        .sort((a, b) => (a.record.instanceNumber ?? 0) - (b.record.instanceNumber ?? 0))
        .map((i) => i.record.sopInstanceUid),
    );
    const series = inStudy[0]!.record.seriesInstanceUid;
    expect((await store.instances(hospitalStudy, series)).every((r) => r.seriesInstanceUid === series)).toBe(
      true,
    );
  });

  it('answers study queries: exact PatientID, case-insensitive PatientName wildcard, StudyDate range', async () => {
    const ct = stored.find((i) => i.path.endsWith('CT_small.dcm'))!.record;
    const studyUid = (rows: Awaited<ReturnType<StudyStore['query']>>): unknown[] =>
      rows.map((r) => r['0020000D']?.Value?.[0]);
    const byId = await store.query({
      level: 'study',
      match: { PatientID: ct.patientId! },
      includeFields: [],
    });
    expect(studyUid(byId)).toContain(ct.studyInstanceUid);
    const name = ct.patientName!.slice(0, 4).toLowerCase();
    const byName = await store.query({
      level: 'study',
      match: { PatientName: `${name}*` },
      includeFields: [],
    });
    expect(studyUid(byName)).toContain(ct.studyInstanceUid);
    const d = ct.studyDate!;
    const byDate = await store.query({
      level: 'study',
      match: { StudyDate: `${d}-${d}` },
      includeFields: [],
    });
    expect(studyUid(byDate)).toContain(ct.studyInstanceUid);
    expect(byDate.every((r) => r['00080020']?.Value?.[0] === d)).toBe(true);
  });

  it('scopes queries to institutions and shared studies, and pages with limit/offset', async () => {
    const all = await store.query({ level: 'study', match: {}, includeFields: [] });
    const studies = new Set(stored.map((i) => i.record.studyInstanceUid));
    expect(all.length).toBe(studies.size);
    const hospital = await store.query({
      level: 'study',
      match: {},
      includeFields: [],
      institutions: [HOSPITAL],
    });
    expect(hospital.map((r) => r['0020000D']?.Value?.[0])).toEqual([hospitalStudy]);
    const clinicStudy = stored.find((i) => i.record.institutionId === CLINIC)!.record.studyInstanceUid;
    const shared = await store.query({
      level: 'study',
      match: {},
      includeFields: [],
      institutions: [HOSPITAL],
      sharedStudies: [clinicStudy],
    });
    expect(new Set(shared.map((r) => r['0020000D']?.Value?.[0]))).toEqual(
      new Set([hospitalStudy, clinicStudy]),
    );
    const none = await store.query({
      level: 'series',
      studyInstanceUid: clinicStudy,
      match: {},
      includeFields: [],
      institutions: [HOSPITAL],
    });
    expect(none).toEqual([]);
    const page1 = await store.query({
      level: 'study',
      match: {},
      includeFields: [],
      institutions: [CLINIC],
      limit: 2,
      offset: 0,
    });
    const page2 = await store.query({
      level: 'study',
      match: {},
      includeFields: [],
      institutions: [CLINIC],
      limit: 2,
      offset: 2,
    });
    expect(page1).toHaveLength(2);
    expect(page2.length).toBeGreaterThan(0);
    expect(page2.map((r) => r['0020000D']?.Value?.[0])).not.toContain(page1[0]!['0020000D']?.Value?.[0]);
    expect(all.every((r) => !('00081190' in r) || !backend.orthanc)).toBe(true);
  });

  it('answers series and instance queries within a study', async () => {
    const series = await store.query({
      level: 'series',
      studyInstanceUid: hospitalStudy,
      match: {},
      includeFields: [],
    });
    expect(series.map((r) => r['0020000E']?.Value?.[0])).toEqual([
      ...new Set(
        stored
          .filter((i) => i.record.studyInstanceUid === hospitalStudy)
          .map((i) => i.record.seriesInstanceUid),
      ),
    ]);
    const instances = await store.query({
      level: 'instance',
      studyInstanceUid: hospitalStudy,
      match: {},
      includeFields: [],
    });
    expect(instances).toHaveLength(stored.filter((i) => i.record.studyInstanceUid === hospitalStudy).length);
  });
});
