// /api/ecg over real HTTP, wired to the bridge's real embedded store, ingest pipeline, access
// policy and hash-chained audit log in a temporary data directory. Only the authentication is
// stubbed: a test header names one of the principals below.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, StudyEvents } from '../api.js';
import { AccessPolicy } from '../access/access-policy.js';
import { StudyShares } from '../access/study-shares.js';
import { SqliteAuditLog } from '../audit/audit-log.js';
import { verifyAudit } from '../audit/verify-audit.js';
import { PipelineIngestor, studyOwner } from '../ingest/ingestor.js';
import { createEmbeddedStore, type EmbeddedStore } from '../store/embedded/embedded-store.js';
import { readAecg } from './aecg.js';
import { decodeEcgBinary, ECG_BINARY_MEDIA_TYPE } from './binary.js';
import { createEcgRouter } from './index.js';
import type { EcgRecordingJson } from './json.js';
import { STANDARD_LEADS } from './wire.js';

const fixture = (p: string): Buffer => readFileSync(new URL(`../../../test/fixtures/${p}`, import.meta.url));
const PRINCIPALS: Record<string, Principal> = {
  nurse: {
    userId: 'nurse.zhao',
    role: 'clinician',
    institutionId: 'riverside',
    via: 'http',
    address: '10.0.0.5',
  },
  other: { userId: 'dr.liu', role: 'clinician', institutionId: 'hilltop', via: 'http' },
  admin: { userId: 'admin', role: 'admin', institutionId: 'county', via: 'http' },
};

let dir: string;
let store: EmbeddedStore;
let audit: SqliteAuditLog;
let shares: StudyShares;
let ingestor: PipelineIngestor;
let base: string;
let closeServer: () => Promise<void>;
let mortaraStudy: string;
const mortaraInstance = '1.3.6.1.4.1.20029.40.20130125105919.5407.1.1';

function app(maxBytes?: number): express.Express {
  const access = new AccessPolicy({ shares });
  const a = express();
  a.use(
    '/api/ecg',
    createEcgRouter({
      store,
      ingestor,
      audit,
      authorize: async (principal, study) => {
        const owner = await studyOwner(store, study);
        return owner === undefined ? true : access.canRead(principal, study, owner);
      },
      principalOf: (req) => PRINCIPALS[String(req.headers['x-test-user'])],
      institutionNameOf: (p) =>
        p.institutionId === 'riverside' ? 'Riverside Township Health Center' : undefined,
      ...(maxBytes ? { maxBytes } : {}),
    }),
  );
  return a;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telemed-ecg-'));
  store = await createEmbeddedStore({ dataDir: dir });
  audit = new SqliteAuditLog(dir);
  shares = new StudyShares(dir);
  ingestor = new PipelineIngestor({
    store,
    access: new AccessPolicy({ shares }),
    audit,
    events: new EventEmitter<StudyEvents>(),
  });
  const seeded = await ingestor.ingest(fixture('ecg/dicom-waveform/waveform_ecg.dcm'), PRINCIPALS.nurse!);
  if (seeded.status !== 'stored') throw new Error(`seed failed: ${seeded.status}`);
  mortaraStudy = seeded.record.studyInstanceUid;
  await ingestor.ingest(fixture('dicom/ct/CT_small.dcm'), PRINCIPALS.nurse!);
  const main = app();
  const small = app(100_000);
  const root = express();
  root.use('/small', small);
  root.use(main);
  const server = root.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((r) => server.close(() => r()));
});

afterAll(async () => {
  await closeServer?.();
  await store?.close();
  audit?.close();
  shares?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, user?: string, accept = 'application/json'): Promise<Response> =>
  fetch(`${base}${path}`, { headers: { accept, ...(user ? { 'x-test-user': user } : {}) } });
const post = (
  path: string,
  body: Uint8Array | string,
  user?: string,
  type = 'application/octet-stream',
): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': type, ...(user ? { 'x-test-user': user } : {}) },
  });

