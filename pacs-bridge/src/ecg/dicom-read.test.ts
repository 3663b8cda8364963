// DICOM waveform extraction against the real fixtures. Expected values were taken independently
// of this code: channel codes, sensitivities, units and frequencies from `dcmdump`, and per-channel
// first/last/min/max/sum of the raw samples from `dcmdump +L` (the whole Waveform Data printed as
// hex) summed by a separate script — see test/fixtures/MANIFEST.tsv for what each file is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDicomEcg } from './dicom-read.js';
import { EcgError, STANDARD_LEADS } from './model.js';

const fixture = (p: string): Buffer => readFileSync(new URL(`../../../test/fixtures/${p}`, import.meta.url));

type Stats = [first: number[], last: number, min: number, max: number, sum: number];
const stats = (raw: Int32Array): Stats => [
  Array.from(raw.slice(0, 3)),
  raw[raw.length - 1]!,
  Math.min(...raw),
  Math.max(...raw),
  raw.reduce((a, b) => a + b, 0),
];

// File order of both fixtures is I, II, III, aVR, aVL, aVF, V1–V6 (SCPECG codes 5.6.3-9-1, -2,
// -61…-64, -3…-8), which is also the standard order.
const MORTARA_RHYTHM: Stats[] = [
  [[80, 65, 50], 20, -50, 580, 741291],
  [[90, 85, 80], 110, -167, 910, 726870],
  [[10, 20, 30], 90, -235, 350, -14421],
  [[-85, -75, -65], -65, -745, 68, -731598],
  [[35, 22, 10], -35, -98, 275, 375411],
  [[50, 52, 55], 100, -200, 620, 353730],
  [[40, 40, 40], 20, -900, 165, 286220],
  [[15, 20, 25], -10, -665, 220, 317155],
  [[-10, -10, -10], -90, -870, 640, 293860],
  [[-20, -20, -20], -110, -210, 860, 304835],
  [[-55, -60, -65], -120, -180, 1570, 308945],
  [[-40, -40, -40], -90, -130, 1155, 307350],
];
const MORTARA_MEDIAN: Stats[] = [
  [[10, 10, 30], 15, -25, 535, 54940],
  [[80, 80, 80], 50, -25, 890, 126860],
  [[70, 70, 50], 35, -45, 360, 71920],
  [[-45, -45, -55], -32, -712, 25, -90610],
  [[-30, -30, -10], -10, -70, 182, -8788],
  [[75, 75, 65], 42, -18, 622, 99107],
  [[-40, -40, -40], -50, -950, 40, -81180],
  [[-10, 0, 0], -20, -670, 130, -7230],
  [[80, 80, 80], 10, -750, 670, 105460],
  [[90, 90, 90], 30, -80, 920, 149860],
  [[60, 60, 60], 30, -30, 1570, 140840],
  [[40, 40, 30], 20, -30, 1190, 105620],
];
const MARQUETTE: Stats[] = [
  [[186, 186, 174], -20, -392, 1264, 105800],
  [[48, 48, 46], -8, -110, 382, 25148],
  [[-138, -138, -128], 12, -882, 292, -80652],
  [[-117, -117, -110], 14, -823, 247, -65474],
  [[162, 162, 151], -16, -342, 1073, 93226],
  [[-45, -45, -41], 2, -250, 96, -27752],
  [[-82, -78, -74], 4, -548, 154, -47952],
  [[-176, -168, -160], 8, -1154, 348, -105758],
  [[98, 100, 88], -8, -204, 704, 54224],
  [[196, 194, 176], -18, -412, 1326, 112734],
  [[286, 290, 256], -30, -620, 1938, 171230],
  [[194, 194, 174], -16, -412, 1314, 110006],
];

