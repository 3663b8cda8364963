// Lead naming/ordering, unit conversion and sample decoding: the building blocks every importer
// shares. G.711 values are checked against the ITU-T G.711 reference tables (µ-law 0x00 → −32124,
// 0x7f → 0, 0x80 → 32124; A-law 0xd5 → 8, 0x55 → −8, 0xaa → 32256, 0x2a → −32256).
import { describe, expect, it } from 'vitest';
import { buildChannel } from './channel.js';
import { normaliseLead, orderChannels } from './leads.js';
import { EcgError } from './model.js';
import { aLawToLinear, demultiplex, muLawToLinear, paddingValue } from './samples.js';
import { microvoltFactor, toMicrovolt } from './units.js';

describe('lead names', () => {
  it.each([
    [{ value: '2:1', scheme: 'MDC' }, 'I'],
    [{ value: '2:2', scheme: 'MDC' }, 'II'],
    [{ value: '2:61', scheme: 'MDC' }, 'III'],
    [{ value: '2:62', scheme: 'MDC' }, 'aVR'],
    [{ value: '2:63', scheme: 'MDC' }, 'aVL'],
    [{ value: '2:64', scheme: 'MDC' }, 'aVF'],
    [{ value: '2:3', scheme: 'MDC' }, 'V1'],
    [{ value: '2:8', scheme: 'MDC' }, 'V6'],
    [{ value: '2:66', scheme: 'MDC' }, 'V8'],
    [{ value: '5.6.3-9-1', scheme: 'SCPECG' }, 'I'],
    [{ value: '5.6.3-9-64', scheme: 'SCPECG' }, 'aVF'],
    [{ value: 'MDC_ECG_LEAD_AVR', scheme: 'MDC' }, 'aVR'],
    [{ value: 'MDC_ECG_LEAD_V4', scheme: 'MDC' }, 'V4'],
    [{ value: 'MDC_ECG_LEAD_AVRneg', scheme: 'MDC' }, '-aVR'],
    [{ value: 'X-LOCAL', scheme: '99LOCAL', meaning: 'Lead aVL' }, 'aVL'],
  ])('%o → %s', (code, lead) => {
    expect(normaliseLead(code, undefined)).toBe(lead);
  });

  it('reads free-text labels and leaves unknown channels as they are', () => {
    expect(normaliseLead(undefined, 'Lead I (Einthoven)')).toBe('I');
    expect(normaliseLead(undefined, 'avf')).toBe('aVF');
    expect(normaliseLead(undefined, 'v5')).toBe('V5');
    expect(normaliseLead({ value: '2:4000', scheme: 'MDC', meaning: 'Aortic pressure' }, undefined)).toBe(
      'Aortic pressure',
    );
    expect(normaliseLead(undefined, 'Pleth')).toBe('Pleth');
  });

  it('orders I, II, III, aVR, aVL, aVF, V1–V6, then the rest as found', () => {
    const names = ['V6', 'Resp', 'aVF', 'V1', 'I', 'III', 'V7', 'aVR', 'II', 'V2', 'V3', 'V4', 'V5', 'aVL'];
    expect(orderChannels(names.map((lead) => ({ lead }))).map((c) => c.lead)).toEqual(
      'I II III aVR aVL aVF V1 V2 V3 V4 V5 V6 Resp V7'.split(' '),
    );
  });
});

