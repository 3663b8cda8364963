// Plays a WFDB record as a bedside monitor would: 12-lead (or whatever the record has) ECG at 500 Hz
// in fixed-length chunks, looping at the end of the record. A playback rate above 1 compresses time
// (the scenario "tachy" raises the heart rate that way, so the HR a monitor derives from the ECG
// stays consistent with it).
import { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';
import { readWfdbRecord, resampleSignal, adcToMicrovolts } from '@telemed/pacs-bridge';
import { RPeakDetector } from './r-peaks.js';

export const PLAY_RATE_HZ = 500;

export interface PlayedChunk {
  leads: string[];
  /** Samples per lead, µV × (1 / microvoltsPerUnit), lead after lead. */
  data: Int16Array;
  count: number;
}

export class EcgPlayer {
  private position = 0;

  private constructor(
    readonly leads: string[],
    /** Per lead, µV at 500 Hz. */
    private readonly signals: Float64Array[],
    readonly microvoltsPerUnit: number,
  ) {}

  /** The 12 standard leads when the record has them all (PTB also has Frank X/Y/Z), else every signal. */
  static async load(headerPath: string, microvoltsPerUnit = 1): Promise<EcgPlayer> {
    const rec = await readWfdbRecord(headerPath);
    const all = rec.header.signals.map((s, i) => ({ spec: s, adc: rec.adc[i]! }));
    const byLead = new Map(all.map((x) => [x.spec.lead, x]));
    const chosen = STANDARD_LEADS.every((l) => byLead.has(l))
      ? STANDARD_LEADS.map((l) => byLead.get(l)!)
      : all;
    const fs = rec.header.samplingFrequency;
    if (!Number.isInteger(fs)) throw new Error(`record rate ${fs} Hz is not an integer`);
    const signals = chosen.map(({ spec, adc }) => {
      const uv = Float64Array.from(adc, (v) => adcToMicrovolts(spec, v));
      return resampleSignal(uv, fs, PLAY_RATE_HZ);
    });
    return new EcgPlayer(
      chosen.map((c) => c.spec.lead),
      signals,
      microvoltsPerUnit,
    );
  }

  get lengthSamples(): number {
    return this.signals[0]!.length;
  }

  /** The next `count` samples of every lead at `rate` × real time (linear interpolation between samples). */
  next(count: number, rate = 1): PlayedChunk {
    const n = this.lengthSamples;
    const data = new Int16Array(count * this.leads.length);
    for (let i = 0; i < count; i++) {
      const p = this.position;
      const i0 = Math.floor(p);
      const frac = p - i0;
      const i1 = (i0 + 1) % n;
      for (let l = 0; l < this.signals.length; l++) {
        const s = this.signals[l]!;
        const v = Math.round((s[i0]! * (1 - frac) + s[i1]! * frac) / this.microvoltsPerUnit);
        data[l * count + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      this.position = (p + rate) % n;
    }
    return { leads: this.leads, data, count };
  }

  /** The recording's heart rate over its first `seconds` (the playback position is not moved). */
  recordedHeartRate(seconds = 30): number | undefined {
    const detector = new RPeakDetector(PLAY_RATE_HZ);
    const lead = this.signals[this.rhythmLeadIndex]!;
    detector.push(lead.subarray(0, Math.min(lead.length, seconds * PLAY_RATE_HZ)));
    return detector.heartRate();
  }

  /** The lead a monitor counts beats on: II if present, else the first. */
  get rhythmLeadIndex(): number {
    const ii = this.leads.findIndex((l) => l === 'II' || l === 'MLII');
    return ii === -1 ? 0 : ii;
  }
}
