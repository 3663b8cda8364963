// Telemetry samples for tests: vitals, positions, events and 12-lead ECG chunks with known content.
import type { EcgChunk, EventSample, PositionSample, VitalsSample } from '../protocol/index.js';
import { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';

export const T0 = Date.UTC(2026, 10, 26, 8, 0, 0);
export const TWELVE_LEADS: string[] = [...STANDARD_LEADS];

export function vitals(seq: number, extra: Partial<VitalsSample> = {}): VitalsSample {
  return { seq, t: T0 + (seq - 1) * 1000, hr: 80, spo2: 97, rr: 16, ...extra };
}

export function position(
  seq: number,
  lat = 29.7031 + seq * 0.001,
  lon = 119.5602 + seq * 0.001,
): PositionSample {
  return { seq, t: T0 + (seq - 1) * 1000, lat, lon, speedMps: 15 };
}

export function event(seq: number, text = 'Aspirin 300 mg given'): EventSample {
  return { seq, t: T0 + (seq - 1) * 1000, kind: 'medication', text };
}

/** Chunk `seq` of a continuous 500 Hz 12-lead ECG, `count` samples per lead; sample value = f(lead, index). */
export function ecgChunk(seq: number, count = 125, sampleRate = 500): EcgChunk {
  const leads = TWELVE_LEADS;
  const buf = Buffer.alloc(leads.length * count * 2);
  const first = (seq - 1) * count;
  leads.forEach((_, l) => {
    for (let i = 0; i < count; i++) buf.writeInt16LE(ecgValue(l, first + i), (l * count + i) * 2);
  });
  return {
    seq,
    t: T0 + Math.round((first * 1000) / sampleRate),
    sampleRate,
    leads,
    count,
    microvoltsPerUnit: 5,
    data: buf.toString('base64'),
  };
}

/** The deterministic value of lead `l` at absolute sample `n` (a sawtooth per lead). */
export const ecgValue = (l: number, n: number): number => ((n * 7 + l * 1000) % 4000) - 2000;
