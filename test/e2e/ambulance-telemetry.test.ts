// Store-and-forward telemetry end to end (issue 5): the simulator streams ECG + vitals + position +
// events into a real platform through its file journal; a hospital board watches. Whatever happens
// in between — a 30 s outage with lossy, slow links, a server restart, the sender killed -9 — every
// sample the sender accepted is stored exactly once and in order, and the board sees them all; a
// second sender starting with an empty journal on the same run numbers on after the first.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEMETRY_STREAMS, type TelemetryStream } from '@telemed/signaling/protocol';
import { startSimulator, type SimOptions } from '../../signaling/src/ambulance-cli/simulator.js';
import { canonicalJson } from '../../signaling/src/protocol/canonical-json.js';
import type { AnySample } from '../../signaling/src/ambulance-client/outbox.js';
import { DEMO_PASSWORD, login } from './support/api.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { TelemetryWatch, storedHistory, until } from './support/telemetry-watch.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PTB = join(REPO, 'test/fixtures/ecg/wfdb/ptbdb-s0010_re/s0010_re.hea');
const work = mkdtempSync(join(tmpdir(), 'telemed-amb-e2e-'));
let platform: TestPlatform;
let boardToken: string;

beforeAll(async () => {
  // (c) runs the simulator as the operator does: the compiled CLI.
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', 'signaling'], {
    cwd: REPO,
  });
  platform = await startTestPlatform({ dataDir: join(work, 'data') });
  boardToken = (await login(platform.url, 'dr.wang')).accessToken;
});
afterAll(async () => {
  await platform?.close();
  rmSync(work, { recursive: true, force: true });
});

function simOptions(name: string, extra: Partial<SimOptions>): SimOptions {
  return {
    url: platform.url,
    user: 'amb.sun',
    password: DEMO_PASSWORD,
    record: PTB,
    callsign: name,
    destination: 'county-hospital',
    category: 'chest-pain',
    complaint: 'Simulated run',
    journal: join(work, `${name}.journal`),
    lossPct: 0,
    latencyMs: 0,
    scenario: 'stable',
    statusEveryS: 3600,
    log: () => undefined,
    ...extra,
  };
}

/** The server has exactly what the sender recorded, stream by stream, seq 1..N in order. */
async function expectStoredExactly(
  baseUrl: string,
  runId: string,
  recorded: Map<TelemetryStream, AnySample[]>,
) {
  for (const stream of TELEMETRY_STREAMS) {
    const stored = await storedHistory(baseUrl, boardToken, runId, stream);
    const mine = recorded.get(stream)!;
    expect(mine.map((s) => s.seq)).toEqual(mine.map((_, i) => i + 1));
    expect(
      stored.map((s) => s.seq),
      stream,
    ).toEqual(mine.map((s) => s.seq));
    expect(stored, stream).toEqual(mine);
  }
}

/** The board has every sample once, in order. */
async function expectBoardComplete(watch: TelemetryWatch, recorded: Map<TelemetryStream, AnySample[]>) {
  const want = (s: TelemetryStream) => recorded.get(s)!.length;
  await until(
    () => TELEMETRY_STREAMS.every((s) => watch.samples.get(s)!.length === want(s)),
    'the board to hold every sample',
  );
  for (const stream of TELEMETRY_STREAMS)
    expect(watch.samples.get(stream)!.map((s) => s.seq)).toEqual(recorded.get(stream)!.map((s) => s.seq));
}

const collector = () => {
  const recorded = new Map<TelemetryStream, AnySample[]>(TELEMETRY_STREAMS.map((s) => [s, []]));
  return { recorded, onAccepted: (stream: TelemetryStream, s: AnySample) => recorded.get(stream)!.push(s) };
};

