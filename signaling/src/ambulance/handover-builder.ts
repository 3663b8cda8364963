// The handover summary from a run's stored telemetry: a vitals timeline thinned to one sample per
// 30 s (every alarm-raising sample kept), alarm episodes, the crew's events, the route, and which
// 10 s windows of ECG to keep as snapshots (start, alarm onsets, end).
import {
  distanceMetres,
  vitalAlarms,
  type AlarmKind,
  type EcgSnapshotReason,
  type EventSample,
  type Handover,
  type HandoverAlarm,
  type PositionSample,
  type VitalsSample,
} from '../protocol/index.js';

export const TIMELINE_STEP_MS = 30_000;
export const SNAPSHOT_MS = 10_000;
export const MAX_ALARM_SNAPSHOTS = 5;

export interface VitalsSummary {
  vitals: VitalsSample[];
  alarms: HandoverAlarm[];
}

/** One pass over the vitals in seq order. */
export function summarizeVitals(samples: Iterable<VitalsSample>): VitalsSummary {
  const vitals: VitalsSample[] = [];
  const alarms: HandoverAlarm[] = [];
  const open = new Map<AlarmKind, HandoverAlarm>();
  let lastKeptT = Number.NEGATIVE_INFINITY;
  let last: VitalsSample | null = null;
  for (const v of samples) {
    const raised = vitalAlarms(v);
    const now = new Set(raised.map((a) => a.kind));
    for (const [kind, episode] of open) {
      if (!now.has(kind)) {
        episode.endT = v.t;
        open.delete(kind);
      }
    }
    for (const a of raised) {
      const episode = open.get(a.kind);
      if (episode) {
        // "Worst" is furthest beyond the limit: lowest for a low alarm, highest for a high one.
        const low = a.kind.endsWith('-low');
        if (low ? a.value < episode.worst : a.value > episode.worst) episode.worst = a.value;
      } else {
        const started: HandoverAlarm = {
          kind: a.kind,
          limit: a.limit,
          startT: v.t,
          endT: null,
          worst: a.value,
        };
        open.set(a.kind, started);
        alarms.push(started);
      }
    }
    if (raised.length > 0 || v.t - lastKeptT >= TIMELINE_STEP_MS) {
      vitals.push(v);
      lastKeptT = v.t;
    }
    last = v;
  }
  // The latest vitals at arrival belong in any handover.
  if (last && vitals[vitals.length - 1] !== last) vitals.push(last);
  return { vitals, alarms };
}

export function summarizeRoute(positions: Iterable<PositionSample>): Handover['route'] {
  let first: PositionSample | null = null;
  let last: PositionSample | null = null;
  let distanceM = 0;
  let count = 0;
  for (const p of positions) {
    if (last) distanceM += distanceMetres(last, p);
    first ??= p;
    last = p;
    count++;
  }
  return { first, last, distanceM: Math.round(distanceM), positions: count };
}

export function collectEvents(events: Iterable<EventSample>): EventSample[] {
  return [...events];
}

export interface SnapshotWindow {
  reason: EcgSnapshotReason;
  alarm?: AlarmKind;
  fromT: number;
  toT: number;
}

/**
 * The ECG windows to keep, given the ECG's extent [startT, endT) and the alarm episodes: the first
 * 10 s, 10 s around each alarm onset (5 s before, 5 after; at most five), the last 10 s. Windows are
 * clipped to the ECG; one that repeats an earlier window (a short run) is dropped.
 */
export function planSnapshots(
  startT: number,
  endT: number,
  alarms: readonly HandoverAlarm[],
): SnapshotWindow[] {
  if (!(endT > startT)) return [];
  const clip = (fromT: number): { fromT: number; toT: number } => {
    const from = Math.max(startT, Math.min(fromT, endT - SNAPSHOT_MS));
    return { fromT: from, toT: Math.min(endT, from + SNAPSHOT_MS) };
  };
  const windows: SnapshotWindow[] = [{ reason: 'start', ...clip(startT) }];
  for (const a of alarms.filter((a) => a.startT >= startT && a.startT < endT).slice(0, MAX_ALARM_SNAPSHOTS)) {
    windows.push({ reason: 'alarm', alarm: a.kind, ...clip(a.startT - SNAPSHOT_MS / 2) });
  }
  windows.push({ reason: 'end', ...clip(endT - SNAPSHOT_MS) });
  return windows.filter((w, i) => !windows.slice(0, i).some((o) => o.fromT === w.fromT && o.toT === w.toT));
}
