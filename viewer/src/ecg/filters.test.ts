import { describe, expect, it } from 'vitest';
import { applyFilters, filtfilt, highPass, lowPass, magnitudeAt, notch, planFilters } from './filters.js';

const FS = 500;

function sine(hz: number, seconds: number, fs = FS, amplitude = 1, phase = 0): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * fs) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / fs + phase),
  );
}

/** RMS over the middle half, away from the record's ends. */
function rms(x: ArrayLike<number>): number {
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

const gain = (hz: number, sections: Parameters<typeof filtfilt>[1], seconds = 20, fs = FS) => {
  const x = sine(hz, seconds, fs);
  return rms(filtfilt(x, sections, Math.round(3 * fs))) / rms(x);
};

describe('biquad design', () => {
  it('Butterworth sections are -3 dB at the cutoff (one pass)', () => {
    expect(magnitudeAt(lowPass(40, FS), 40, FS)).toBeCloseTo(Math.SQRT1_2, 3);
    expect(magnitudeAt(highPass(0.5, FS), 0.5, FS)).toBeCloseTo(Math.SQRT1_2, 3);
    expect(magnitudeAt(notch(50, FS), 50, FS)).toBeLessThan(1e-6);
  });
});

describe('zero-phase filtering of known sines', () => {
  it('0.5 Hz high-pass removes baseline wander and keeps the ECG band', () => {
    const hp = [highPass(0.5, FS)];
    expect(gain(0.05, hp, 120)).toBeLessThan(0.02);
    expect(gain(0.1, hp, 60)).toBeLessThan(0.05);
    expect(gain(0.5, hp, 40)).toBeCloseTo(0.5, 1); // -6 dB after forward + backward
    expect(gain(5, hp)).toBeGreaterThan(0.99);
    expect(gain(20, hp)).toBeGreaterThan(0.999);
  });

  it('50 Hz and 60 Hz notches remove their mains frequency only', () => {
    expect(gain(50, [notch(50, FS)])).toBeLessThan(0.01);
    expect(gain(60, [notch(60, FS)])).toBeLessThan(0.01);
    expect(gain(45, [notch(50, FS)])).toBeGreaterThan(0.97);
    expect(gain(10, [notch(50, FS)])).toBeGreaterThan(0.999);
    expect(gain(50, [notch(60, FS)])).toBeGreaterThan(0.97);
  });

  it('low-pass 40/100/150 Hz attenuate above and pass below', () => {
    expect(gain(10, [lowPass(40, FS)])).toBeGreaterThan(0.99);
    expect(gain(100, [lowPass(40, FS)])).toBeLessThan(0.03);
    expect(gain(40, [lowPass(40, FS)])).toBeCloseTo(0.5, 1);
    expect(gain(50, [lowPass(100, FS)])).toBeGreaterThan(0.93);
    expect(gain(200, [lowPass(100, FS)])).toBeLessThan(0.07);
    expect(gain(20, [lowPass(150, 1000)], 20, 1000)).toBeGreaterThan(0.999);
    expect(gain(400, [lowPass(150, 1000)], 20, 1000)).toBeLessThan(0.03);
  });

  it('does not shift a passed sine in time (zero phase)', () => {
    const x = sine(8, 10, FS, 1, 0.3);
    const y = applyFilters(x, FS, { highPass: true, notchHz: 50, lowPassHz: 40 });
    let maxErr = 0;
    for (let i = 1000; i < 4000; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - x[i]!));
    expect(maxErr).toBeLessThan(0.03);
  });

  it('a constant offset does not ring at the ends, and NaN gaps stay NaN', () => {
    const x = Float32Array.from({ length: 5000 }, (_, i) => (i === 100 ? NaN : 1000));
    const y = applyFilters(x, FS, { highPass: true, notchHz: 0, lowPassHz: 0 });
    expect(Number.isNaN(y[100]!)).toBe(true);
    expect(Math.abs(y[0]!)).toBeLessThan(1);
    expect(Math.abs(y[4999]!)).toBeLessThan(1);
    expect(Math.abs(y[2500]!)).toBeLessThan(1);
    const lp = applyFilters(x, FS, { highPass: false, notchHz: 0, lowPassHz: 40 });
    expect(lp[0]!).toBeCloseTo(1000, 3);
  });

  it('leaves out filters the sampling rate cannot carry', () => {
    expect(planFilters({ highPass: true, notchHz: 60, lowPassHz: 150 }, 240).skipped).toEqual(['lowPass']);
    expect(planFilters({ highPass: true, notchHz: 60, lowPassHz: 100 }, 240).skipped).toEqual([]);
    expect(planFilters({ highPass: false, notchHz: 0, lowPassHz: 0 }, 500).sections).toHaveLength(0);
  });
});
