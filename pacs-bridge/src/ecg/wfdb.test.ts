import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  adcToMicrovolts,
  decodeWfdbSignals,
  parseWfdbHeader,
  readWfdbRecord,
  signalToMicrovoltUnits,
  wfdbChecksum,
} from './wfdb.js';
import { resampleSignal } from './wfdb-resample.js';
import { STANDARD_LEADS } from './wire.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/ecg/wfdb/', import.meta.url));
const MITDB_100 = `${FIXTURES}mitdb-100/100.hea`;
const PTB_S0010 = `${FIXTURES}ptbdb-s0010_re/s0010_re.hea`;

describe('WFDB header', () => {
  it('reads the record and signal lines of MIT-BIH 100 (comments and blank lines tolerated)', () => {
    const h = parseWfdbHeader(readFileSync(MITDB_100, 'latin1'));
    expect(h).toMatchObject({ recordName: '100', samplingFrequency: 360, numberOfSamples: 650_000 });
    expect(h.signals).toHaveLength(2);
    expect(h.signals[0]).toMatchObject({
      fileName: '100.dat',
      format: 212,
      gain: 200,
      baseline: 1024, // no "(baseline)" after the gain: the ADC zero
      adcResolution: 11,
      adcZero: 1024,
      initialValue: 995,
      checksum: -22131,
      units: 'mV',
      description: 'MLII',
      lead: 'MLII',
    });
    expect(h.signals[1]).toMatchObject({ description: 'V5', lead: 'V5', initialValue: 1011 });
    expect(h.comments).toContain('69 M 1085 1629 x1');
  });

  it('reads a gain with baseline and units, and normalises PTB lead names', () => {
    const h = parseWfdbHeader(
      'r 3 500/1(0) 10\nr.dat 16 1000(-5)/uV 16 0 0 0 0 avr\nr.dat 16 0 16 3\nr.dat 16 2000 16 0 0 0 0 v1\n',
    );
    expect(h.samplingFrequency).toBe(500);
    expect(h.signals[0]).toMatchObject({ gain: 1000, baseline: -5, units: 'uV', lead: 'aVR' });
    // Gain 0 means the WFDB default of 200; the baseline defaults to the ADC zero.
    expect(h.signals[1]).toMatchObject({ gain: 200, baseline: 3, description: '', lead: 'S2' });
    expect(h.signals[2]!.lead).toBe('V1');
  });

  it('refuses what it cannot read', () => {
    expect(() => parseWfdbHeader('r 1 360\nr.dat 80 200 8 0\n')).toThrow(/format 80/);
    expect(() => parseWfdbHeader('r/2 1 360\n')).toThrow(/multi-segment/);
    expect(() => parseWfdbHeader('r 2 360\nr.dat 16\n')).toThrow(/2 signals/);
  });
});

