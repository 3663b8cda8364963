// WADO-RS retrieve of a whole series: the bridge (embedded store), Orthanc directly (its DICOMweb
// plugin), and the bridge in front of Orthanc. One series of the valid corpus files rewritten with
// fresh UIDs (repeated to ≥ --mb megabytes), stored in all three, then fetched --runs times each as
// multipart/related (original transfer syntaxes); median MB/s is printed. Nothing is asserted.
// Run after `npm run build`:  node test/bench/pacs-wado.mjs [--mb 100] [--runs 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOrthancStore } from '@telemed/pacs-bridge';
import { startOrthanc } from '@telemed/pacs-bridge/testing';
import {
  basicAuth,
  fmt,
  freshUid,
  loadCorpus,
  mb,
  startBridgeHttp,
  stowAll,
  withUids,
} from './lib/pacs-bench.mjs';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' } },
});
const runs = Number(values.runs);

const study = freshUid();
const series = freshUid();
const corpus = loadCorpus().filter((f) =>
  withUids(f.bytes, { study, series, sop: freshUid(), patientId: 'BENCH-1' }),
);
const instances = [];
let bytes = 0;
while (mb(bytes) < Number(values.mb)) {
  for (const f of corpus) {
    const copy = withUids(f.bytes, { study, series, sop: freshUid(), patientId: 'BENCH-1' });
    instances.push(copy);
    bytes += copy.length;
  }
}
console.log(
  `series: ${instances.length} instances, ${fmt(mb(bytes))} MB (${corpus.length} corpus files dcmjs can rewrite, repeated)`,
);

/** Fetches the series once, streaming; returns seconds and bytes received. */
async function retrieve(target) {
  const started = process.hrtime.bigint();
  const res = await fetch(`${target.url}/studies/${study}/series/${series}`, {
    headers: { ...target.headers, accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
  });
  if (!res.ok) throw new Error(`WADO-RS answered HTTP ${res.status}`);
  let received = 0;
  for await (const chunk of res.body) received += chunk.length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, received };
}

async function measure(name, target) {
  const stow = await stowAll(target, instances, { batch: 10, concurrency: 4 });
  if (stow.failed) console.log(`  ${name}: ${stow.failed} instances failed to store`);
  await retrieve(target); // warm-up (page cache, connections)
  const speeds = [];
  let received = 0;
  for (let i = 0; i < runs; i++) {
    const r = await retrieve(target);
    received = r.received;
    speeds.push(mb(r.received) / r.seconds);
  }
  speeds.sort((a, b) => a - b);
  const median = speeds[Math.floor(speeds.length / 2)];
  console.log(
    `${name.padEnd(28)} ${fmt(median).padStart(7)} MB/s median of ${runs} (${fmt(mb(received))} MB per retrieve)`,
  );
  return median;
}

const dir = await mkdtemp(join(tmpdir(), 'telemed-bench-wado-'));
try {
  const embedded = await startBridgeHttp(join(dir, 'a'));
  const a = await measure('bridge, embedded store', embedded);
  await embedded.close();

  const orthancB = await startOrthanc();
  const b = await measure('Orthanc directly', {
    url: `${orthancB.url}${orthancB.dicomWebRoot}`,
    headers: basicAuth(orthancB),
  });
  await orthancB.close();

  const orthancC = await startOrthanc();
  const upstream = await createOrthancStore({
    url: orthancC.url,
    username: orthancC.username,
    password: orthancC.password,
    indexPath: join(dir, 'c', 'upstream.sqlite'),
  });
  const fronted = await startBridgeHttp(join(dir, 'c'), upstream);
  const c = await measure('bridge → Orthanc', fronted);
  await fronted.close();
  await orthancC.close();

  console.log(`ratio bridge/Orthanc ${fmt(a / b, 2)}  (bridge → Orthanc)/Orthanc ${fmt(c / b, 2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
