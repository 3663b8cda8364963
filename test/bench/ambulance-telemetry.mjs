// Ambulance telemetry benchmark (issue 5): N simulated ambulances (default 20; `--ambulances N`)
// each streaming 12-lead 500 Hz ECG in 250 ms chunks + vitals + GPS each second through the real
// simulator and store-and-forward sender, in sender processes of 10 vehicles; the server is
// `node signaling/dist/main.js` in its own process; one hospital board watches everything.
// Figures: end-to-end latency sample time → board (p50/p99), server CPU per ambulance over a steady
// window (minus an idle baseline), then a 30 s outage of every vehicle and the backlog drain (samples
// and seconds) while live data goes on. Nothing is asserted.
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    ambulances: { type: 'string', default: '20' },
    'per-process': { type: 'string', default: '10' },
    steady: { type: 'string', default: '30' },
    outage: { type: 'string', default: '30' },
  },
});
const N = Number(values.ambulances);
const PER_PROCESS = Number(values['per-process']);
const STEADY_S = Number(values.steady);
const OUTAGE_S = Number(values.outage);
const PASSWORD = 'bench-password';
const RECORD = join(REPO, 'test/fixtures/ecg/wfdb/ptbdb-s0010_re/s0010_re.hea');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** CPU seconds (user + system) a process has used. */
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

if (!existsSync(join(REPO, 'signaling/dist/ambulance-cli/simulator.js')))
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', 'signaling'], {
    cwd: REPO,
  });

