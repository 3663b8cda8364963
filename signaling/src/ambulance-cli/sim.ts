#!/usr/bin/env node
// `npm run ambulance:sim -- [options]`: an ambulance monitor without a vehicle. Plays a PhysioNet
// recording as live 12-lead ECG + vitals + GPS into a run, store-and-forward, with network faults on
// request. Prints one status line every few seconds; never prints vitals or patient data.
/* eslint-disable no-console -- this is the command-line entry: the console is its interface */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUN_CATEGORIES, type RunCategory, type TelemetryStream } from '../protocol/index.js';
import type { AnySample } from '../ambulance-client/outbox.js';
import { canonicalJson } from '../protocol/canonical-json.js';
import { SCENARIOS, type Scenario } from './scenario.js';
import { startSimulator } from './simulator.js';

const DEFAULT_RECORD = fileURLToPath(
  new URL('../../../test/fixtures/ecg/wfdb/ptbdb-s0010_re/s0010_re.hea', import.meta.url),
);

const USAGE = `Usage: npm run ambulance:sim -- [options]
  --url URL            server (default http://localhost:8080)
  --user NAME          crew account (default amb.sun)
  --password PW        (default $TELEMED_DEMO_PASSWORD or the demo password)
  --record FILE.hea    WFDB record to play, looped (default the PTB 12-lead fixture s0010_re)
  --callsign CS        vehicle call sign (default 120-01)
  --destination ID     receiving hospital (default county-hospital)
  --category C         ${RUN_CATEGORIES.join('|')} (default chest-pain)
  --complaint TEXT     chief complaint as the crew would type it (default "Simulated run")
  --run ID             continue this run instead of creating one
  --journal FILE       store-and-forward journal (default ./var/ambulance/<callsign>.journal)
  --duration S         stop recording after S seconds, then wait for the backlog to drain
  --scenario S         ${SCENARIOS.join('|')} (default stable)
  --drop-at S --drop-for S   link down at S s for S s (reconnect refused meanwhile)
  --loss P             drop P % of pushes before the wire (no answer: resent)
  --latency MS         delay each request and each answer by MS
  --status-every S     status line interval (default 5)
  --accepted-log FILE  append "stream seq sha256" per durable sample (tests/audits; no sample content)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const num = (v: string | undefined, name: string, min = 0): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number ≥ ${min}`);
  return n;
};

/**
 * One line per durable sample, written synchronously as it is accepted, so a kill -9 loses none that
 * were reported: a test can then check the server against exactly what this process accepted.
 */
function acceptedLog(path: string): (stream: TelemetryStream, sample: AnySample) => void {
  return (stream, sample) =>
    appendFileSync(
      path,
      `${stream} ${sample.seq} ${createHash('sha256').update(canonicalJson(sample)).digest('hex')}\n`,
    );
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string', default: 'http://localhost:8080' },
        user: { type: 'string', default: 'amb.sun' },
        password: { type: 'string', default: process.env.TELEMED_DEMO_PASSWORD || 'telemed-demo' },
        record: { type: 'string', default: DEFAULT_RECORD },
        callsign: { type: 'string', default: '120-01' },
        destination: { type: 'string', default: 'county-hospital' },
        category: { type: 'string', default: 'chest-pain' },
        complaint: { type: 'string', default: 'Simulated run' },
        run: { type: 'string' },
        journal: { type: 'string' },
        duration: { type: 'string' },
        scenario: { type: 'string', default: 'stable' },
        'drop-at': { type: 'string' },
        'drop-for': { type: 'string' },
        loss: { type: 'string', default: '0' },
        latency: { type: 'string', default: '0' },
        'status-every': { type: 'string', default: '5' },
        'accepted-log': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!(RUN_CATEGORIES as readonly string[]).includes(values.category))
    fail(`unknown --category ${values.category}`);
  if (!(SCENARIOS as readonly string[]).includes(values.scenario))
    fail(`unknown --scenario ${values.scenario}`);
  const loss = num(values.loss, 'loss')!;
  if (loss >= 100) fail('--loss must be below 100');
  const callsign = values.callsign.trim();
  const sim = await startSimulator({
    url: values.url,
    user: values.user,
    password: values.password,
    record: values.record,
    callsign,
    destination: values.destination,
    category: values.category as RunCategory,
    complaint: values.complaint,
    runId: values.run,
    journal: values.journal ?? `./var/ambulance/${callsign.replace(/[^A-Za-z0-9._-]/g, '_')}.journal`,
    durationS: num(values.duration, 'duration', 1),
    dropAtS: num(values['drop-at'], 'drop-at'),
    dropForS: num(values['drop-for'], 'drop-for'),
    lossPct: loss,
    latencyMs: num(values.latency, 'latency')!,
    scenario: values.scenario as Scenario,
    statusEveryS: num(values['status-every'], 'status-every', 1)!,
    log: (line) => console.log(line),
    ...(values['accepted-log'] ? { onAccepted: acceptedLog(values['accepted-log']) } : {}),
  });
  console.log(`run ${sim.runId}: recording (Ctrl-C stops and waits for the backlog)`);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log(
      'stopping: waiting for the server to acknowledge the backlog (Ctrl-C again to leave it in the journal)',
    );
    void sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const drained = await sim.finished;
  process.exit(drained ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`ambulance:sim failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
