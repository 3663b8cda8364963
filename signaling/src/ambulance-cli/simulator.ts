// The ambulance device simulator: plays a WFDB recording as 12-lead 500 Hz ECG in 250 ms chunks in
// real time, with vitals each second (HR from the R-peaks of the played ECG, the rest from the
// scenario), NIBP every minute, GPS once a second along the road to the destination and a few crew
// events — all through the store-and-forward outbox (file journal) and sender, with network faults
// on request. Used by the CLI (sim.ts), the telemetry e2e test and the benchmark.
import { rename } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import type { RunCategory, StreamAcks, TelemetryStream } from '../protocol/index.js';
import { TelemetryOutbox, zeroAcks, type AnySample, type SampleInput } from '../ambulance-client/outbox.js';
import { TelemetrySender, type SenderStatus } from '../ambulance-client/sender.js';
import { socketTransport } from '../ambulance-client/transport.js';
import { EcgPlayer, PLAY_RATE_HZ } from './ecg-player.js';
import { faultyTransport } from './faults.js';
import { FileJournal } from './file-journal.js';
import { RPeakDetector } from './r-peaks.js';
import { Route } from './route.js';
import { ScenarioModel, hashSeed, seededRandom, type Scenario } from './scenario.js';
import { SimApi } from './sim-api.js';

export const CHUNK_MS = 250;
const CHUNK_SAMPLES = (PLAY_RATE_HZ * CHUNK_MS) / 1000;
/** Where the route starts when the destination has no location on file. */
const FALLBACK_DESTINATION = { lat: 29.7932, lon: 119.6853 };

export interface SimOptions {
  url: string;
  user: string;
  password: string;
  /** WFDB header path. */
  record: string;
  callsign: string;
  destination: string;
  category: RunCategory;
  complaint: string;
  /** Continue this run instead of creating one. */
  runId?: string;
  journal: string;
  /** Stop recording after this many seconds (then wait for the backlog to drain); default: run until stop(). */
  durationS?: number;
  dropAtS?: number;
  dropForS?: number;
  lossPct: number;
  latencyMs: number;
  scenario: Scenario;
  statusEveryS: number;
  /** How long to wait at the end for the server to acknowledge everything. Default 120 s. */
  drainTimeoutS?: number;
  log: (line: string) => void;
  /** Each sample once it is durable in the journal (tests compare this with the server). */
  onAccepted?: (stream: TelemetryStream, sample: AnySample) => void;
  onStatus?: (status: SenderStatus) => void;
  /** One login shared by several simulated vehicles in a process (the login limit is per user). */
  api?: SimApi;
}

export interface SimHandle {
  runId: string;
  sender: TelemetrySender;
  outbox: TelemetryOutbox;
  socket: Socket;
  /** Stops recording, waits for the drain (bounded), closes; resolves with whether all was acknowledged. */
  stop(): Promise<boolean>;
  /** Resolves when the run ends by itself (duration reached) and everything is closed. */
  finished: Promise<boolean>;
}

/**
 * Picks the run: `--run`, else the unsent run in the journal, else a new one (fresh journal); with
 * where the server's streams stand when known, so a fresh journal on a run with telemetry numbers on
 * after it (the journal's own run learns it from the sender's resume).
 */
async function resolveRun(api: SimApi, o: SimOptions): Promise<{ runId: string; baseline?: StreamAcks }> {
  const held = await FileJournal.inspect(o.journal);
  if (o.runId) {
    if (held?.runId && held.runId !== o.runId) {
      if (held.pending > 0)
        throw new Error(
          `${o.journal} holds ${held.pending} unsent samples of run ${held.runId}; use --run ${held.runId} or another --journal`,
        );
      await rename(o.journal, `${o.journal}.${held.runId}.done`);
    }
    const run = await api.run(o.runId); // exists and is ours
    return { runId: o.runId, baseline: run.acked };
  }
  if (held?.runId && held.pending > 0) {
    o.log(
      `journal ${o.journal} holds ${held.pending} unsent samples of run ${held.runId}: continuing that run`,
    );
    return { runId: held.runId };
  }
  if (held) await rename(o.journal, `${o.journal}.${held.runId ?? 'empty'}.done`);
  const run = await api.createRun({
    callsign: o.callsign,
    destinationId: o.destination,
    patient: { complaint: o.complaint, category: o.category },
  });
  o.log(`created run ${run.id} (${o.callsign} → ${run.destination.name})`);
  return { runId: run.id, baseline: zeroAcks() };
}