describe('GET /api/ecg/instances/{uid}', () => {
  it('serves the stored 12-lead ECG as JSON, leads in standard order, µV', async () => {
    const res = await get(`/api/ecg/instances/${mortaraInstance}`, 'nurse');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as EcgRecordingJson & { studyInstanceUid: string };
    expect(body.studyInstanceUid).toBe(mortaraStudy);
    expect(body.groups.map((g) => [g.label, g.samplingFrequency, g.numberOfSamples])).toEqual([
      ['RHYTHM', 1000, 10000],
      ['MEDIAN BEAT', 1000, 1200],
    ]);
    const lead1 = body.groups[0]!.channels[0]!;
    expect(lead1.lead).toBe('I');
    expect(lead1.samples.slice(0, 3)).toEqual([100, 81.25, 62.5]);
    expect(body.groups[0]!.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    expect(JSON.stringify(body)).not.toContain('642341'); // the PatientID of the file
  });

  it('serves the same values in the compact binary form, at a fraction of the size', async () => {
    const json = (await (
      await get(`/api/ecg/instances/${mortaraInstance}`, 'nurse')
    ).json()) as EcgRecordingJson;
    for (const accept of ['application/octet-stream', ECG_BINARY_MEDIA_TYPE]) {
      const res = await get(`/api/ecg/instances/${mortaraInstance}`, 'nurse', accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(accept);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.byteLength).toBeLessThan(300_000); // 12 × 11200 Int16 + header
      const { header, values } = decodeEcgBinary(bytes);
      expect(header.groups[0]!.sampleBytes).toBe(2);
      expect(header.groups[0]!.channels[0]).toMatchObject({
        lead: 'I',
        units: 'uV',
        scale: 1.25,
        baseline: 0,
      });
      header.groups.forEach((g, gi) =>
        g.channels.forEach((_c, ci) =>
          expect(Array.from(values[gi]![ci]!)).toEqual(json.groups[gi]!.channels[ci]!.samples),
        ),
      );
    }
  });

  it('answers 401 without a principal, 404 for another institution (audited as denied), 200 for admin', async () => {
    expect((await get(`/api/ecg/instances/${mortaraInstance}`)).status).toBe(401);
    const denied = await get(`/api/ecg/instances/${mortaraInstance}`, 'other');
    expect(denied.status).toBe(404);
    expect((await get(`/api/ecg/instances/${mortaraInstance}`, 'admin')).status).toBe(200);
    const entries = audit.query({ studyInstanceUid: mortaraStudy }).filter((e) => e.action === 'ecg');
    expect(entries.some((e) => e.userId === 'dr.liu' && e.result === 'denied')).toBe(true);
    expect(
      entries.some((e) => e.userId === 'nurse.zhao' && e.result === 'ok' && e.source === '10.0.0.5'),
    ).toBe(true);
  });

  it('gives clear 4xx for bad UIDs, unknown instances, unacceptable types and non-waveform instances', async () => {
    expect((await get('/api/ecg/instances/1.2.abc', 'nurse')).status).toBe(400);
    expect((await get('/api/ecg/instances/1.2.3.4.5', 'nurse')).status).toBe(404);
    expect((await get(`/api/ecg/instances/${mortaraInstance}`, 'nurse', 'text/html')).status).toBe(406);
    const ct = await get('/api/ecg/instances/1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322', 'nurse');
    expect(ct.status).toBe(422);
    expect(((await ct.json()) as { reason: string }).reason).toMatch(/no Waveform Sequence/);
  });
});

describe('POST /api/ecg/import', () => {
  const aecg = fixture('ecg/hl7-aecg/Example_aECG.xml');
  const scp = fixture('ecg/scp-ecg/Example.scp');
  const digits = readAecg(aecg.toString('utf8')).recording;

  it('imports HL7 aECG as a DICOM 12-lead ECG that GET then serves with the same samples', async () => {
    const res = await post('/api/ecg/import', aecg, 'nurse', 'text/xml');
    expect(res.status).toBe(201);
    const made = (await res.json()) as {
      status: string;
      source: string;
      sopInstanceUid: string;
      studyInstanceUid: string;
      sopClassUid: string;
    };
    expect(made).toMatchObject({
      status: 'stored',
      source: 'hl7-aecg',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.1',
    });
    const record = await store.find(made.sopInstanceUid);
    expect(record).toMatchObject({
      modality: 'ECG',
      institutionId: 'riverside',
      studyInstanceUid: made.studyInstanceUid,
    });
    const back = (await (
      await get(`/api/ecg/instances/${made.sopInstanceUid}`, 'nurse')
    ).json()) as EcgRecordingJson;
    expect(back.source).toBe('dicom');
    back.groups.forEach((g, gi) =>
      g.channels.forEach((c, ci) =>
        expect(c.samples).toEqual(Array.from(digits.groups[gi]!.channels[ci]!.samples)),
      ),
    );
    // Sending the same file again is idempotent.
    const again = await post('/api/ecg/import', aecg, 'nurse', 'application/xml');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', sopInstanceUid: made.sopInstanceUid });
  });

  it('imports SCP-ECG (detected by content) to the same samples as the aECG of that recording', async () => {
    const res = await post('/api/ecg/import', scp, 'nurse');
    expect(res.status).toBe(201);
    const made = (await res.json()) as { source: string; sopInstanceUid: string };
    expect(made.source).toBe('scp-ecg');
    const bin = await get(`/api/ecg/instances/${made.sopInstanceUid}`, 'nurse', ECG_BINARY_MEDIA_TYPE);
    const { header, values } = decodeEcgBinary(new Uint8Array(await bin.arrayBuffer()));
    expect(header.groups.map((g) => [g.label, g.numberOfSamples])).toEqual([
      ['RHYTHM', 5000],
      ['REFERENCE BEAT', 599],
    ]);
    expect(Array.from(values[0]![6]!)).toEqual(Array.from(digits.groups[0]!.channels[6]!.samples)); // V1
  });

  it('attaches to an existing study only for those who may see it', async () => {
    const q = `/api/ecg/import?studyInstanceUid=${mortaraStudy}`;
    expect((await post(q, scp, 'other')).status).toBe(403);
    const ok = await post(q, scp, 'nurse');
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { studyInstanceUid: string }).studyInstanceUid).toBe(mortaraStudy);
    expect((await store.instances(mortaraStudy)).length).toBe(2);
    expect((await post('/api/ecg/import?studyInstanceUid=1.2.x', scp, 'nurse')).status).toBe(400);
  });

  it('refuses bad files with a reason and stores nothing', async () => {
    const before = store.instanceCount();
    const reason = async (res: Response): Promise<string> =>
      ((await res.json()) as { reason: string }).reason;
    const damaged = Buffer.from(scp);
    damaged[20000]! ^= 0xff;
    const cases: Array<[Uint8Array | string, number, RegExp]> = [
      ['', 400, /empty/],
      ['hello, this is not an ECG', 415, /neither HL7 aECG XML nor an SCP-ECG/],
      ['<?xml version="1.0"?><html/>', 415, /not an HL7 aECG/],
      [fixture('ecg/dicom-waveform/wave_dfl.dcm'), 415, /already a DICOM file/],
      [scp.subarray(0, 10000), 415, /neither/],
      [damaged, 422, /CRC/],
      [aecg.toString('utf8').replace('</AnnotatedECG>', ''), 422, /not well-formed/],
      [
        aecg.toString('utf8').replace('<scale value="2.5" unit="uV"/>', '<scale value="2.5" unit="mm[Hg]"/>'),
        422,
        /not a voltage/,
      ],
    ];
    for (const [body, status, text] of cases) {
      const res = await post('/api/ecg/import', body, 'nurse');
      expect(res.status, String(text)).toBe(status);
      expect(await reason(res)).toMatch(text);
    }
    expect((await post('/api/ecg/import', scp)).status).toBe(401);
    const big = await post('/small/api/ecg/import', aecg, 'nurse');
    expect(big.status).toBe(413);
    expect(store.instanceCount()).toBe(before);
  });

  it('writes every ECG access to the audit chain without patient data, and the chain verifies', async () => {
    const ecg = audit.query({ userId: 'nurse.zhao', limit: 10_000 }).filter((e) => e.action === 'ecg');
    expect(ecg.some((e) => e.detail === 'import hl7-aecg: stored')).toBe(true);
    expect(ecg.some((e) => e.detail === 'import scp-ecg: stored')).toBe(true);
    expect(ecg.some((e) => e.result === 'failed' && e.detail === 'import: malformed')).toBe(true);
    const all = JSON.stringify(audit.query({ limit: 10_000 }));
    for (const secret of ['Clark', 'SBJ-123', '19530508', '642341']) expect(all).not.toContain(secret);
    expect(verifyAudit(dir)).toMatchObject({ ok: true });
  });
});
