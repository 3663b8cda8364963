// R-peak detection and heart rate, after Pan & Tompkins (1985): band-pass 5–15 Hz, derivative,
// squaring, 150 ms moving-window integration, then adaptive signal/noise thresholds with a 200 ms
// refractory period and a search-back for missed beats. Deviations from the paper, on purpose: the
// filters run zero-phase (filtfilt), so no group delay has to be subtracted; the energies of all given
// leads are summed, so a beat that is small in one lead is still found; the R peak is then placed
// at the largest deflection of the reference lead (usually II) within ±60 ms of the detection.
import { filtfilt, highPass, lowPass } from './filters.js';

export interface RPeakResult {
  /** Sample indices of the R peaks, ascending. */
  peaks: number[];
  /** RR intervals in ms. */
  rrMs: number[];
  /** 60000 / median RR, rounded; undefined with fewer than two beats. */
  heartRateBpm: number | undefined;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Band-passed, differentiated, squared energy of one lead (Pan-Tompkins stages 1–3). */
function energy(lead: ArrayLike<number>, fs: number): Float64Array {
  const n = lead.length;
  const sections = [highPass(5, fs)];
  if (15 < 0.45 * fs) sections.push(lowPass(15, fs));
  const bp = filtfilt(lead, sections, Math.round(0.5 * fs));
  const out = new Float64Array(n);
  for (let i = 2; i < n - 2; i++) {
    const d = (-bp[i - 2]! - 2 * bp[i - 1]! + 2 * bp[i + 1]! + bp[i + 2]!) / 8;
    out[i] = Number.isFinite(d) ? d * d : 0;
  }
  return out;
}

/** Centred moving average over `width` samples (stage 4). */
function integrate(x: Float64Array, width: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const half = width >> 1;
  let sum = 0;
  for (let i = 0; i < Math.min(n, half); i++) sum += x[i]!;
  for (let i = 0; i < n; i++) {
    const add = i + half;
    const drop = i - half - 1;
    if (add < n) sum += x[add]!;
    if (drop >= 0) sum -= x[drop]!;
    out[i] = sum / width;
  }
  return out;
}

/** Local maxima of `x` that are the largest within ±`refractory` samples. */
function candidatePeaks(x: Float64Array, refractory: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < x.length - 1; i++) {
    const v = x[i]!;
    if (!(v > x[i - 1]! && v >= x[i + 1]!)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && i - last < refractory) {
      if (v > x[last]!) out[out.length - 1] = i;
      continue;
    }
    out.push(i);
  }
  return out;
}

/** Index of the largest deviation from the local median of `lead` within ±`half` samples of `at`. */
function refine(lead: ArrayLike<number>, at: number, half: number): number {
  const from = Math.max(0, at - half);
  const to = Math.min(lead.length - 1, at + half);
  const window: number[] = [];
  for (let i = from; i <= to; i++) if (Number.isFinite(lead[i]!)) window.push(lead[i]!);
  if (window.length === 0) return at;
  const base = median(window);
  let best = at;
  let bestDev = -1;
  for (let i = from; i <= to; i++) {
    const dev = Math.abs(lead[i]! - base);
    if (dev > bestDev) {
      bestDev = dev;
      best = i;
    }
  }
  return best;
}

/**
 * `leads`: the leads to detect on (same length, one sampling rate); `reference`: the lead whose
 * largest deflection marks each R peak (lead II where present).
 */
export function detectRPeaks(
  leads: ReadonlyArray<ArrayLike<number>>,
  reference: ArrayLike<number>,
  fs: number,
): RPeakResult {
  const n = reference.length;
  const none: RPeakResult = { peaks: [], rrMs: [], heartRateBpm: undefined };
  if (n < fs * 1.5 || leads.length === 0) return none;
  const total = new Float64Array(n);
  for (const lead of leads) {
    const e = energy(lead, fs);
    // Each lead normalised to its own 98th percentile, so one noisy lead does not dominate the sum.
    const sorted = Float64Array.from(e).sort();
    const scale = sorted[Math.floor(0.98 * (n - 1))]! || 1;
    for (let i = 0; i < Math.min(n, e.length); i++) total[i] = total[i]! + e[i]! / scale;
  }
  const mwi = integrate(total, Math.max(1, Math.round(0.15 * fs)));
  const refractory = Math.round(0.2 * fs);
  const candidates = candidatePeaks(mwi, refractory);
  if (candidates.length === 0) return none;

  // Learning phase: the first 2 s set the initial signal and noise levels.
  const learn = Math.min(n, Math.round(2 * fs));
  let maxLearn = 0;
  let meanLearn = 0;
  for (let i = 0; i < learn; i++) {
    maxLearn = Math.max(maxLearn, mwi[i]!);
    meanLearn += mwi[i]! / learn;
  }
  let spki = 0.25 * maxLearn;
  let npki = 0.5 * meanLearn;
  const threshold = () => npki + 0.25 * (spki - npki);

  const beats: number[] = [];
  const rrAverage = () => {
    const rr = beats
      .slice(-8)
      .map((b, i, a) => (i ? b - a[i - 1]! : 0))
      .slice(1);
    return rr.length ? rr.reduce((s, v) => s + v, 0) / rr.length : undefined;
  };
  for (const c of candidates) {
    const v = mwi[c]!;
    if (v > threshold()) {
      const last = beats[beats.length - 1];
      const avg = rrAverage();
      // Search-back: a gap over 166 % of the average RR probably hides a beat under the threshold.
      if (last !== undefined && avg !== undefined && c - last > 1.66 * avg) {
        let best = -1;
        for (const d of candidates) {
          if (d <= last + refractory || d >= c - refractory) continue;
          if (mwi[d]! > threshold() / 2 && (best < 0 || mwi[d]! > mwi[best]!)) best = d;
        }
        if (best >= 0) {
          beats.push(best);
          spki = 0.25 * mwi[best]! + 0.75 * spki;
        }
      }
      beats.push(c);
      spki = 0.125 * v + 0.875 * spki;
    } else {
      npki = 0.125 * v + 0.875 * npki;
    }
  }
  const half = Math.round(0.06 * fs);
  const peaks = [...new Set(beats.map((b) => refine(reference, b, half)))].sort((a, b) => a - b);
  const rrMs = peaks.slice(1).map((p, i) => ((p - peaks[i]!) * 1000) / fs);
  return {
    peaks,
    rrMs,
    heartRateBpm: rrMs.length ? Math.round(60000 / median(rrMs)) : undefined,
  };
}