export async function startSimulator(o: SimOptions): Promise<SimHandle> {
  const api = o.api ?? new SimApi(o.url, o.user, o.password);
  const player = await EcgPlayer.load(o.record);
  const { runId, baseline } = await resolveRun(api, o);
  const hospital = (await api.hospitals()).find((h) => h.id === o.destination);
  const random = seededRandom(hashSeed(`${o.callsign}/${runId}`));
  const outbox = await TelemetryOutbox.open(await FileJournal.open(o.journal), runId, { baseline });
  if (o.onAccepted) outbox.onAccepted(o.onAccepted);

  const socket = io(o.url, {
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    auth: (cb) =>
      void api.token().then(
        (token) => cb({ token }),
        () => cb({}),
      ),
  });
  const sender = new TelemetrySender(
    outbox,
    faultyTransport(socketTransport(socket), { lossPct: o.lossPct, latencyMs: o.latencyMs }, random),
    { ackTimeoutMs: o.lossPct > 0 ? 3000 : 10_000 },
  );
  sender.onError((stream, e) =>
    o.log(`ERROR ${stream} stream stopped by the server: ${e.code} ${e.message}`),
  );
  if (o.onStatus) sender.onStatus(o.onStatus);

  const baseHr = player.recordedHeartRate() ?? 75;
  const model = new ScenarioModel(o.scenario, hashSeed(runId), baseHr);
  const route = new Route(
    hospital?.location ?? FALLBACK_DESTINATION,
    8000 + 6000 * random(),
    360 * random(),
    random,
  );
  const detector = new RPeakDetector(PLAY_RATE_HZ);
  const rhythm = player.rhythmLeadIndex;

  const t0 = Date.now();
  let chunk = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let recording = true;
  let fatal: Error | null = null;
  const record = <S extends TelemetryStream>(stream: S, sample: SampleInput<S>) =>
    outbox.record(stream, sample).catch((err: unknown) => {
      // A sample the outbox refuses is a bug in this simulator; a journal failure ends the run.
      o.log(`ERROR recording ${stream}: ${err instanceof Error ? err.message : String(err)}`);
      if (outbox.failed) fatal = outbox.failed;
    });

  const second = (k: number) => {
    const t = t0 + k * 1000;
    const v = model.at(k);
    const hr = detector.heartRate();
    void record('vitals', {
      t,
      ...(hr !== undefined ? { hr } : {}),
      spo2: v.spo2,
      rr: v.rr,
      etco2: v.etco2,
      tempC: v.tempC,
      ...(k % 60 === 0 ? { nibp: { sys: v.sys, dia: v.dia, map: Math.round((v.sys + 2 * v.dia) / 3) } } : {}),
    });
    void record('position', { t, ...route.step(1) });
    for (const e of model.eventsAt(k)) void record('event', { t, ...e });
  };

  // Each sample is recorded the moment it exists: a second's vitals/GPS at its start, an ECG chunk
  // when its last sample is taken, so the latency measured from `t` is the system's, not ours.
  let nextSecond = 0;
  const endMs = o.durationS === undefined ? Infinity : o.durationS * 1000;
  const tick = () => {
    const now = Date.now();
    for (;;) {
      const chunkDue = t0 + (chunk + 1) * CHUNK_MS;
      const secondDue = t0 + nextSecond * 1000;
      if (nextSecond * 1000 < endMs && secondDue <= now && secondDue <= chunkDue) {
        second(nextSecond++);
        continue;
      }
      if (!recording || chunkDue > now) break;
      const played = player.next(CHUNK_SAMPLES, model.playRate((chunk * CHUNK_MS) / 1000));
      detector.push(played.data.subarray(rhythm * CHUNK_SAMPLES, (rhythm + 1) * CHUNK_SAMPLES));
      void record('ecg', {
        t: t0 + chunk * CHUNK_MS,
        sampleRate: PLAY_RATE_HZ,
        leads: played.leads,
        count: played.count,
        microvoltsPerUnit: player.microvoltsPerUnit,
        data: base64(played.data),
      });
      chunk++;
    }
    if (fatal || chunk * CHUNK_MS >= endMs) {
      recording = false;
      void stop();
      return;
    }
    const due = Math.min(t0 + (chunk + 1) * CHUNK_MS, t0 + nextSecond * 1000);
    if (recording) timer = setTimeout(tick, Math.max(0, due - Date.now()));
  };

  const faults: ReturnType<typeof setTimeout>[] = [];
  if (o.dropAtS !== undefined && o.dropForS) {
    const dropFor = o.dropForS;
    faults.push(
      setTimeout(() => {
        o.log(`fault: link down for ${dropFor} s`);
        socket.disconnect(); // a client-side disconnect: Socket.IO will not reconnect until told
        faults.push(
          setTimeout(() => {
            o.log('fault: link back');
            socket.connect();
          }, dropFor * 1000),
        );
      }, o.dropAtS * 1000),
    );
  }

  const statusTimer = setInterval(
    () => o.log(statusLine(o.callsign, t0, sender.status())),
    o.statusEveryS * 1000,
  );
  let stopping: Promise<boolean> | null = null;
  let finish!: (drained: boolean) => void;
  const finished = new Promise<boolean>((r) => (finish = r));
  const stop = (): Promise<boolean> =>
    (stopping ??= (async () => {
      recording = false;
      if (timer) clearTimeout(timer);
      await outbox.flush();
      const deadline = Date.now() + (o.drainTimeoutS ?? 120) * 1000;
      while (!sender.drained && Date.now() < deadline && !fatal) await new Promise((r) => setTimeout(r, 100));
      for (const f of faults) clearTimeout(f);
      clearInterval(statusTimer);
      const drained = sender.drained;
      o.log(
        statusLine(o.callsign, t0, sender.status()) +
          (drained ? ' — all acknowledged' : ' — NOT all acknowledged (kept in the journal)'),
      );
      sender.stop();
      socket.close();
      await outbox.close();
      finish(drained);
      return drained;
    })());

  tick();
  return { runId, sender, outbox, socket, stop, finished };
}

function base64(data: Int16Array): string {
  // Little-endian on every platform Node runs on; the wire format is LE.
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

function statusLine(callsign: string, t0: number, s: SenderStatus): string {
  const el = Math.floor((Date.now() - t0) / 1000);
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const pending = sum(s.pending);
  const stalled = Object.keys(s.stalled);
  return (
    `[sim ${callsign}] ${Math.floor(el / 60)}:${String(el % 60).padStart(2, '0')} ${s.online ? 'online ' : 'OFFLINE'}` +
    ` acked ${sum(s.acked)} (ecg ${s.acked.ecg}, vitals ${s.acked.vitals}, position ${s.acked.position}, event ${s.acked.event})` +
    ` pending ${pending}${pending ? ` (ecg ${s.pending.ecg})` : ''} sent ${sum(s.sent)}` +
    (stalled.length ? ` STALLED ${stalled.join(',')}` : '')
  );
}
