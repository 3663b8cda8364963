// Shared by the PACS benchmarks: the valid fixture corpus with fresh UIDs (rewritten with dcmjs),
// a bridge on an ephemeral HTTP port, STOW-RS in batches, and figures. Nothing is asserted.
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';
import express from 'express';
import { createPacsBridge, validatePart10 } from '@telemed/pacs-bridge';

// dcmjs reports every unusual VR it meets (the fixtures have a few) on its validation logger.
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
const FIXTURES = fileURLToPath(new URL('../../fixtures/dicom/', import.meta.url));

const walk = (dir) =>
  readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)],
  );

/** A random UID under the UUID root 2.25 (PS3.5 B.2). */
export const freshUid = () => `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10)}`;

/**
 * The valid corpus, one file per SOP Instance UID (the fixtures hold one image in many syntaxes),
 * leaving out what Orthanc 1.10 cannot store (HTJ2K) so all three targets get the same instances.
 */
export function loadCorpus() {
  const seen = new Set();
  const files = [];
  for (const path of walk(FIXTURES)
    .filter((p) => p.endsWith('.dcm'))
    .sort()) {
    const bytes = readFileSync(path);
    const v = validatePart10(bytes);
    if (
      !v.ok ||
      seen.has(v.record.sopInstanceUid) ||
      v.record.transferSyntaxUid.startsWith('1.2.840.10008.1.2.4.20')
    )
      continue;
    seen.add(v.record.sopInstanceUid);
    files.push({ path: path.slice(FIXTURES.length), bytes, record: v.record });
  }
  return files;
}

/**
 * One copy of a file with new Study/Series/SOP Instance UIDs, rewritten with dcmjs. dcmjs cannot
 * write every fixture back validly (deflate, some encapsulated and implicit-VR files); for those
 * the UIDs are swapped byte for byte with fresh ones of the same length (inside the inflated
 * dataset for deflate), which keeps the rest of the file untouched. null if neither works.
 */
export function withUids(bytes, uids, original) {
  try {
    const dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
    dict.dict['0020000D'] = { vr: 'UI', Value: [uids.study] };
    dict.dict['0020000E'] = { vr: 'UI', Value: [uids.series] };
    dict.dict['00080018'] = { vr: 'UI', Value: [uids.sop] };
    dict.meta['00020003'] = { vr: 'UI', Value: [uids.sop] };
    // One series must be one patient (Orthanc keys studies by patient and study UID).
    if (uids.patientId) {
      dict.dict['00100020'] = { vr: 'LO', Value: [uids.patientId] };
      dict.dict['00100010'] = { vr: 'PN', Value: [{ Alphabetic: 'BENCH^SERIES' }] };
    }
    const out = Buffer.from(dict.write());
    if (validatePart10(out).ok) return out;
  } catch {
    // fall through to the byte-level swap
  }
  return original ? swapUids(bytes, original) : null;
}

/** Same-length fresh UID for a given one (2.25.<digits>). */
const sameLengthUid = (old) =>
  `2.25.${Array.from({ length: old.length - 5 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join('')}`;

function swapUids(bytes, record) {
  const pairs = [record.studyInstanceUid, record.seriesInstanceUid, record.sopInstanceUid]
    .filter((u) => u.length >= 10)
    .map((u) => [Buffer.from(u, 'latin1'), Buffer.from(sameLengthUid(u), 'latin1')]);
  const patch = (buf) => {
    const out = Buffer.from(buf);
    for (const [from, to] of pairs)
      for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) to.copy(out, at);
    return out;
  };
  let out;
  if (record.transferSyntaxUid === '1.2.840.10008.1.2.1.99') {
    const end = metaEnd(bytes);
    out = Buffer.concat([
      patch(bytes.subarray(0, end)),
      deflateRawSync(patch(inflateRawSync(bytes.subarray(end)))),
    ]);
  } else {
    out = patch(bytes);
  }
  return validatePart10(out).ok ? out : null;
}

/** End of the file meta group: 132 + 12-byte group length element + its value. */
const metaEnd = (b) => 144 + b.readUInt32LE(140);

/** The corpus repeated to at least `min` instances; each round is a new set of studies and series. */
export function buildWorkload(corpus, min) {
  const rewritable = corpus.filter((f) =>
    withUids(f.bytes, { study: freshUid(), series: freshUid(), sop: freshUid() }, f.record),
  );
  const skipped = corpus.filter((f) => !rewritable.includes(f)).map((f) => f.path);
  const instances = [];
  while (instances.length < min) {
    const studies = new Map();
    const series = new Map();
    for (const f of rewritable) {
      if (!studies.has(f.record.studyInstanceUid)) studies.set(f.record.studyInstanceUid, freshUid());
      if (!series.has(f.record.seriesInstanceUid)) series.set(f.record.seriesInstanceUid, freshUid());
      // The byte-level fallback draws its own UIDs per copy (same length as the originals).
      instances.push(
        withUids(
          f.bytes,
          {
            study: studies.get(f.record.studyInstanceUid),
            series: series.get(f.record.seriesInstanceUid),
            sop: freshUid(),
          },
          f.record,
        ),
      );
    }
  }
  return { instances, files: rewritable.length, skipped };
}

export const ADMIN = { userId: 'bench', role: 'admin', institutionId: 'county-hospital', via: 'http' };

/** The bridge's HTTP side on an ephemeral loopback port, everyone an admin (benchmark only). */
export async function startBridgeHttp(dataDir, upstream) {
  const bridge = await createPacsBridge({
    dataDir,
    authenticate: async () => ADMIN,
    ...(upstream ? { upstream } : {}),
  });
  const app = express();
  app.use(bridge.router);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/dicomweb`,
    headers: {},
    async close() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      await bridge.close();
    },
  };
}

/** STOW-RS of `instances` in batches, `concurrency` requests in flight; returns seconds and failures. */
export async function stowAll(target, instances, { batch = 10, concurrency = 4 } = {}) {
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < instances.length) {
      const slice = instances.slice(next, (next += batch));
      const boundary = `bench${randomBytes(8).toString('hex')}`;
      const chunks = [];
      for (const b of slice)
        chunks.push(
          Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
          b,
          Buffer.from('\r\n'),
        );
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      const res = await fetch(`${target.url}/studies`, {
        method: 'POST',
        headers: {
          ...target.headers,
          'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
          accept: 'application/dicom+json',
        },
        body: Buffer.concat(chunks),
      });
      const text = await res.text();
      if (res.status !== 200) {
        const body = text ? JSON.parse(text) : {};
        failed += (body['00081198']?.Value ?? slice).length;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failed };
}

export const mb = (bytes) => bytes / (1024 * 1024);
export const fmt = (n, digits = 1) => n.toFixed(digits);
export const basicAuth = (o) => ({
  authorization: `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`,
});
