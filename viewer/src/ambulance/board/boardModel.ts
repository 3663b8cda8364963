// The board's state outside React: the inbound runs and, per run and stream, the samples applied so
// far. Telemetry must show each sample once and leave no holes after a network blip, so every stream
// keeps the highest seq applied; a notification repeating older seqs is ignored, and one that skips
// ahead is not applied but reported as a gap, which the caller fills from the REST history
// (GET …/telemetry/:stream?after=<seq>) before live data continues.
import type {
  AmbulanceRun,
  EventSample,
  PositionSample,
  StreamAcks,
  TelemetrySamples,
  TelemetryStream,
  VitalsSample,
} from '@telemed/signaling/protocol';
import { EcgRing } from './ecgRing.js';

/** How much history a newly seen run is filled with (samples; ECG in chunks of ~0.25 s). */
export const BACKFILL: StreamAcks = { vitals: 60, position: 30, event: 50, ecg: 48 };
/** Beyond this many missing ECG chunks the strip skips ahead (shows a gap) rather than replaying. */
export const MAX_ECG_FILL = 240;
const KEEP = { vitals: 600, position: 60, event: 100 } as const;

export interface RunLive {
  run: AmbulanceRun;
  /** Highest seq applied per stream. */
  seq: StreamAcks;
  vitals: VitalsSample[];
  positions: PositionSample[];
  events: EventSample[];
  ecg: EcgRing;
  /** The last cuff measurement: NIBP comes every few minutes, the other vitals every second. */
  nibp: { value: NonNullable<VitalsSample['nibp']>; t: number } | null;
  /** Device time (ms) of the newest vitals sample, for the stale indicator. */
  vitalsAt: number | null;
  /** Bumped on every change React shows (not on ECG chunks: the strip draws those itself). */
  version: number;
}

const startSeq = (acked: number, stream: TelemetryStream) => Math.max(0, acked - BACKFILL[stream]);

export class BoardModel {
  readonly runs = new Map<string, RunLive>();
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * The answer to `board:watch` (first time or after a reconnect): runs not listed have left the board.
   * Returns the streams that are behind the server and need filling.
   */
  setRuns(runs: readonly AmbulanceRun[]): Array<{ runId: string; stream: TelemetryStream }> {
    const listed = new Set(runs.map((r) => r.id));
    for (const id of [...this.runs.keys()]) if (!listed.has(id)) this.runs.delete(id);
    const behind: Array<{ runId: string; stream: TelemetryStream }> = [];
    for (const run of runs) {
      const live = this.upsertRun(run);
      if (!live) continue;
      for (const stream of ['vitals', 'position', 'event', 'ecg'] as const)
        if (run.acked[stream] > live.seq[stream]) behind.push({ runId: run.id, stream });
    }
    this.changed();
    return behind;
  }

  /** A run was created or changed; one that is no longer en route leaves the board. */
  upsertRun(run: AmbulanceRun): RunLive | undefined {
    if (run.status !== 'enroute') {
      this.runs.delete(run.id);
      this.changed();
      return undefined;
    }
    let live = this.runs.get(run.id);
    if (!live) {
      live = {
        run,
        seq: {
          vitals: startSeq(run.acked.vitals, 'vitals'),
          position: startSeq(run.acked.position, 'position'),
          event: startSeq(run.acked.event, 'event'),
          ecg: startSeq(run.acked.ecg, 'ecg'),
        },
        vitals: [],
        positions: [],
        events: [],
        ecg: new EcgRing(),
        vitalsAt: run.latest.vitals?.t ?? null,
        nibp: run.latest.vitals?.nibp ? { value: run.latest.vitals.nibp, t: run.latest.vitals.t } : null,
        version: 0,
      };
      this.runs.set(run.id, live);
    } else {
      live.run = run;
      // Far behind on ECG (a long outage of this board): replaying minutes of it only to scroll past
      // them would stall the strip; skip to the recent past (the ring shows the jump as a gap).
      if (run.acked.ecg - live.seq.ecg > MAX_ECG_FILL) live.seq.ecg = startSeq(run.acked.ecg, 'ecg');
    }
    live.version += 1;
    this.changed();
    return live;
  }

  /**
   * Applies samples (ascending seq) of one stream. Returns true when they skip ahead of what was
   * applied (a gap to fill from the history); the items after the gap are not applied.
   */
  apply<S extends TelemetryStream>(
    runId: string,
    stream: S,
    items: readonly TelemetrySamples[S][],
    now: number,
  ): boolean {
    const live = this.runs.get(runId);
    if (!live) return false;
    let touched = false;
    for (const item of items) {
      if (item.seq <= live.seq[stream]) continue;
      if (item.seq !== live.seq[stream] + 1) {
        if (touched) this.touch(live, stream);
        return true;
      }
      live.seq[stream] = item.seq;
      touched = true;
      switch (stream) {
        case 'vitals':
          push(live.vitals, item as VitalsSample, KEEP.vitals);
          if ((item as VitalsSample).nibp) live.nibp = { value: (item as VitalsSample).nibp!, t: item.t };
          // Device time, not arrival time: a backlog drained after a tunnel is old news and must
          // still read as stale; capped at now for a monitor whose clock runs ahead.
          live.vitalsAt = Math.max(live.vitalsAt ?? 0, Math.min(now, item.t));
          break;
        case 'position':
          push(live.positions, item as PositionSample, KEEP.position);
          break;
        case 'event':
          push(live.events, item as EventSample, KEEP.event);
          break;
        case 'ecg':
          live.ecg.push(item as TelemetrySamples['ecg']);
          break;
      }
    }
    if (touched) this.touch(live, stream);
    return false;
  }

  /** Runs sorted for the board: soonest arrival first, unknown ETAs last (oldest run first). */
  sorted(etaOf: (live: RunLive) => number | null): RunLive[] {
    const key = (l: RunLive) => etaOf(l) ?? Number.POSITIVE_INFINITY;
    return [...this.runs.values()].sort(
      (a, b) => key(a) - key(b) || a.run.createdAt.localeCompare(b.run.createdAt),
    );
  }

  private touch(live: RunLive, stream: TelemetryStream): void {
    if (stream === 'ecg') return;
    live.version += 1;
    this.changed();
  }

  private changed(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    // Many notifications in one task (a backlog drains in bursts) give one render.
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const fn of [...this.listeners]) fn();
    });
  }
}

function push<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
}

/**
 * The newest vitals known for a run (live ones, else what the run carried at first paint), with the
 * last cuff pressure when the newest sample has none.
 */
export function latestVitals(live: RunLive): VitalsSample | null {
  const newest = live.vitals.at(-1) ?? live.run.latest.vitals;
  if (!newest || newest.nibp || !live.nibp) return newest;
  return { ...newest, nibp: live.nibp.value };
}
