// The last seconds of a run's live ECG, per lead, as a ring of µV values the strip reads every frame
// without allocating. Chunks (protocol EcgChunk: int16 LE lead after lead, base64) are appended in seq
// order; a jump in time between chunks (data skipped after a long outage) is written as NaN so the
// trace shows a gap instead of joining unrelated beats.
import type { EcgChunk } from '@telemed/signaling/protocol';

/** Decodes a chunk's samples into µV per lead. */
export function decodeChunk(chunk: EcgChunk): Float32Array[] {
  const bin = atob(chunk.data);
  const view = new DataView(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) view.setUint8(i, bin.charCodeAt(i));
  return chunk.leads.map((_, l) => {
    const out = new Float32Array(chunk.count);
    const base = l * chunk.count * 2;
    for (let i = 0; i < chunk.count; i++)
      out[i] = view.getInt16(base + i * 2, true) * chunk.microvoltsPerUnit;
    return out;
  });
}

export class EcgRing {
  /** Samples written so far (the write position, never wraps). */
  total = 0;
  sampleRate = 0;
  leads: string[] = [];
  /** Device time of the sample after the last one written. */
  nextT: number | null = null;
  /** Duration of the last chunk, s (the strip keeps at least two of them in hand). */
  chunkS = 0.25;
  /** Jumps in time written as NaN (data skipped), for the page's data attributes. */
  gaps = 0;
  private rings = new Map<string, Float32Array>();

  constructor(readonly seconds = 12) {}

  get capacity(): number {
    return Math.round(this.seconds * this.sampleRate);
  }

  push(chunk: EcgChunk): void {
    if (chunk.sampleRate !== this.sampleRate || chunk.leads.join() !== this.leads.join()) this.reset(chunk);
    const fs = this.sampleRate;
    if (this.nextT !== null) {
      const gap = Math.round(((chunk.t - this.nextT) / 1000) * fs);
      // Clock jitter of a few samples is not a gap; a real one is written as NaN (at most a ring's worth).
      if (gap > fs / 10) {
        this.fill(Math.min(gap, this.capacity), NaN);
        this.gaps += 1;
      }
    }
    const values = decodeChunk(chunk);
    const cap = this.capacity;
    this.leads.forEach((lead, l) => {
      const ring = this.rings.get(lead)!;
      const v = values[l]!;
      for (let i = 0; i < chunk.count; i++) ring[(this.total + i) % cap] = v[i]!;
    });
    this.total += chunk.count;
    this.chunkS = chunk.count / fs;
    this.nextT = chunk.t + (chunk.count / fs) * 1000;
  }

  /**
   * Copies `n` samples of `lead` ending at sample `end` (exclusive) into `out` (NaN where the ring has
   * nothing). Returns false when the run has no such lead.
   */
  read(lead: string, end: number, out: Float32Array): boolean {
    const ring = this.rings.get(lead);
    if (!ring) return false;
    const cap = this.capacity;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const s = end - n + i;
      out[i] = s < 0 || s >= this.total || s < this.total - cap ? NaN : ring[s % cap]!;
    }
    return true;
  }

  private fill(n: number, value: number): void {
    const cap = this.capacity;
    for (const ring of this.rings.values()) for (let i = 0; i < n; i++) ring[(this.total + i) % cap] = value;
    this.total += n;
  }

  private reset(chunk: EcgChunk): void {
    this.sampleRate = chunk.sampleRate;
    this.leads = [...chunk.leads];
    this.total = 0;
    this.nextT = null;
    this.rings = new Map(this.leads.map((l) => [l, new Float32Array(this.capacity).fill(NaN)]));
  }
}
