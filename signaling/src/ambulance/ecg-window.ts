// A window of continuous ECG cut from stored chunks: per lead, the samples whose time falls in
// [fromT, toT). Chunks follow each other without gaps (the protocol's promise), so a sample's time is
// its chunk's t + index / rate. Chunks recorded with other leads, rate or scale than the first are
// left out rather than spliced in wrongly.
import type { StoredEcgChunk } from './telemetry-codec.js';

export interface EcgWindow {
  /** Device time of the first sample. */
  t: number;
  sampleRate: number;
  microvoltsPerUnit: number;
  leads: string[];
  /** One array per lead, all the same length. */
  samples: Int16Array[];
}

export function assembleWindow(
  chunks: readonly StoredEcgChunk[],
  fromT: number,
  toT: number,
): EcgWindow | null {
  const first = chunks[0];
  if (!first) return null;
  const { sampleRate, microvoltsPerUnit, leads } = first;
  const same = (c: StoredEcgChunk) =>
    c.sampleRate === sampleRate &&
    c.microvoltsPerUnit === microvoltsPerUnit &&
    c.leads.length === leads.length &&
    c.leads.every((l, i) => l === leads[i]);
  const parts: { chunk: StoredEcgChunk; from: number; to: number }[] = [];
  let startT: number | null = null;
  for (const chunk of chunks) {
    if (!same(chunk)) continue;
    const msPerSample = 1000 / sampleRate;
    const from = Math.max(0, Math.ceil((fromT - chunk.t) / msPerSample));
    const to = Math.min(chunk.count, Math.ceil((toT - chunk.t) / msPerSample));
    if (to <= from) continue;
    startT ??= chunk.t + from * msPerSample;
    parts.push({ chunk, from, to });
  }
  if (startT === null) return null;
  const total = parts.reduce((n, p) => n + p.to - p.from, 0);
  const samples = leads.map(() => new Int16Array(total));
  let offset = 0;
  for (const { chunk, from, to } of parts) {
    const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    leads.forEach((_, l) => {
      const lead = samples[l]!;
      for (let i = from; i < to; i++)
        lead[offset + i - from] = view.getInt16((l * chunk.count + i) * 2, true);
    });
    offset += to - from;
  }
  return { t: Math.round(startT), sampleRate, microvoltsPerUnit, leads: [...leads], samples };
}
