// Display filters for ECG leads: second-order IIR sections (RBJ "Audio EQ Cookbook" biquads) run
// forward and then backward over the whole lead (zero phase), so a filter never shifts the QRS in time
// and calipers still read true intervals. Running twice squares the magnitude response: a 2nd-order
// Butterworth section becomes 4th-order in attenuation with -6 dB (not -3 dB) at the cutoff.
// Pure: no DOM, no allocation beyond the output and one padded work buffer.

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const BUTTERWORTH_Q = Math.SQRT1_2;

function normalise(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): Biquad {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

export function lowPass(cutoffHz: number, fs: number, q = BUTTERWORTH_Q): Biquad {
  const w = (2 * Math.PI * cutoffHz) / fs;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

export function highPass(cutoffHz: number, fs: number, q = BUTTERWORTH_Q): Biquad {
  const w = (2 * Math.PI * cutoffHz) / fs;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

/** Notch: Q 30 at 50 Hz is a ±0.8 Hz stop band, narrow enough to leave the QRS alone. */
export function notch(centerHz: number, fs: number, q = 30): Biquad {
  const w = (2 * Math.PI * centerHz) / fs;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise(1, -2 * c, 1, 1 + alpha, -2 * c, 1 - alpha);
}

/** Band-pass (constant 0 dB peak gain), for the QRS detector. */
export function bandPass(centerHz: number, fs: number, q: number): Biquad {
  const w = (2 * Math.PI * centerHz) / fs;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise(alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
}

/** |H(e^jw)| of one section at `hz` (one pass). */
export function magnitudeAt(f: Biquad, hz: number, fs: number): number {
  const w = (2 * Math.PI * hz) / fs;
  const re = (b0: number, b1: number, b2: number) => b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w);
  const im = (b1: number, b2: number) => -(b1 * Math.sin(w) + b2 * Math.sin(2 * w));
  const num = Math.hypot(re(f.b0, f.b1, f.b2), im(f.b1, f.b2));
  const den = Math.hypot(re(1, f.a1, f.a2), im(f.a1, f.a2));
  return num / den;
}

/**
 * One pass of one section over `x` in place (direct form II transposed). The state starts at the
 * steady state for a constant input equal to x[0], so a signal sitting on a DC offset does not ring.
 */
function runInPlace(f: Biquad, x: Float64Array, reverse: boolean): void {
  const n = x.length;
  if (n === 0) return;
  const first = reverse ? x[n - 1]! : x[0]!;
  const dcGain = (f.b0 + f.b1 + f.b2) / (1 + f.a1 + f.a2);
  const y0 = dcGain * first;
  let z1 = y0 - f.b0 * first;
  let z2 = f.b2 * first - f.a2 * y0;
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    const xi = x[i]!;
    const yi = f.b0 * xi + z1;
    z1 = f.b1 * xi - f.a1 * yi + z2;
    z2 = f.b2 * xi - f.a2 * yi;
    x[i] = yi;
  }
}

/**
 * Zero-phase filtering of `input` by the cascade `sections` (each forward, then backward).
 * The ends are padded with an odd reflection (2·x[0] − x[k]) of `padSamples` so the start-up
 * transient falls outside the record; NaN gaps are bridged with the last value and stay NaN.
 */
export function filtfilt(
  input: ArrayLike<number>,
  sections: readonly Biquad[],
  padSamples: number,
): Float32Array {
  const n = input.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const clean = new Float64Array(n);
  let last = 0;
  let seen = false;
  for (let i = 0; i < n; i++) {
    const v = input[i]!;
    if (Number.isFinite(v)) {
      if (!seen) for (let j = 0; j < i; j++) clean[j] = v; // leading gap: first real value
      last = v;
      seen = true;
    }
    clean[i] = last;
  }
  if (!seen || sections.length === 0) {
    for (let i = 0; i < n; i++) out[i] = input[i]!;
    return out;
  }
  const pad = Math.max(0, Math.min(n - 1, Math.round(padSamples)));
  const work = new Float64Array(n + 2 * pad);
  const a = clean[0]!;
  const b = clean[n - 1]!;
  for (let i = 0; i < pad; i++) work[i] = 2 * a - clean[pad - i]!;
  work.set(clean, pad);
  for (let i = 0; i < pad; i++) work[pad + n + i] = 2 * b - clean[n - 2 - i]!;
  for (const s of sections) {
    runInPlace(s, work, false);
    runInPlace(s, work, true);
  }
  for (let i = 0; i < n; i++) out[i] = Number.isFinite(input[i]!) ? work[pad + i]! : NaN;
  return out;
}

export type NotchHz = 0 | 50 | 60;
export type LowPassHz = 0 | 40 | 100 | 150;

export interface FilterSettings {
  /** Baseline-wander high-pass at 0.5 Hz. */
  highPass: boolean;
  notchHz: NotchHz;
  lowPassHz: LowPassHz;
}

export const HIGH_PASS_HZ = 0.5;

/** A filter whose frequency is not below Nyquist (with margin) cannot be built and is left out. */
const usable = (hz: number, fs: number): boolean => hz > 0 && hz < 0.45 * fs;

export interface FilterPlan {
  sections: Biquad[];
  padSamples: number;
  /** Requested filters left out because the sampling rate is too low for them (e.g. 150 Hz at 240 Hz). */
  skipped: Array<'notch' | 'lowPass'>;
}

export function planFilters(settings: FilterSettings, fs: number): FilterPlan {
  const sections: Biquad[] = [];
  const skipped: FilterPlan['skipped'] = [];
  // Long enough for the slowest section to settle: ~3 time constants of the 0.5 Hz high-pass.
  let padSamples = Math.round(0.1 * fs);
  if (settings.highPass) {
    sections.push(highPass(HIGH_PASS_HZ, fs));
    padSamples = Math.round((3 / HIGH_PASS_HZ) * fs);
  }
  if (settings.notchHz) {
    if (usable(settings.notchHz, fs)) sections.push(notch(settings.notchHz, fs));
    else skipped.push('notch');
  }
  if (settings.lowPassHz) {
    if (usable(settings.lowPassHz, fs)) sections.push(lowPass(settings.lowPassHz, fs));
    else skipped.push('lowPass');
  }
  return { sections, padSamples, skipped };
}

export function applyFilters(values: ArrayLike<number>, fs: number, settings: FilterSettings): Float32Array {
  const plan = planFilters(settings, fs);
  return filtfilt(values, plan.sections, plan.padSamples);
}
