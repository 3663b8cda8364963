// The DIMSE SCP against real dcmtk clients (echoscu, storescu, findscu) and our own SCU. The
// ingestor here records what reaches it and answers like the pipeline would, so these tests pin
// the protocol side: association policy, the exact Part 10 bytes handed to ingest, status codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  DicomJson,
  IngestResult,
  Ingestor,
  Principal,
  QidoQuery,
  StudyStore,
} from '../api.js';
import { readFileMeta, type FileMeta } from '../dicom/file-meta.js';
import { parsePart10 } from '../dicom/part10.js';
import { dicomFixtures, FIXTURES_DIR } from '../dicom/test-fixtures.js';
import { assertDcmtkInstalled, echoscu, findscu, storescu, type DcmtkPeer } from '../testing/dcmtk.js';
import { allowListAeAccess, cEcho, cFind, cStore, startDimseServer, type DimseServer } from './index.js';
import { Status } from './lib.js';

const fixtures = dicomFixtures();
type Audit = Omit<AuditEntry, 'seq' | 'time' | 'prevHash' | 'hash'>;

/** Ingest stand-in: keeps every Part 10 it is given; answers per a rule the test sets. */
class RecordingIngestor implements Ingestor {
  received: Array<{ bytes: Buffer; principal: Principal }> = [];
  answer: (bytes: Buffer) => IngestResult = () => ({ status: 'stored', record: {} as never });
  async ingest(bytes: Buffer, principal: Principal): Promise<IngestResult> {
    this.received.push({ bytes, principal });
    return this.answer(bytes);
  }
}

