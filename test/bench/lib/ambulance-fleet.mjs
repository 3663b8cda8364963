// A sender process of the ambulance benchmark: N simulated vehicles (the real simulator: WFDB
// playback, file journals, the store-and-forward sender), one login shared by all of them. Driven
// over IPC by test/bench/ambulance-telemetry.mjs: 'drop' / 'restore' take every vehicle's link down
// and up, 'stop' ends the runs; it reports its senders' totals every 500 ms.
import { join } from 'node:path';
import { startSimulator } from '../../../signaling/dist/ambulance-cli/simulator.js';
import { SimApi } from '../../../signaling/dist/ambulance-cli/sim-api.js';

const { url, password, count, first, record, workDir } = JSON.parse(process.argv[2]);
const api = new SimApi(url, 'amb.sun', password);
const sims = [];
for (let i = 0; i < count; i++) {
  const callsign = `BENCH-${String(first + i).padStart(2, '0')}`;
  sims.push(
    await startSimulator({
      url,
      user: 'amb.sun',
      password,
      api,
      record,
      callsign,
      destination: 'county-hospital',
      category: 'medical',
      complaint: 'Benchmark run',
      journal: join(workDir, `${callsign}.journal`),
      lossPct: 0,
      latencyMs: 0,
      scenario: 'stable',
      statusEveryS: 3600,
      drainTimeoutS: 60,
      log: (line) => {
        if (line.includes('ERROR')) process.stderr.write(`${line}\n`);
      },
    }),
  );
}
process.send({ type: 'ready', runIds: sims.map((s) => s.runId) });

const totals = () => {
  let pending = 0;
  let acked = 0;
  let online = 0;
  for (const s of sims) {
    const st = s.sender.status();
    pending += Object.values(st.pending).reduce((a, b) => a + b, 0);
    acked += Object.values(st.acked).reduce((a, b) => a + b, 0);
    if (st.online) online++;
  }
  return { pending, acked, online };
};
const report = setInterval(() => process.send({ type: 'status', ...totals() }), 200);
const STREAMS = ['vitals', 'position', 'event', 'ecg'];

/** After a restore: the backlog is drained once every sample recorded before it is acknowledged. */
function watchDrain() {
  const restoredAt = Date.now();
  const targets = sims.map((s) => Object.fromEntries(STREAMS.map((st) => [st, s.outbox.lastSeq(st)])));
  let backlog = 0;
  sims.forEach((s, i) => STREAMS.forEach((st) => (backlog += targets[i][st] - s.outbox.acked(st))));
  const poll = setInterval(() => {
    const done = sims.every((s, i) => STREAMS.every((st) => s.outbox.acked(st) >= targets[i][st]));
    if (!done) return;
    clearInterval(poll);
    process.send({ type: 'drained', backlog, ms: Date.now() - restoredAt });
  }, 10);
}

process.on('message', async (msg) => {
  if (msg === 'drop') for (const s of sims) s.socket.disconnect();
  if (msg === 'restore') {
    for (const s of sims) s.socket.connect();
    watchDrain();
  }
  if (msg === 'stop') {
    clearInterval(report);
    const drained = await Promise.all(sims.map((s) => s.stop()));
    process.send({ type: 'stopped', drained: drained.every(Boolean), ...totals() });
    process.exit(0);
  }
});
