import { describe, expect, it } from 'vitest';
import {
  caliperReading,
  columnSeconds,
  computeLayout,
  pulsePath,
  pulseWidthMm,
  sampleAt,
  xOfSample,
} from './layout.js';
import { STANDARD_LEADS } from './types.js';

const leads = [...STANDARD_LEADS];

describe('3×4 + rhythm layout', () => {
  const l = computeLayout(leads, 10, { layout: '3x4', speed: 25, gain: 10 });

  it('puts the 12 leads in the standard grid and a full-length lead II strip below', () => {
    const at = (lead: string) => l.panels.find((p) => p.lead === lead && p.kind === 'lead')!;
    expect(l.panels).toHaveLength(13);
    expect(at('I').xMm).toBe(at('II').xMm);
    expect(at('aVR').xMm - at('I').xMm).toBe(62.5); // 2.5 s at 25 mm/s
    expect(at('V4').startS).toBe(7.5);
    expect(at('V4').endS).toBe(10);
    expect(at('III').baselineMm - at('I').baselineMm).toBe(60); // two 30 mm rows at 10 mm/mV
    const rhythm = l.panels.find((p) => p.kind === 'rhythm')!;
    expect(rhythm.lead).toBe('II');
    expect(rhythm.widthMm).toBe(250);
    expect(l.pulses).toHaveLength(4);
    expect(l.widthMm % 5).toBe(0);
    expect(l.heightMm % 5).toBe(0);
    expect(l.widthMm).toBeGreaterThanOrEqual(pulseWidthMm(25) + 250);
  });

  it('doubles in width at 50 mm/s and rows scale with the gain', () => {
    const wide = computeLayout(leads, 10, { layout: '3x4', speed: 50, gain: 20 });
    expect(wide.panels.find((p) => p.kind === 'rhythm')!.widthMm).toBe(500);
    const i = wide.panels.find((p) => p.lead === 'I')!;
    expect(i.heightMm).toBe(60);
  });

  it('shows a representative beat whole in every column, without a rhythm strip', () => {
    expect(columnSeconds(1.2)).toBe(1.2);
    const beat = computeLayout(leads, 1.2, { layout: '3x4', speed: 25, gain: 10 });
    expect(beat.panels.every((p) => p.kind === 'lead' && p.startS === 0 && p.endS === 1.2)).toBe(true);
    expect(beat.panels).toHaveLength(12);
  });

  it('leaves missing leads out and falls back to rows for non-standard lead sets', () => {
    expect(
      computeLayout(['II'], 10, { layout: '3x4', speed: 25, gain: 10 }).panels.map((p) => p.kind),
    ).toEqual(['lead', 'rhythm']);
    const odd = computeLayout(['X', 'Y', 'Z'], 10, { layout: '3x4', speed: 25, gain: 10 });
    expect(odd.panels.map((p) => p.lead)).toEqual(['X', 'Y', 'Z']);
  });
});

describe('12×1 layout', () => {
  it('gives each lead a full-length row', () => {
    const l = computeLayout(leads, 10, { layout: '12x1', speed: 25, gain: 10 });
    expect(l.panels).toHaveLength(12);
    expect(new Set(l.panels.map((p) => p.widthMm))).toEqual(new Set([250]));
    expect(l.panels[1]!.baselineMm - l.panels[0]!.baselineMm).toBe(20);
    expect(l.pulses).toHaveLength(12);
  });
});

describe('paper ↔ time and voltage', () => {
  const l = computeLayout(leads, 10, { layout: '3x4', speed: 25, gain: 10 });
  const v1 = l.panels.find((p) => p.lead === 'V1')!;

  it('maps samples to x and back', () => {
    const x = xOfSample(v1, 3000, 25, 500)!; // 6 s: 1 s into the 5–7.5 s column
    expect(x).toBeCloseTo(v1.xMm + 25, 9);
    expect(sampleAt(v1, x, 25, 500)).toBe(3000);
    expect(xOfSample(v1, 100, 25, 500)).toBeUndefined();
  });

  it('the calibration pulse is 1 mV high and 200 ms wide', () => {
    const path = pulsePath(l.pulses[0]!, { layout: '3x4', speed: 25, gain: 10 });
    expect(path[1]![1] - path[2]![1]).toBe(10);
    expect(path[3]![0] - path[2]![0]).toBe(5);
    const fast = pulsePath(l.pulses[0]!, { layout: '3x4', speed: 50, gain: 20 });
    expect(fast[3]![0] - fast[2]![0]).toBe(10);
    expect(fast[1]![1] - fast[2]![1]).toBe(20);
  });

  it('calipers read ms from x and mV from y', () => {
    expect(caliperReading({ xMm: 10, yMm: 50 }, { xMm: 210, yMm: 40 }, { speed: 25, gain: 10 })).toEqual({
      intervalMs: 8000,
      amplitudeMv: 1,
    });
    const r = caliperReading({ xMm: 30, yMm: 40 }, { xMm: 10, yMm: 50 }, { speed: 50, gain: 5 });
    expect(r.intervalMs).toBe(400);
    expect(r.amplitudeMv).toBe(-2);
  });
});
