// Where the bridge's time goes, embedded store only (no Orthanc): STOW-RS of the benchmark workload,
// then WADO-RS of one series, each phase timed; run under `node --cpu-prof` to see the CPU side.
// Run after `npm run build`:  node test/bench/pacs-profile.mjs [--min 1000] [--runs 5] [--profile-dir /tmp/prof]
import { Session } from 'node:inspector';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildWorkload,
  fmt,
  freshUid,
  loadCorpus,
  mb,
  startBridgeHttp,
  stowAll,
  withUids,
} from './lib/pacs-bench.mjs';

const { values } = parseArgs({
  options: {
    min: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    // Writes <dir>/stow.cpuprofile and <dir>/wado.cpuprofile covering just those phases.
    'profile-dir': { type: 'string' },
  },
});
const session = values['profile-dir'] ? new Session() : undefined;
session?.connect();
const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );
const startProfile = async () => {
  if (!session) return;
  await post('Profiler.enable');
  await post('Profiler.start');
};
const stopProfile = async (name) => {
  if (!session) return;
  const { profile } = await post('Profiler.stop');
  await writeFile(join(values['profile-dir'], `${name}.cpuprofile`), JSON.stringify(profile));
};
const corpus = loadCorpus();
const { instances } = buildWorkload(corpus, Number(values.min));
const totalMb = mb(instances.reduce((n, b) => n + b.length, 0));
const study = freshUid();
const series = freshUid();
const one = corpus
  .map((f) => withUids(f.bytes, { study, series, sop: freshUid(), patientId: 'BENCH-1' }))
  .filter(Boolean);
const seriesFiles = [];
for (let i = 0; i < 20; i++)
  for (const f of corpus) {
    const copy = withUids(f.bytes, { study, series, sop: freshUid(), patientId: 'BENCH-1' });
    if (copy) seriesFiles.push(copy);
  }
void one;

const dir = await mkdtemp(join(tmpdir(), 'telemed-bench-profile-'));
try {
  const bridge = await startBridgeHttp(join(dir, 'a'));
  // Event-loop utilisation near 1 means the main thread is the limit; well below, waiting is (fsyncs).
  await startProfile();
  let elu = performance.eventLoopUtilization();
  const stow = await stowAll(bridge, instances, { batch: 10, concurrency: 4 });
  elu = performance.eventLoopUtilization(elu);
  await stopProfile('stow');
  console.log(
    `STOW-RS ${instances.length} instances: ${fmt(instances.length / stow.seconds, 0)} inst/s, ${fmt(totalMb / stow.seconds)} MB/s, event loop ${fmt(elu.utilization * 100, 0)}% busy${stow.failed ? ` (${stow.failed} failed)` : ''}`,
  );
  await stowAll(bridge, seriesFiles, { batch: 10, concurrency: 4 });
  const speeds = [];
  await startProfile();
  elu = performance.eventLoopUtilization();
  for (let i = 0; i <= Number(values.runs); i++) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${bridge.url}/studies/${study}/series/${series}`, {
      headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    });
    let received = 0;
    for await (const chunk of res.body) received += chunk.length;
    if (i > 0) speeds.push(mb(received) / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  speeds.sort((a, b) => a - b);
  elu = performance.eventLoopUtilization(elu);
  await stopProfile('wado');
  console.log(
    `WADO-RS series (${seriesFiles.length} instances): ${fmt(speeds[speeds.length >> 1])} MB/s median, event loop ${fmt(elu.utilization * 100, 0)}% busy`,
  );
  await bridge.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