describe('ambulance telemetry: store and forward', () => {
  it('a 30 s outage (plus 5 % loss and 40 ms latency): every sample stored once, in order; the board sees all', async () => {
    const watch = new TelemetryWatch(platform.url, boardToken);
    await watch.connected();
    const { recorded, onAccepted } = collector();
    let wentOffline = false;
    let maxPendingEcg = 0;
    const sim = await startSimulator(
      simOptions('E2E-OUT', {
        durationS: 45,
        dropAtS: 5,
        dropForS: 30,
        lossPct: 5,
        latencyMs: 40,
        scenario: 'hypoxia',
        onAccepted,
        onStatus: (s) => {
          wentOffline ||= !s.online;
          maxPendingEcg = Math.max(maxPendingEcg, s.pending.ecg);
        },
      }),
    );
    watch.follow(sim.runId);
    expect(await sim.finished).toBe(true);
    expect(wentOffline).toBe(true);
    expect(maxPendingEcg).toBeGreaterThanOrEqual(115); // 30 s of 250 ms chunks waited in the journal
    expect(recorded.get('ecg')!.length).toBe(180);
    expect(recorded.get('vitals')!.length).toBe(45);
    expect(recorded.get('event')!.length).toBe(2); // 'monitoring started', '12-lead ECG acquired'
    await expectStoredExactly(platform.url, sim.runId, recorded);
    await expectBoardComplete(watch, recorded);
    // The board's connection stayed up: live notifications alone were complete and in order.
    expect(watch.connects).toBe(1);
    expect(watch.gaps).toBe(0);
    expect(watch.duplicates).toBe(0);
    watch.close();
  });

  it('the server restarted mid-stream (same data, same port): same guarantee', async () => {
    const watch = new TelemetryWatch(platform.url, boardToken);
    await watch.connected();
    const { recorded, onAccepted } = collector();
    const sim = await startSimulator(simOptions('E2E-RESTART', { durationS: 25, onAccepted }));
    watch.follow(sim.runId);
    await until(() => sim.sender.status().acked.ecg >= 20, 'ECG acknowledged before the restart');
    const port = platform.platform.port;
    await platform.close();
    const ackedBefore = sim.sender.status().acked.ecg;
    // Down while the ambulance keeps recording into its journal.
    await until(() => sim.outbox.pendingCount('ecg') >= 8, 'a backlog during the restart');
    platform = await startTestPlatform({ dataDir: join(work, 'data'), port });
    expect(await sim.finished).toBe(true);
    expect(sim.sender.status().acked.ecg).toBe(100);
    expect(ackedBefore).toBeLessThan(100);
    await expectStoredExactly(platform.url, sim.runId, recorded);
    await expectBoardComplete(watch, recorded);
    expect(watch.connects).toBeGreaterThanOrEqual(2);
    watch.close();
  });

  it('the sender killed -9 and started again on its journal: same guarantee', async () => {
    const journal = join(work, 'E2E-KILL.journal');
    const logs = [join(work, 'accepted-1.log'), join(work, 'accepted-2.log')];
    const startCli = (args: string[], log: string) =>
      spawn(
        process.execPath,
        [
          join(REPO, 'signaling/dist/ambulance-cli/sim.js'),
          ...['--url', platform.url, '--password', DEMO_PASSWORD, '--callsign', 'E2E-KILL'],
          ...['--journal', journal, '--accepted-log', log, '--status-every', '1', '--latency', '150'],
          ...args,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const output = (child: ChildProcess) => {
      let text = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
      return () => text;
    };
    const first = startCli(['--duration', '120'], logs[0]!);
    const firstOut = output(first);
    await until(
      () => /acked [1-9]\d+ /.test(firstOut()) && lines(logs[0]!).length > 60,
      'the first sender streaming',
    );
    const runId = /run (\S+): recording/.exec(firstOut())![1]!;
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const second = startCli(['--run', runId, '--duration', '8'], logs[1]!);
    const secondOut = output(second);
    const code = await new Promise<number | null>((r) => second.once('exit', r));
    expect(code, secondOut()).toBe(0); // drained: everything acknowledged

    const accepted = new Map<string, string>();
    for (const log of logs)
      for (const line of lines(log)) {
        const [stream, seq, hash] = line.split(' ');
        expect(accepted.has(`${stream}:${seq}`), 'a seq accepted twice').toBe(false);
        accepted.set(`${stream}:${seq}`, hash!);
      }
    for (const stream of TELEMETRY_STREAMS) {
      const stored = await storedHistory(platform.url, boardToken, runId, stream);
      expect(stored.map((s) => s.seq)).toEqual(stored.map((_, i) => i + 1));
      let unlogged = 0;
      for (const s of stored) {
        const hash = accepted.get(`${stream}:${s.seq}`);
        if (hash === undefined)
          unlogged++; // durable in the journal, killed before its log line
        else expect(sha256(canonicalJson(s)), `${stream} ${s.seq}`).toBe(hash);
      }
      expect(unlogged).toBeLessThanOrEqual(2);
      const mine = [...accepted.keys()].filter((k) => k.startsWith(`${stream}:`)).length;
      expect(stored.length).toBe(mine + unlogged);
    }
  });

  it('a second simulator with a fresh journal on the same run: stored after the first, none dropped', async () => {
    const { recorded, onAccepted } = collector();
    const first = await startSimulator(simOptions('E2E-TWO', { durationS: 6, onAccepted }));
    expect(await first.finished).toBe(true);
    const runId = first.runId;
    // Another process on another journal (a second device, a lost journal): without the server's
    // acked it would number from 1 again and the server would take its samples for resends.
    const log = join(work, 'accepted-two.log');
    const second = spawn(
      process.execPath,
      [
        join(REPO, 'signaling/dist/ambulance-cli/sim.js'),
        ...['--url', platform.url, '--password', DEMO_PASSWORD, '--callsign', 'E2E-TWO-B'],
        ...['--journal', join(work, 'E2E-TWO-B.journal'), '--accepted-log', log, '--status-every', '60'],
        ...['--run', runId, '--duration', '5'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    second.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    second.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    // 'close': the process has exited and its output is all read.
    const code = await new Promise<number | null>((r) => second.once('close', r));
    expect(code, out).toBe(0);
    expect(out).not.toMatch(/ERROR|STALLED/);

    const secondAccepted = new Map<TelemetryStream, { seq: number; hash: string }[]>(
      TELEMETRY_STREAMS.map((s) => [s, []]),
    );
    for (const line of lines(log)) {
      const [stream, seq, hash] = line.split(' ') as [TelemetryStream, string, string];
      secondAccepted.get(stream)!.push({ seq: Number(seq), hash });
    }
    expect(secondAccepted.get('ecg')!.length, out).toBe(20); // 5 s of 250 ms chunks
    for (const stream of TELEMETRY_STREAMS) {
      const stored = await storedHistory(platform.url, boardToken, runId, stream);
      const mine = recorded.get(stream)!;
      const theirs = secondAccepted.get(stream)!;
      // The first's samples as they were, then every one of the second's, numbered on after them.
      expect(stored.length, stream).toBe(mine.length + theirs.length);
      expect(stored.slice(0, mine.length), stream).toEqual(mine);
      expect(
        theirs.map((x) => x.seq),
        stream,
      ).toEqual(theirs.map((_, i) => mine.length + i + 1));
      expect(
        stored.slice(mine.length).map((x) => sha256(canonicalJson(x))),
        stream,
      ).toEqual(theirs.map((x) => x.hash));
    }
  });
});

const lines = (path: string) => {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