describe('WFDB signals', () => {
  it('decodes format 212 (MIT-BIH 100): first samples and the header checksums', async () => {
    const rec = await readWfdbRecord(MITDB_100);
    // By hand from the first 3 bytes of 100.dat (e3 33 f3):
    //   MLII = 0xe3 | (0x33 & 0x0f) << 8 = 0x3e3 = 995;  V5 = 0xf3 | (0x33 & 0xf0) << 4 = 0x3f3 = 1011
    //   physical = (adc − baseline) / gain: (995 − 1024) / 200 = −0.145 mV; (1011 − 1024) / 200 = −0.065 mV
    // — the values rdsamp prints for record 100's first row.
    expect(rec.adc[0]![0]).toBe(995);
    expect(rec.adc[1]![0]).toBe(1011);
    expect(adcToMicrovolts(rec.header.signals[0]!, rec.adc[0]![0]!)).toBeCloseTo(-145, 6);
    expect(adcToMicrovolts(rec.header.signals[1]!, rec.adc[1]![0]!)).toBeCloseTo(-65, 6);
    expect(rec.adc[0]).toHaveLength(650_000);
    // The header's checksums are over all 650 000 samples of each signal (readWfdbRecord checks them too).
    expect(wfdbChecksum(rec.adc[0]!)).toBe(-22131);
    expect(wfdbChecksum(rec.adc[1]!)).toBe(20052);
    const uv = signalToMicrovoltUnits(rec.header.signals[0]!, rec.adc[0]!.subarray(0, 3), 5);
    expect(Array.from(uv)).toEqual([-29, -29, -29]); // 5 µV per unit = one ADC step of record 100
  });

  it('decodes format 16 from two signal files (PTB s0010_re: 12 leads + Frank XYZ at 1000 Hz)', async () => {
    const rec = await readWfdbRecord(PTB_S0010);
    expect(rec.header.samplingFrequency).toBe(1000);
    expect(rec.header.signals.map((s) => s.lead)).toEqual([...STANDARD_LEADS, 'vx', 'vy', 'vz']);
    // First bytes of s0010_re.dat: 17 fe 36 fe → int16 LE −489 (i), −458 (ii): the header's initial values.
    rec.header.signals.forEach((s, i) => expect(rec.adc[i]![0]).toBe(s.initialValue));
    expect(rec.adc.every((a) => a.length === 38_400)).toBe(true);
    // Gain 2000 ADC units per mV: −489 → −244.5 µV.
    expect(adcToMicrovolts(rec.header.signals[0]!, -489)).toBeCloseTo(-244.5, 6);
    // Einthoven: III = II − I holds sample by sample in the recording (within rounding of the ADC).
    const [I, II, III] = rec.adc as [Int16Array, Int16Array, Int16Array];
    for (let i = 0; i < 38_400; i += 997) expect(Math.abs(II[i]! - I[i]! - III[i]!)).toBeLessThanOrEqual(2);
  });

  it('a damaged file fails the checksum instead of playing wrong data', () => {
    const bytes = new Uint8Array([0xe3, 0x33, 0xf3]);
    const [a, b] = decodeWfdbSignals(bytes, 212, 2) as [Int16Array, Int16Array];
    expect([a[0], b[0]]).toEqual([995, 1011]);
    // Negative 12-bit values are sign-extended: 0xfff → −1, 0x800 → −2048.
    const [c, d] = decodeWfdbSignals(new Uint8Array([0xff, 0x8f, 0x00]), 212, 2) as [Int16Array, Int16Array];
    expect([c[0], d[0]]).toEqual([-1, -2048]);
  });
});

describe('resampling to 500 Hz', () => {
  const sine = (hz: number, fs: number, n: number, amp = 1000) =>
    Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / fs));
  const rms = (a: ArrayLike<number>, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i]! ** 2;
    return Math.sqrt(s / (to - from));
  };

  it('keeps the ECG band and the baseline, 1000 → 500 and 360 → 500', () => {
    for (const fs of [1000, 360]) {
      const out = resampleSignal(sine(10, fs, fs * 4), fs, 500);
      expect(out).toHaveLength(2000);
      // Same 10 Hz sine at the new rate (away from the edges).
      const expected = sine(10, 500, 2000);
      for (let i = 100; i < 1900; i += 37) expect(out[i]!).toBeCloseTo(expected[i]!, -1);
      const dc = resampleSignal(new Float64Array(fs).fill(-250), fs, 500);
      expect(Math.max(...dc.map((v) => Math.abs(v + 250)))).toBeLessThan(1e-9);
    }
  });

  it('removes what would alias when decimating (400 Hz at 1000 Hz would fold to 100 Hz)', () => {
    const out = resampleSignal(sine(400, 1000, 4000), 1000, 500);
    expect(rms(out, 100, 1900)).toBeLessThan(0.01 * 707);
    // Linear interpolation / plain decimation would keep it at full strength.
    const naive = Float64Array.from({ length: 2000 }, (_, i) => sine(400, 1000, 4000)[2 * i]!);
    expect(rms(naive, 100, 1900)).toBeGreaterThan(500);
  });

  it('keeps a QRS-like spike when upsampling 360 → 500', () => {
    const spike = new Float64Array(720);
    for (let i = -4; i <= 4; i++) spike[360 + i] = 1000 * (1 - Math.abs(i) / 5); // 25 ms triangle
    const out = resampleSignal(spike, 360, 500);
    expect(Math.max(...out)).toBeGreaterThan(900);
  });
});