const STUDY: DicomJson = {
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'TEST^PATIENT' }] },
  '00100020': { vr: 'LO', Value: ['PID-1'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
  '00080020': { vr: 'DA', Value: ['20240102'] },
  '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
  '00201208': { vr: 'IS', Value: [3] },
};

let server: DimseServer;
const ingestor = new RecordingIngestor();
const audits: Audit[] = [];
const queries: QidoQuery[] = [];
const store = {
  kind: 'test',
  async query(q: QidoQuery) {
    queries.push(q);
    return [STUDY];
  },
} as unknown as StudyStore;
let peer: DcmtkPeer;

beforeAll(async () => {
  assertDcmtkInstalled();
  server = await startDimseServer({
    host: '127.0.0.1',
    port: 0,
    ingestor,
    store,
    audit: { append: (e) => audits.push(e) },
    aeAccess: allowListAeAccess([
      { aeTitle: 'CLINIC_CT', institutionId: 'township-clinic' },
      { aeTitle: 'PINNED', institutionId: 'township-clinic', addresses: ['10.9.9.9'] },
    ]),
  });
  peer = { host: '127.0.0.1', port: server.port, calledAe: 'TELEMED', callingAe: 'CLINIC_CT' };
});
afterAll(() => server?.close());

const fixturePath = (path: string): string => `${FIXTURES_DIR}${path}`;

function readFileMetaOk(file: Buffer): FileMeta {
  const meta = readFileMeta(file);
  if (!meta.ok) throw new Error(meta.reason);
  return meta.meta;
}

/** The dataset part of a Part 10 file (after group 0002) and its transfer syntax. */
function dataset(file: Buffer): { bytes: Buffer; syntax: string | undefined } {
  const meta = readFileMeta(file);
  if (!meta.ok) throw new Error(meta.reason);
  return { bytes: file.subarray(meta.meta.end), syntax: meta.meta.transferSyntaxUid };
}

describe('association policy', () => {
  it('answers C-ECHO from an allowed AE and audits it', async () => {
    const { ok } = await echoscu(peer);
    expect(ok).toBe(true);
    expect(audits.at(-1)).toMatchObject({
      action: 'echo',
      result: 'ok',
      userId: 'ae:CLINIC_CT',
      role: 'modality',
    });
  });

  it('rejects an AE that is not on the allow-list, and one calling from the wrong address', async () => {
    for (const callingAe of ['STRANGER', 'PINNED']) {
      const { ok, run } = await echoscu({ ...peer, callingAe });
      expect(ok).toBe(false);
      expect(run.stdout + run.stderr).toMatch(/Association Rejected/i);
      expect(audits.at(-1)).toMatchObject({ result: 'denied', detail: expect.stringMatching(/allow-list/) });
    }
  });

  it('rejects an association addressed to another AE title', async () => {
    const { ok } = await echoscu({ ...peer, calledAe: 'SOMEONE' });
    expect(ok).toBe(false);
    expect(await cEcho({ ...peer, calledAe: 'SOMEONE' })).toMatchObject({ error: 'association rejected' });
  });
});

describe('C-STORE hands ingest a Part 10 file in the transfer syntax the modality sent', () => {
  // dcmtk 3.6.7 does not know the HTJ2K syntaxes, so storescu cannot send those files.
  const sendable = fixtures.filter((f) => !f.malformed && !f.path.includes('htj2k'));
  it.each(sendable.map((f) => [f.path, f] as const))('%s via storescu', async (_path, fixture) => {
    ingestor.received = [];
    const result = await storescu(peer, fixturePath(fixture.path), { ownSyntax: true });
    expect(result).toMatchObject({ outcome: 'sent', status: Status.Success });
    expect(ingestor.received).toHaveLength(1);
    const got = ingestor.received[0]!;
    const parsed = parsePart10(got.bytes);
    expect(parsed.ok && parsed.file.transferSyntax.uid).toBe(fixture.transferSyntaxUid);
    expect(parsed.ok && parsed.file.dataSet.string('x00080018')).toBe(
      readFileMetaOk(fixture.bytes).mediaStorageSopInstanceUid,
    );
    expect(got.principal).toMatchObject({
      via: 'dimse',
      callingAe: 'CLINIC_CT',
      institutionId: 'township-clinic',
    });
  });

  it('keeps every dataset byte for byte when the sender does not re-encode (our SCU, all valid fixtures)', async () => {
    // Our SCU will not put an odd-length dataset on the wire (dx_image.dcm's pixel data is odd).
    const odd = (f: { bytes: Buffer }): boolean =>
      dataset(f.bytes).bytes.length % 2 === 1 && dataset(f.bytes).syntax !== '1.2.840.10008.1.2.1.99';
    const valid = fixtures.filter((f) => !f.malformed && !odd(f));
    const oddOnes = fixtures.filter((f) => !f.malformed && odd(f));
    expect(oddOnes.map((f) => f.path)).toEqual(['dicom/cr-dx/dx_image.dcm']);
    expect(
      (
        await cStore(
          peer,
          oddOnes.map((f) => f.bytes),
        )
      ).results[0],
    ).toMatchObject({ status: -1, comment: expect.stringMatching(/odd-length/) });
    ingestor.received = [];
    const { results, error } = await cStore(
      { ...peer, timeoutMs: 60_000 },
      valid.map((f) => f.bytes),
    );
    expect(error).toBeUndefined();
    expect(results.map((r) => r.status)).toEqual(valid.map(() => Status.Success));
    expect(ingestor.received).toHaveLength(valid.length);
    for (const [i, f] of valid.entries()) {
      const sent = dataset(f.bytes);
      const got = dataset(ingestor.received[i]!.bytes);
      // An odd-length deflated stream travels with the NUL pad PS3.5 A.5 requires.
      const expected = sent.bytes.length % 2 ? Buffer.concat([sent.bytes, Buffer.alloc(1)]) : sent.bytes;
      expect({ path: f.path, syntax: got.syntax, same: got.bytes.equals(expected) }).toEqual({
        path: f.path,
        syntax: sent.syntax,
        same: true,
      });
    }
  });

  it('hands malformed files that arrive to ingest (which rejects them); storescu refuses most itself', async () => {
    const malformed = fixtures.filter((f) => f.malformed);
    const outcomes: Record<string, string> = {};
    for (const f of malformed)
      outcomes[f.path] = (await storescu(peer, fixturePath(f.path), { ownSyntax: true })).outcome;
    // dcmtk cannot read these four, so it never sends them; badVR.dcm parses for dcmtk and goes out.
    expect(outcomes).toEqual({
      'dicom/malformed/MR_truncated.dcm': 'not-sent',
      'dicom/malformed/badVR.dcm': 'sent',
      'dicom/malformed/meta_missing_tsyntax.dcm': 'not-sent',
      'dicom/malformed/no_meta.dcm': 'not-sent',
      'dicom/malformed/rtplan_truncated.dcm': 'not-sent',
    });
    // Our SCU sends whatever has a readable file meta and an even-length dataset, truncations
    // included; the SCP hands each to ingest (this stand-in accepts all).
    ingestor.received = [];
    const { results } = await cStore(
      peer,
      malformed.map((f) => f.bytes),
    );
    const sentByUs = results.filter((r) => r.status === Status.Success).length;
    expect(ingestor.received).toHaveLength(sentByUs);
    expect(sentByUs).toBeGreaterThanOrEqual(1);
    expect(
      results.filter((r) => r.status === -1).every((r) => /odd-length|not a Part 10/.test(r.comment ?? '')),
    ).toBe(true);
  });
});

describe('C-STORE failure statuses', () => {
  it.each([
    [
      'invalid → 0xC000',
      { status: 'invalid', reason: 'pixel data is shorter than rows x columns' } as IngestResult,
      Status.CannotUnderstand,
    ],
    [
      'invalid SOP class → 0xA900',
      { status: 'invalid', reason: 'SOP Class UID does not match' } as IngestResult,
      Status.DataSetDoesNotMatchSopClass,
    ],
    [
      'conflict → 0x0111',
      { status: 'conflict', reason: 'different bytes under this SOP Instance UID' } as IngestResult,
      Status.DuplicateSopInstance,
    ],
    ['denied → 0x0124', { status: 'denied', reason: 'not allowed' } as IngestResult, Status.NotAuthorized],
  ])('ingest %s', async (_name, answer, status) => {
    ingestor.answer = () => answer;
    try {
      const ct = fixtures.find((f) => f.path.endsWith('CT_small.dcm'))!;
      const result = await storescu(peer, fixturePath(ct.path));
      expect(result).toMatchObject({ outcome: 'sent', status });
      const { results } = await cStore(peer, [ct.bytes]);
      expect(results[0]).toMatchObject({ status });
    } finally {
      ingestor.answer = () => ({ status: 'stored', record: {} as never });
    }
  });

  it('answers out-of-resources (and does not ingest) when ingest throws', async () => {
    ingestor.answer = () => {
      throw new Error('disk full');
    };
    try {
      const ct = fixtures.find((f) => f.path.endsWith('CT_small.dcm'))!;
      const { results } = await cStore(peer, [ct.bytes]);
      expect(results[0]).toMatchObject({ status: Status.OutOfResources });
      expect(audits.at(-1)).toMatchObject({ action: 'store', result: 'failed' });
    } finally {
      ingestor.answer = () => ({ status: 'stored', record: {} as never });
    }
  });
});

describe('C-FIND', () => {
  it('maps a findscu study query onto a scoped QIDO query and answers only the asked keys', async () => {
    queries.length = 0;
    const r = await findscu(peer, [
      'QueryRetrieveLevel=STUDY',
      'PatientName=TEST*',
      'StudyDate=20240101-20241231',
      'StudyInstanceUID',
      'ModalitiesInStudy',
      'NumberOfStudyRelatedInstances',
    ]);
    expect(r.ok).toBe(true);
    expect(queries[0]).toMatchObject({
      level: 'study',
      match: { PatientName: 'TEST*', StudyDate: '20240101-20241231' },
      institutions: ['township-clinic'],
    });
    expect(r.matches).toEqual([
      expect.objectContaining({
        PatientName: 'TEST^PATIENT',
        StudyInstanceUID: '1.2.3.4',
        ModalitiesInStudy: 'CT\\MR',
        NumberOfStudyRelatedInstances: '3',
      }),
    ]);
    expect(r.matches[0]).not.toHaveProperty('PatientID');
    expect(audits.at(-1)).toMatchObject({ action: 'query', result: 'ok' });
  });

  it('scopes series and image queries by the higher-level unique keys, in both information models', async () => {
    queries.length = 0;
    await findscu(peer, [
      'QueryRetrieveLevel=SERIES',
      'StudyInstanceUID=1.2.3.4',
      'SeriesInstanceUID',
      'Modality',
    ]);
    await findscu(
      peer,
      [
        'QueryRetrieveLevel=IMAGE',
        'PatientID=PID-1',
        'StudyInstanceUID=1.2.3.4',
        'SeriesInstanceUID=1.2.3.4.5',
        'SOPInstanceUID',
      ],
      'patient',
    );
    expect(queries[0]).toMatchObject({ level: 'series', studyInstanceUid: '1.2.3.4' });
    expect(queries[1]).toMatchObject({
      level: 'instance',
      studyInstanceUid: '1.2.3.4',
      seriesInstanceUid: '1.2.3.4.5',
      match: { PatientID: 'PID-1' },
    });
  });

  it('answers a PATIENT level query (patient root) and refuses it under study root', async () => {
    const ok = await cFind(
      peer,
      { QueryRetrieveLevel: 'PATIENT', PatientID: '', PatientName: '' },
      'patient',
    );
    expect(ok.status).toBe(Status.Success);
    expect(ok.matches).toEqual([expect.objectContaining({ PatientID: 'PID-1' })]);
    const refused = await cFind(peer, { QueryRetrieveLevel: 'PATIENT', PatientID: '' }, 'study');
    expect(refused.status).toBe(Status.UnableToProcess);
  });
});