const work = mkdtempSync(join(tmpdir(), 'telemed-bench-ambulance-'));
const port = await freePort();
const rtcMin = 20_000 + Math.floor(Math.random() * 500) * 20;
const server = spawn(process.execPath, [join(REPO, 'signaling/dist/main.js')], {
  cwd: REPO,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TELEMED_DATA_DIR: join(work, 'data'),
    TELEMED_DEMO_PASSWORD: PASSWORD,
    TELEMED_DICOM_PORT: 'off',
    LOG_LEVEL: 'warn',
    MEDIASOUP_NUM_WORKERS: '1',
    RTC_MIN_PORT: String(rtcMin),
    RTC_MAX_PORT: String(rtcMin + 19),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
const children = [];
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  server.kill('SIGTERM');
};
process.on('exit', cleanup);

try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/readyz`).catch(() => null))?.ok) break;
    if (i > 300) throw new Error('server did not become ready');
    await sleep(100);
  }
  const login = await (
    await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dr.wang', password: PASSWORD }),
    })
  ).json();

  // The hospital board: every inbound run's telemetry, latency measured on arrival.
  let measuring = false;
  const latency = { ecg: [], vitals: [], position: [] };
  let boardItems = 0;
  const board = io(url, { transports: ['websocket'], auth: { token: login.accessToken } });
  await new Promise((r) => board.once('connect', r));
  await board.timeout(10_000).emitWithAck('request', { method: 'board:watch', data: {} });
  board.on('notification', ({ method, data }) => {
    if (method !== 'telemetry') return;
    const now = Date.now();
    boardItems += data.items.length;
    if (!measuring || !(data.stream in latency)) return;
    // An ECG chunk exists only once its last sample is taken: measure from the chunk's end.
    const ready = data.stream === 'ecg' ? (s) => s.t + (s.count / s.sampleRate) * 1000 : (s) => s.t;
    for (const s of data.items) latency[data.stream].push(now - ready(s));
  });

  // Idle baseline: the platform with a board connected, no ambulance.
  await sleep(2000);
  let c0 = cpuSeconds(server.pid);
  await sleep(10_000);
  const idleCpu = (cpuSeconds(server.pid) - c0) / 10;

  // The fleet.
  const status = new Map();
  const drained = [];
  for (let first = 0; first < N; first += PER_PROCESS) {
    const count = Math.min(PER_PROCESS, N - first);
    const child = fork(
      join(REPO, 'test/bench/lib/ambulance-fleet.mjs'),
      [JSON.stringify({ url, password: PASSWORD, count, first, record: RECORD, workDir: work })],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    children.push(child);
    await new Promise((resolve, reject) => {
      child.on('message', (m) => {
        if (m.type === 'ready') resolve();
        if (m.type === 'status') status.set(child.pid, m);
        if (m.type === 'drained') drained.push(m);
      });
      child.once('exit', (code) => reject(new Error(`sender process exited with ${code}`)));
    });
  }
  const totals = () =>
    [...status.values()].reduce(
      (a, s) => ({ pending: a.pending + s.pending, acked: a.acked + s.acked, online: a.online + s.online }),
      { pending: 0, acked: 0, online: 0 },
    );
  const fleetCpu = () => children.reduce((a, c) => a + cpuSeconds(c.pid), 0);

  // Warm up, then the steady window.
  await sleep(10_000);
  measuring = true;
  c0 = cpuSeconds(server.pid);
  const f0 = fleetCpu();
  const a0 = totals().acked;
  const t0 = Date.now();
  await sleep(STEADY_S * 1000);
  const steadyS = (Date.now() - t0) / 1000;
  const steadyCpu = (cpuSeconds(server.pid) - c0) / steadyS;
  const senderCpu = (fleetCpu() - f0) / steadyS;
  const steadyRate = (totals().acked - a0) / steadyS;
  measuring = false;

  // Every vehicle loses its link for the outage, keeps recording, then drains its backlog.
  for (const c of children) c.send('drop');
  await sleep(OUTAGE_S * 1000);
  const offline = N - totals().online;
  for (const c of children) c.send('restore');
  const restoredAt = Date.now();
  while (drained.length < children.length && Date.now() - restoredAt < 120_000) await sleep(20);
  const backlog = drained.reduce((a, d) => a + d.backlog, 0);
  const drainS = Math.max(...drained.map((d) => d.ms)) / 1000;

  const stopped = await Promise.all(
    children.map((c) => {
      const done = new Promise((r) => c.on('message', (m) => m.type === 'stopped' && r(m)));
      c.send('stop');
      return done;
    }),
  );

  const ms = (v) => `${Math.round(v)} ms`;
  const line = (name, arr) => {
    const s = [...arr].sort((a, b) => a - b);
    return `  ${name.padEnd(9)} p50 ${ms(pct(s, 50)).padStart(7)}   p99 ${ms(pct(s, 99)).padStart(7)}   max ${ms(s.at(-1)).padStart(7)}   (${s.length} samples)`;
  };
  console.log(`
Ambulance telemetry — ${N} ambulances (12-lead 500 Hz ECG in 250 ms chunks + vitals + GPS at 1 Hz),
server = node signaling/dist/main.js, ${children.length} sender process(es), 1 board watcher, ${steadyS.toFixed(0)} s steady window
End-to-end latency, sample time → board notification (ECG from the chunk's last sample):
${line('ecg', latency.ecg)}
${line('vitals', latency.vitals)}
${line('position', latency.position)}
Throughput: ${steadyRate.toFixed(0)} samples/s acknowledged (${(steadyRate / N).toFixed(1)} per ambulance)
Server CPU: idle ${(idleCpu * 100).toFixed(1)} % of a core; streaming ${(steadyCpu * 100).toFixed(1)} %;
  per ambulance ${(((steadyCpu - idleCpu) / N) * 100).toFixed(2)} % of a core
Sender processes CPU: ${((senderCpu / N) * 100).toFixed(2)} % of a core per simulated ambulance
Outage: all ${N} links down ${OUTAGE_S} s (${offline} offline at its end), live recording went on
  backlog ${backlog} samples; drained in ${drainS.toFixed(2)} s = ${(backlog / drainS).toFixed(0)} samples/s (live data flowing meanwhile)
Board received ${boardItems} samples in all; every sender drained at the end: ${stopped.every((s) => s.drained)}
`);
} finally {
  cleanup();
  await sleep(500);
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
