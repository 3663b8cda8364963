// Hostile and broken input over DIMSE: 2,000+ mutated instances (truncations at many offsets,
// random byte flips, oversized element lengths) C-STOREd into the real ingest pipeline, plus
// garbage on the socket. Every request gets an answer, the bridge keeps serving, and only
// instances the validator accepts are stored — each exactly as it was answered.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileMeta } from '../dicom/file-meta.js';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { createPacsBridge, type PacsBridge } from '../service.js';
import { cEcho, cStore, demoAeAccess, type DimsePeer } from './index.js';
import { Status } from './lib.js';

const BASES = [
  'dicom/ct/CT_small.dcm',
  'dicom/mr/MR_small.dcm',
  'dicom/transfer-syntax/pydicom/JPEG2000.dcm',
  'dicom/transfer-syntax/pydicom/MR_small_RLE.dcm',
  'dicom/transfer-syntax/pydicom/image_dfl.dcm',
  'dicom/transfer-syntax/pydicom/JPGExtended.dcm',
  'dicom/transfer-syntax/pydicom/SC_rgb_jpeg_dcmtk.dcm',
  'dicom/transfer-syntax/pydicom/MR_small_bigendian.dcm',
];
const PER_BASE = 260; // 8 × 260 = 2,080 mutants

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mutates the dataset part only (the file meta must stay readable for the SCU to send it). */
function mutate(file: Buffer, random: () => number, kind: number): Buffer {
  const meta = readFileMeta(file);
  if (!meta.ok) throw new Error(meta.reason);
  const start = meta.meta.end;
  const data = Buffer.from(file.subarray(start));
  const at = (n = data.length) => Math.floor(random() * n);
  let out: Buffer;
  if (kind === 0) {
    out = data.subarray(0, at() & ~1); // truncation at an even offset (odd ones are not sendable)
  } else if (kind === 1) {
    out = data;
    for (let i = 0, n = 1 + at(8); i < n; i++) out[at()] ^= 1 << at(8);
  } else {
    // An oversized length: overwrite 4 bytes at a random even offset with a huge value.
    out = data;
    const pos = at(Math.max(1, data.length - 4)) & ~1;
    out.writeUInt32LE(0xfffffff0 - at(1000) * 2, pos);
  }
  return Buffer.concat([
    file.subarray(0, start),
    out.length % 2 ? Buffer.concat([out, Buffer.alloc(1)]) : out,
  ]);
}

describe('DIMSE fuzzing into the real pipeline', () => {
  let dir: string;
  let bridge: PacsBridge;
  let peer: DimsePeer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'telemed-dimse-fuzz-'));
    bridge = await createPacsBridge({ dataDir: dir, authenticate: async () => null });
    const { startDimseServer } = await import('./index.js');
    const server = await startDimseServer({
      host: '127.0.0.1',
      port: 0,
      ingestor: bridge.ingestor,
      store: bridge.store,
      audit: bridge.audit,
      aeAccess: demoAeAccess(),
      associationTimeoutMs: 2_000,
      pduTimeoutMs: 2_000,
      connectTimeoutMs: 2_000,
    });
    bridge.close = ((close) => async () => {
      await server.close();
      await close();
    })(bridge.close);
    peer = {
      host: '127.0.0.1',
      port: server.port,
      calledAe: 'TELEMED',
      callingAe: 'FUZZER',
      timeoutMs: 60_000,
    };
  });
  afterAll(async () => {
    await bridge?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers every one of 2,000+ mutated C-STOREs and stores only what validates', async () => {
    const fixtures = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
    const random = rng(20240611);
    const mutants: Buffer[] = [];
    for (const base of BASES)
      for (let i = 0; i < PER_BASE; i++) mutants.push(mutate(fixtures.get(base)!, random, i % 3));
    expect(mutants.length).toBeGreaterThanOrEqual(2000);

    const answers = new Map<number, number>();
    let answered = 0;
    for (let i = 0; i < mutants.length; i += 100) {
      const { results, error } = await cStore(peer, mutants.slice(i, i + 100));
      expect(error, `batch at ${i}`).toBeUndefined();
      for (const r of results) {
        expect(r.status, `mutant ${i}`).toBeGreaterThanOrEqual(0); // an answer, not silence
        answers.set(r.status, (answers.get(r.status) ?? 0) + 1);
        answered++;
      }
    }
    expect(answered).toBe(mutants.length);
    // Most mutants are broken (failure statuses); some flips land in pixel data and stay valid.
    const failures = [...answers].filter(([s]) => s !== Status.Success).reduce((n, [, c]) => n + c, 0);
    expect(failures).toBeGreaterThan(mutants.length / 2);
    for (const status of answers.keys()) {
      expect([
        Status.Success,
        Status.CannotUnderstand,
        Status.DataSetDoesNotMatchSopClass,
        Status.DuplicateSopInstance,
      ]).toContain(status);
    }
    // Stored: at most one instance per base SOP Instance UID, and it reads back intact.
    const stored = await bridge.store.query({ level: 'instance', match: {}, includeFields: [] });
    expect(stored.length).toBeLessThanOrEqual(BASES.length);
    for (const row of stored) {
      const sop = row['00080018']?.Value?.[0] as string;
      const record = await bridge.store.find(sop);
      const chunks: Buffer[] = [];
      for await (const c of (await bridge.store.open(sop))!) chunks.push(c as Buffer);
      expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(record!.sha256);
    }
    expect((await cEcho(peer)).status).toBe(Status.Success);
  }, 240_000);

  it('survives garbage on the socket and a peer vanishing mid-PDU, and keeps answering', async () => {
    const random = rng(7);
    for (const payload of [
      Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))),
      // An A-ASSOCIATE-RQ header declaring 2 GB, then silence: the PDU timeout must end it.
      Buffer.from([0x01, 0x00, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x01]),
    ]) {
      const socket = connect(peer.port, peer.host);
      socket.on('error', () => undefined);
      // Read what comes back (the bridge answers a bad PDU with A-ABORT), or 'close' never comes.
      socket.resume();
      await once(socket, 'connect');
      socket.write(payload);
      await once(socket, 'close');
    }
    const half = connect(peer.port, peer.host);
    half.on('error', () => undefined);
    await once(half, 'connect');
    half.end(Buffer.from([0x04, 0x00, 0x00, 0x00, 0x10, 0x00])); // P-DATA-TF header, then gone
    await once(half, 'close');
    expect((await cEcho(peer)).status).toBe(Status.Success);
  }, 60_000);
});
