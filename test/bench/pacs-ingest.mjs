// Ingest throughput: the valid DICOM fixture corpus, repeated with fresh UIDs to ≥ 2,000 instances,
// sent by STOW-RS into (a) the bridge with its embedded store, (b) Orthanc directly (its DICOMweb
// plugin), (c) the bridge in front of Orthanc (the bridge's STOW-RS, Orthanc as the store).
// Same instances, batches and concurrency for all three. Figures printed, nothing asserted.
// Run after `npm run build`:  node test/bench/pacs-ingest.mjs [--min 2000] [--batch 10] [--concurrency 4]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOrthancStore } from '@telemed/pacs-bridge';
import { startOrthanc } from '@telemed/pacs-bridge/testing';
import {
  basicAuth,
  buildWorkload,
  fmt,
  loadCorpus,
  mb,
  startBridgeHttp,
  stowAll,
} from './lib/pacs-bench.mjs';

const { values } = parseArgs({
  options: {
    min: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
  },
});
const opts = { batch: Number(values.batch), concurrency: Number(values.concurrency) };

const corpus = loadCorpus();
const { instances, files, skipped } = buildWorkload(corpus, Number(values.min));
const totalMb = mb(instances.reduce((n, b) => n + b.length, 0));
console.log(
  `corpus: ${files} valid files (one per SOP Instance UID, HTJ2K left out: Orthanc 1.10 cannot store it)`,
);
if (skipped.length) console.log(`  not rewritable with dcmjs (left out): ${skipped.join(', ')}`);
console.log(
  `workload: ${instances.length} instances, ${fmt(totalMb)} MB, STOW-RS batches of ${opts.batch}, ${opts.concurrency} in flight`,
);

const dir = await mkdtemp(join(tmpdir(), 'telemed-bench-ingest-'));
const results = {};
const run = async (name, target) => {
  const { seconds, failed } = await stowAll(target, instances, opts);
  results[name] = { seconds, failed, ips: instances.length / seconds, mbps: totalMb / seconds };
  console.log(
    `${name.padEnd(28)} ${fmt(results[name].ips, 0).padStart(6)} instances/s  ${fmt(results[name].mbps).padStart(6)} MB/s  ${fmt(seconds, 2)} s${failed ? `  (${failed} failed)` : ''}`,
  );
};

try {
  const embedded = await startBridgeHttp(join(dir, 'a'));
  await run('(a) bridge, embedded store', embedded);
  await embedded.close();

  const orthancB = await startOrthanc();
  await run('(b) Orthanc directly', {
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
  await run('(c) bridge → Orthanc', fronted);
  await fronted.close();
  await orthancC.close();

  const a = results['(a) bridge, embedded store'];
  const b = results['(b) Orthanc directly'];
  const c = results['(c) bridge → Orthanc'];
  console.log(`ratio a/b ${fmt(a.ips / b.ips, 2)}  c/b ${fmt(c.ips / b.ips, 2)}  (instances/s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
