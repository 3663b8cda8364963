import { describe, expect, it } from 'vitest';
import { ECG_FIXTURES, fixtureRecording, loadBridgeEcg } from './fixtures.testkit.js';
import { detectRPeaks } from './rpeaks.js';

/** A synthetic lead: narrow QRS-like spikes at known samples on baseline wander, mains hum and noise. */
function synthetic(fs: number, seconds: number, beats: number[]): Float32Array {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  return Float32Array.from({ length: fs * seconds }, (_, i) => {
    const t = i / fs;
    let v = 300 * Math.sin(2 * Math.PI * 0.3 * t) + 40 * Math.sin(2 * Math.PI * 50 * t) + 30 * rand();
    for (const b of beats) {
      const d = (i - b) / fs;
      v += 1200 * Math.exp(-((d / 0.012) ** 2)); // R
      v += 250 * Math.exp(-(((d - 0.25) / 0.06) ** 2)); // T wave
    }
    return v;
  });
}

describe('R-peak detector', () => {
  it('finds every beat of a synthetic record at its sample, with a changing rate', () => {
    const fs = 500;
    const beats = [300, 700, 1100, 1480, 1850, 2200, 2530, 2850, 3200, 3580, 3980, 4400, 4820];
    const lead = synthetic(fs, 10, beats);
    const r = detectRPeaks([lead], lead, fs);
    expect(r.peaks).toHaveLength(beats.length);
    r.peaks.forEach((p, i) => expect(Math.abs(p - beats[i]!)).toBeLessThanOrEqual(2));
  });

  it('finds nothing in a flat or too short record', () => {
    const flat = new Float32Array(5000);
    expect(detectRPeaks([flat], flat, 500).heartRateBpm).toBeUndefined();
    const short = new Float32Array(100);
    expect(detectRPeaks([short], short, 500).peaks).toEqual([]);
  });

  // Reference rates: the DICOM files' own measurements (waveform_ecg: RR Interval 982 ms; wave_dfl:
  // Heart rate 69 /min, in their WaveformAnnotationSequence). The aECG and SCP examples carry none:
  // for them (and as a second check for all) a naive count on lead II — local maxima above half the
  // largest deflection from a 0.6 s moving mean, at least 300 ms apart — gives the reference.
  const annotated: Partial<Record<(typeof ECG_FIXTURES)[number], number>> = {
    'dicom-waveform/wave_dfl.dcm': 69,
    'dicom-waveform/waveform_ecg.dcm': 60000 / 982,
  };

  function naiveRate(lead: Float32Array, fs: number): number {
    const half = Math.round(0.3 * fs);
    const y = lead.map((_, i) => {
      let s = 0;
      let n = 0;
      for (let j = Math.max(0, i - half); j <= Math.min(lead.length - 1, i + half); j++) {
        s += lead[j]!;
        n++;
      }
      return lead[i]! - s / n;
    });
    const top = Math.max(...y.map(Math.abs));
    const sign = Math.max(...y) >= -Math.min(...y) ? 1 : -1;
    const peaks: number[] = [];
    for (let i = 1; i < y.length - 1; i++) {
      const v = sign * y[i]!;
      if (v < 0.5 * top || v < sign * y[i - 1]! || v < sign * y[i + 1]!) continue;
      const last = peaks[peaks.length - 1];
      if (last !== undefined && i - last < 0.3 * fs) {
        if (v > sign * y[last]!) peaks[peaks.length - 1] = i;
      } else peaks.push(i);
    }
    const rr = peaks
      .slice(1)
      .map((p, i) => (p - peaks[i]!) / fs)
      .sort((a, b) => a - b);
    return 60 / rr[rr.length >> 1]!;
  }

  it.each(ECG_FIXTURES)('heart rate of %s matches the reference within 3 /min', async (name) => {
    const bridge = await loadBridgeEcg();
    const rec = await fixtureRecording(bridge, name);
    const g = rec.groups[0]!;
    const ii = g.channels.find((c) => c.lead === 'II')!.samples;
    const r = detectRPeaks(
      g.channels.map((c) => c.samples),
      ii,
      g.samplingFrequency,
    );
    expect(r.peaks.length).toBeGreaterThanOrEqual(9);
    expect(Math.abs(r.heartRateBpm! - naiveRate(ii, g.samplingFrequency))).toBeLessThanOrEqual(3);
    const reference = annotated[name];
    if (reference !== undefined) expect(Math.abs(r.heartRateBpm! - reference)).toBeLessThanOrEqual(3);
  });

  it('the aECG and SCP examples (one recording, two importers) give the same beats', async () => {
    const bridge = await loadBridgeEcg();
    const beats = await Promise.all(
      (['hl7-aecg/Example_aECG.xml', 'scp-ecg/Example.scp'] as const).map(async (name) => {
        const g = (await fixtureRecording(bridge, name)).groups[0]!;
        const ii = g.channels.find((c) => c.lead === 'II')!.samples;
        return detectRPeaks(
          g.channels.map((c) => c.samples),
          ii,
          g.samplingFrequency,
        ).peaks;
      }),
    );
    expect(beats[0]).toEqual(beats[1]);
  });
});
