import { describe, expect, it } from 'vitest';
import { decodeChunk, EcgRing } from './ecgRing.js';
import { chunk } from './testkit.js';

describe('ECG ring', () => {
  it('decodes int16 little-endian samples lead after lead, scaled to µV', () => {
    const [i, ii] = decodeChunk(chunk(1, ['I', 'II'], 4, 500, 2.5));
    expect([...i!]).toEqual([50, 51, 52, 53].map((v) => v * 2.5));
    expect([...ii!]).toEqual([150, 151, 152, 153].map((v) => v * 2.5));
  });

  it('reads the newest samples across the wrap, NaN before the first', () => {
    const ring = new EcgRing(1); // 500 samples
    for (let seq = 1; seq <= 6; seq++) ring.push(chunk(seq, ['II'], 100));
    expect(ring.total).toBe(600);
    const out = new Float32Array(3);
    ring.read('II', 600, out);
    expect([...out]).toEqual([147, 148, 149]);
    const old = new Float32Array(2);
    ring.read('II', 101, old); // sample 99 was overwritten (capacity 500)
    expect(old[0]).toBeNaN();
    expect(ring.read('V1', 600, out)).toBe(false);
  });

  it('writes a jump in time as a gap of NaN, not a join', () => {
    const ring = new EcgRing(4);
    ring.push(chunk(1, ['II'], 100));
    ring.push(chunk(5, ['II'], 100)); // chunks 2–4 (600 ms) skipped
    expect(ring.total).toBe(500);
    const out = new Float32Array(500);
    ring.read('II', 500, out);
    expect(out[99]).toBe(149);
    expect(out[100]).toBeNaN();
    expect(out[399]).toBeNaN();
    expect(out[400]).toBe(50);
  });

  it('starts over when the leads or the rate change', () => {
    const ring = new EcgRing(2);
    ring.push(chunk(1, ['II'], 100));
    ring.push(chunk(2, ['I', 'II', 'III'], 100, 250));
    expect(ring.total).toBe(100);
    expect(ring.leads).toEqual(['I', 'II', 'III']);
    expect(ring.sampleRate).toBe(250);
  });
});
