// ETA of a run from its recent positions: distance to the destination (protocol's estimate with the
// road detour factor) over a moving-average speed, so one red light does not make the ETA jump to
// "unknown" and one fast stretch does not promise an early arrival.
import {
  distanceMetres,
  estimateEtaSeconds,
  type GeoPoint,
  type PositionSample,
} from '@telemed/signaling/protocol';

/** Positions older than this (device time, before the newest) do not count towards the speed. */
export const SPEED_WINDOW_MS = 120_000;

/** Mean ground speed over the window: reported speeds where present, else distance over time. */
export function movingAverageSpeed(positions: readonly PositionSample[]): number | undefined {
  const last = positions.at(-1);
  if (!last) return undefined;
  const recent = positions.filter((p) => p.t >= last.t - SPEED_WINDOW_MS);
  const reported = recent.map((p) => p.speedMps).filter((s): s is number => s !== undefined);
  if (reported.length > 0) return reported.reduce((a, b) => a + b, 0) / reported.length;
  const first = recent[0]!;
  if (recent.length < 2 || last.t <= first.t) return undefined;
  let metres = 0;
  for (let i = 1; i < recent.length; i++) metres += distanceMetres(recent[i - 1]!, recent[i]!);
  return metres / ((last.t - first.t) / 1000);
}

export interface Eta {
  /** Seconds to arrival, null when unknown (no position, no destination, standing still). */
  seconds: number | null;
  /** Local clock time of arrival (ms since the epoch), null when unknown. */
  at: number | null;
}

export function runEta(positions: readonly PositionSample[], destination: GeoPoint | null, now: number): Eta {
  const last = positions.at(-1);
  if (!last || !destination) return { seconds: null, at: null };
  const seconds = estimateEtaSeconds(last, destination, movingAverageSpeed(positions));
  return { seconds, at: seconds === null ? null : now + seconds * 1000 };
}

/** "12 min" style, rounded up to the minute; "—" for unknown. */
export function formatEtaMinutes(seconds: number | null): string | null {
  return seconds === null ? null : String(Math.max(1, Math.ceil(seconds / 60)));
}
