// The pure parts of the handover: thinning the vitals, alarm episodes, the route, the ECG windows,
// and cutting a window out of stored chunks.
import { describe, expect, it } from 'vitest';
import { assembleWindow } from './ecg-window.js';
import { planSnapshots, summarizeRoute, summarizeVitals } from './handover-builder.js';
import { decodeEcgRow, encodeSample } from './telemetry-codec.js';
import { T0, ecgChunk, ecgValue, position, vitals } from './test-samples.js';

/** One vitals sample a second for `n` s; `alarmAt` seqs carry SpO2 85. */
const series = (n: number, alarmAt: readonly number[] = []) =>
  Array.from({ length: n }, (_, i) => vitals(i + 1, alarmAt.includes(i + 1) ? { spo2: 85 } : {}));

describe('handover vitals', () => {
  it('keeps one sample per 30 s, the last one, and every sample that raised an alarm', () => {
    const { vitals: kept } = summarizeVitals(series(100, [45, 46, 47]));
    expect(kept.map((v) => v.seq)).toEqual([1, 31, 45, 46, 47, 77, 100]);
  });

  it('turns consecutive alarm samples into one episode with its worst value', () => {
    const samples = series(20);
    samples[4] = vitals(5, { spo2: 88 });
    samples[5] = vitals(6, { spo2: 82, hr: 140 });
    samples[6] = vitals(7, { spo2: 86 });
    samples[15] = vitals(16, { hr: 30 });
    const { alarms } = summarizeVitals(samples);
    expect(alarms).toEqual([
      { kind: 'spo2-low', limit: 90, startT: samples[4]!.t, endT: samples[7]!.t, worst: 82 },
      { kind: 'hr-high', limit: 130, startT: samples[5]!.t, endT: samples[6]!.t, worst: 140 },
      { kind: 'hr-low', limit: 40, startT: samples[15]!.t, endT: samples[16]!.t, worst: 30 },
    ]);
  });

  it('leaves an alarm still active at arrival open', () => {
    const { alarms } = summarizeVitals(series(10, [9, 10]));
    expect(alarms).toEqual([expect.objectContaining({ kind: 'spo2-low', endT: null })]);
  });
});

describe('handover route', () => {
  it('sums the legs between positions', () => {
    const route = summarizeRoute([position(1, 30, 120), position(2, 30.01, 120), position(3, 30.02, 120)]);
    expect(route.first?.seq).toBe(1);
    expect(route.last?.seq).toBe(3);
    expect(route.positions).toBe(3);
    expect(route.distanceM).toBeGreaterThan(2200);
    expect(route.distanceM).toBeLessThan(2250);
  });

  it('is empty without positions', () => {
    expect(summarizeRoute([])).toEqual({ first: null, last: null, distanceM: 0, positions: 0 });
  });
});

describe('ECG snapshot windows', () => {
  const alarm = (startT: number) => ({
    kind: 'hr-high' as const,
    limit: 130,
    startT,
    endT: null,
    worst: 150,
  });

  it('takes the first 10 s, 10 s around each alarm onset and the last 10 s', () => {
    expect(planSnapshots(T0, T0 + 120_000, [alarm(T0 + 60_000)])).toEqual([
      { reason: 'start', fromT: T0, toT: T0 + 10_000 },
      { reason: 'alarm', alarm: 'hr-high', fromT: T0 + 55_000, toT: T0 + 65_000 },
      { reason: 'end', fromT: T0 + 110_000, toT: T0 + 120_000 },
    ]);
  });

  it('keeps at most five alarm snapshots, clipped to the recording', () => {
    const alarms = [1, 2, 3, 4, 5, 6, 7].map((m) => alarm(T0 + m * 60_000));
    const plan = planSnapshots(T0, T0 + 7 * 60_000 + 2_000, alarms);
    expect(plan.filter((w) => w.reason === 'alarm')).toHaveLength(5);
    for (const w of plan) {
      expect(w.fromT).toBeGreaterThanOrEqual(T0);
      expect(w.toT).toBeLessThanOrEqual(T0 + 7 * 60_000 + 2_000);
    }
  });

  it('keeps one snapshot of a run shorter than 10 s', () => {
    expect(planSnapshots(T0, T0 + 4_000, [])).toEqual([{ reason: 'start', fromT: T0, toT: T0 + 4_000 }]);
    expect(planSnapshots(T0, T0, [])).toEqual([]);
  });

  it('cuts a window out of contiguous chunks, sample-exact', () => {
    const stored = [1, 2, 3, 4].map((seq) => decodeEcgRow(encodeSample('ecg', ecgChunk(seq))));
    // Chunks of 125 samples at 500 Hz are 250 ms; this window starts inside chunk 2.
    const w = assembleWindow(stored, T0 + 300, T0 + 800)!;
    expect(w.t).toBe(T0 + 300);
    expect(w.leads).toHaveLength(12);
    expect(w.samples[1]!.length).toBe(250);
    expect(w.samples[1]![0]).toBe(ecgValue(1, 150));
    expect(w.samples[11]![249]).toBe(ecgValue(11, 399));
  });
});
