// Sample-rate conversion for recorded ECGs (MIT-BIH 360 Hz, PTB 1000 Hz → the 500 Hz of the
// ambulance stream). Polyphase windowed-sinc rather than linear interpolation: linear interpolation
// neither removes what lies above the new Nyquist frequency when decimating (PTB's 1000 Hz records
// carry mains harmonics and EMG up to 500 Hz, which would fold into the ECG band) nor keeps the QRS
// peaks when upsampling (it flattens a 10 ms spike). A rational ratio L/M has only L distinct
// filter phases, so the taps are computed once per phase.

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Blackman window on [-1, 1]. */
function blackman(x: number): number {
  if (Math.abs(x) >= 1) return 0;
  const t = (x + 1) / 2;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

export interface ResampleOptions {
  /** Kernel half-width in zero crossings of the low-pass filter; more = sharper cut-off. Default 8. */
  zeroCrossings?: number;
}

/**
 * Resamples one signal from `fromHz` to `toHz` (integer rates). The low-pass cut-off is 0.45 × the
 * lower of the two rates (a 10 % transition band under Nyquist); each phase's taps are normalised to
 * a sum of 1 so DC (the baseline) passes unchanged. Edges repeat the first/last sample.
 */
export function resampleSignal(
  input: ArrayLike<number>,
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
): Float64Array {
  if (!Number.isInteger(fromHz) || !Number.isInteger(toHz) || fromHz <= 0 || toHz <= 0)
    throw new RangeError('sampling rates must be positive integers');
  const g = gcd(fromHz, toHz);
  const up = toHz / g; // L
  const down = fromHz / g; // M
  const n = input.length;
  const outLength = Math.floor((n * up) / down);
  if (up === 1 && down === 1) return Float64Array.from(input);
  // Cut-off in cycles per input sample.
  const fc = (0.45 * Math.min(fromHz, toHz)) / fromHz;
  const zc = options.zeroCrossings ?? 8;
  const halfWidth = Math.ceil(zc / (2 * fc)); // input samples each side
  const taps = 2 * halfWidth;
  const phases: Float64Array[] = [];
  for (let p = 0; p < up; p++) {
    const frac = p / up; // the output sample lies frac input samples after its base input sample
    const h = new Float64Array(taps);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const t = k - halfWidth + 1 - frac; // input index offset minus the fractional position
      const v = 2 * fc * sinc(2 * fc * t) * blackman(t / halfWidth);
      h[k] = v;
      sum += v;
    }
    for (let k = 0; k < taps; k++) h[k] = h[k]! / sum;
    phases.push(h);
  }
  const out = new Float64Array(outLength);
  const last = n - 1;
  for (let i = 0; i < outLength; i++) {
    const pos = i * down;
    const base = Math.floor(pos / up);
    const h = phases[pos % up]!;
    let acc = 0;
    const start = base - halfWidth + 1;
    for (let k = 0; k < taps; k++) {
      const j = start + k;
      acc += h[k]! * input[j < 0 ? 0 : j > last ? last : j]!;
    }
    out[i] = acc;
  }
  return out;
}

/** resampleSignal for Int16 data, rounded and clipped back to Int16. */
export function resampleInt16(input: Int16Array, fromHz: number, toHz: number): Int16Array {
  const f = resampleSignal(input, fromHz, toHz);
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const v = Math.round(f[i]!);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