describe('12-lead ECG (Mortara ELI 250, waveform_ecg.dcm)', () => {
  const { recording } = readDicomEcg(fixture('ecg/dicom-waveform/waveform_ecg.dcm'));

  it('has the rhythm and median-beat multiplex groups dcmdump shows', () => {
    expect(recording.source).toBe('dicom');
    expect(recording.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.9.1.1');
    expect(
      recording.groups.map((g) => [g.label, g.originality, g.samplingFrequency, g.numberOfSamples]),
    ).toEqual([
      ['RHYTHM', 'ORIGINAL', 1000, 10000],
      ['MEDIAN BEAT', 'DERIVED', 1000, 1200],
    ]);
    for (const g of recording.groups) {
      expect(g.bitsAllocated).toBe(16);
      expect(g.sampleInterpretation).toBe('SS');
      expect(g.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    }
  });

  it('keeps channel calibration: 1.25 µV per step, correction 1, baseline 0, filters 0.05–300 Hz', () => {
    const lead1 = recording.groups[0]!.channels[0]!;
    expect(lead1).toMatchObject({
      lead: 'I',
      label: 'Lead I (Einthoven)',
      source: { value: '5.6.3-9-1', scheme: 'SCPECG' },
      units: 'uV',
      sensitivity: 1.25,
      sensitivityCorrection: 1,
      baseline: 0,
      filterLowHz: 0.05,
      filterHighHz: 300,
    });
  });

  it('decodes every sample (first/last/min/max/sum per channel as dcmdump printed them)', () => {
    expect(recording.groups[0]!.channels.map((c) => stats(c.raw))).toEqual(MORTARA_RHYTHM);
    expect(recording.groups[1]!.channels.map((c) => stats(c.raw))).toEqual(MORTARA_MEDIAN);
  });

  it('gives amplitudes in µV', () => {
    const [i, , , avr] = recording.groups[0]!.channels;
    expect(Array.from(i!.samples.slice(0, 3))).toEqual([100, 81.25, 62.5]); // 80, 65, 50 × 1.25
    expect(avr!.samples[0]).toBe(-106.25);
    // V5's largest excursion: 1570 × 1.25 µV ≈ 1.96 mV
    expect(Math.max(...recording.groups[0]!.channels[10]!.samples)).toBe(1962.5);
  });
});

describe('Hemodynamic waveform, deflated (GE Marquette, wave_dfl.dcm)', () => {
  const { recording, subject } = readDicomEcg(fixture('ecg/dicom-waveform/wave_dfl.dcm'));
  const group = recording.groups[0]!;

  it('reads the deflated data set: one group of 12 channels × 2400 samples at 240 Hz', () => {
    expect(recording.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.9.2.1');
    expect(recording.groups).toHaveLength(1);
    expect(group).toMatchObject({
      originality: 'ORIGINAL',
      samplingFrequency: 240,
      numberOfSamples: 2400,
      paddingValue: -32768,
    });
    expect(group.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    expect(group.channels.map((c) => stats(c.raw))).toEqual(MARQUETTE);
  });

  it('converts the mV sensitivity (0.00122 mV) to µV', () => {
    const lead1 = group.channels[0]!;
    expect(lead1.units).toBe('uV');
    expect(lead1.sensitivity).toBeCloseTo(1.22, 10);
    expect(lead1.samples[0]).toBeCloseTo(186 * 1.22, 3);
    expect(group.channels[10]!.samples.reduce((m, v) => Math.max(m, v), -Infinity)).toBeCloseTo(
      1938 * 1.22,
      2,
    );
  });

  it('keeps patient data out of the recording and redacts it when printed', () => {
    expect(JSON.stringify(recording)).not.toContain('Patient^Test');
    expect(JSON.stringify(recording)).not.toContain('123-654');
    expect(JSON.stringify({ subject })).toBe('{"subject":"[redacted]"}');
    expect(String(subject)).toBe('[redacted]');
    expect(subject.reveal()).toMatchObject({
      patientName: 'Patient^Test',
      patientId: '123-654',
      patientSex: 'M',
    });
  });
});

describe('files that are not ECG waveforms', () => {
  const expectEcgError = (bytes: Uint8Array, code: string, text?: RegExp): void => {
    let caught: unknown;
    try {
      readDicomEcg(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EcgError);
    expect((caught as EcgError).code).toBe(code);
    if (text) expect((caught as EcgError).message).toMatch(text);
  };

  it('an image has no Waveform Sequence', () => {
    expectEcgError(fixture('dicom/ct/CT_small.dcm'), 'no-waveform', /5400,0100/);
  });

  it('no DICM prefix, empty input, and XML are not DICOM', () => {
    expectEcgError(fixture('dicom/malformed/no_meta.dcm'), 'unrecognised-format');
    expectEcgError(new Uint8Array(0), 'unrecognised-format');
    expectEcgError(fixture('ecg/hl7-aecg/minimum_aecg.xml'), 'unrecognised-format');
  });

  it('truncated files are malformed, wherever they are cut', () => {
    const whole = fixture('ecg/dicom-waveform/waveform_ecg.dcm');
    for (let cut = 140; cut < whole.byteLength; cut += Math.floor(whole.byteLength / 60)) {
      let caught: unknown;
      try {
        readDicomEcg(whole.subarray(0, cut));
      } catch (err) {
        caught = err;
      }
      // A cut can fall after the last element the reader needs; then it may succeed — but it
      // must never fail with anything other than an EcgError.
      if (caught !== undefined) expect(caught, `cut at ${cut}`).toBeInstanceOf(EcgError);
    }
    expectEcgError(whole.subarray(0, whole.byteLength - 1000), 'malformed');
  });

  it('random byte flips never escape as anything but EcgError', () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const name of ['waveform_ecg.dcm', 'wave_dfl.dcm']) {
      const original = fixture(`ecg/dicom-waveform/${name}`);
      for (let i = 0; i < 100; i++) {
        const bytes = Buffer.from(original);
        for (let k = 0; k < 4; k++)
          bytes[132 + Math.floor(rand() * (bytes.byteLength - 132))] = Math.floor(rand() * 256);
        try {
          readDicomEcg(bytes);
        } catch (err) {
          expect(err, `${name} mutation ${i}`).toBeInstanceOf(EcgError);
        }
      }
    }
  });

  it('error messages do not quote patient data', () => {
    const bytes = Buffer.from(fixture('ecg/dicom-waveform/wave_dfl.dcm'));
    try {
      readDicomEcg(bytes.subarray(0, 3000));
    } catch (err) {
      expect((err as Error).message).not.toMatch(/Patient\^Test|123-654/);
    }
  });
});