describe('units', () => {
  it('converts voltages to µV and leaves other units alone', () => {
    expect(microvoltFactor('mV')).toBe(1000);
    expect(microvoltFactor('uV')).toBe(1);
    expect(microvoltFactor('nV')).toBe(0.001);
    expect(microvoltFactor('V')).toBe(1e6);
    expect(microvoltFactor('mm[Hg]')).toBeUndefined();
    expect(toMicrovolt('mm[Hg]')).toEqual({ units: 'mm[Hg]', factor: 1 });
  });

  it('builds calibrated channels: raw × sensitivity × correction + baseline, in µV', () => {
    const ch = buildChannel(Int32Array.from([0, 10, -10, -32768]), {
      code: { value: '2:1', scheme: 'MDC' },
      units: 'mV',
      sensitivity: 0.005,
      sensitivityCorrection: 2,
      baseline: 0.1,
      paddingValue: -32768,
    });
    expect(ch.lead).toBe('I');
    expect(ch.units).toBe('uV');
    expect(ch.sensitivity).toBeCloseTo(5);
    expect(ch.baseline).toBeCloseTo(100);
    expect(Array.from(ch.samples.slice(0, 3))).toEqual([100, 200, 0]);
    expect(ch.samples[3]).toBeNaN();
  });

  it('keeps uncalibrated channels as counts', () => {
    const ch = buildChannel(Int32Array.from([3]), { label: 'Marker' });
    expect(ch.units).toBe('1');
    expect(ch.samples[0]).toBe(3);
  });
});

describe('G.711', () => {
  it('expands µ-law', () => {
    expect(muLawToLinear(0x00)).toBe(-32124);
    expect(muLawToLinear(0x80)).toBe(32124);
    expect(muLawToLinear(0x7f)).toBe(0);
    expect(muLawToLinear(0xff)).toBe(0);
    expect(muLawToLinear(0xfe)).toBe(8);
  });
  it('expands A-law', () => {
    expect(aLawToLinear(0xd5)).toBe(8);
    expect(aLawToLinear(0x55)).toBe(-8);
    expect(aLawToLinear(0xaa)).toBe(32256);
    expect(aLawToLinear(0x2a)).toBe(-32256);
  });
});

describe('demultiplex', () => {
  // Two channels × three samples, interleaved C1S1 C2S1 C1S2 …
  it('reads 16-bit signed and unsigned', () => {
    const ss = new Uint8Array(new Int16Array([1, -1, 2, -2, 300, -300]).buffer);
    expect(demultiplex(ss, 2, 3, 16, 'SS').channels.map((c) => Array.from(c))).toEqual([
      [1, 2, 300],
      [-1, -2, -300],
    ]);
    const us = new Uint8Array(new Uint16Array([65535, 0, 1, 2, 3, 4]).buffer);
    expect(demultiplex(us, 2, 3, 16, 'US').channels[0]![0]).toBe(65535);
  });

  it('reads 8-bit SB/UB/MB/AB and 32-bit SL', () => {
    const bytes = Uint8Array.from([0xff, 0x80, 0x01, 0x7f]);
    expect(Array.from(demultiplex(bytes, 2, 2, 8, 'SB').channels[0]!)).toEqual([-1, 1]);
    expect(Array.from(demultiplex(bytes, 2, 2, 8, 'UB').channels[1]!)).toEqual([128, 127]);
    expect(Array.from(demultiplex(bytes, 2, 2, 8, 'MB').channels[1]!)).toEqual([32124, 0]);
    expect(Array.from(demultiplex(Uint8Array.from([0xd5, 0x55]), 1, 2, 8, 'AB').channels[0]!)).toEqual([
      8, -8,
    ]);
    const sl = new Uint8Array(new Int32Array([100000, -100000]).buffer);
    expect(Array.from(demultiplex(sl, 1, 2, 32, 'SL').channels[0]!)).toEqual([100000, -100000]);
  });

  it('refuses data shorter than declared and a width that contradicts the interpretation', () => {
    expect(() => demultiplex(new Uint8Array(10), 2, 3, 16, 'SS')).toThrow(EcgError);
    expect(() => demultiplex(new Uint8Array(10), 2, 3, 16, 'SS')).toThrow(/needs? 12/);
    expect(() => demultiplex(new Uint8Array(12), 2, 3, 8, 'SS')).toThrow(/does not match/);
  });

  it('reads the padding value as a sample of the same encoding', () => {
    expect(paddingValue([Uint8Array.from([0x00, 0x80]).buffer], 'SS')).toBe(-32768);
    expect(paddingValue(5, 'SS')).toBe(5);
    expect(paddingValue(undefined, 'SS')).toBeUndefined();
  });
});
