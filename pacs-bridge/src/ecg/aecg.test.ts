// HL7 aECG import against the FDA/HL7 example documents. Expected values were read from the XML
// with Python's ElementTree (independently of fast-xml-parser and this code): per lead the digit
// count, first digits, last digit, min, max and sum; scale 2.5 µV and origin 0 for every lead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAecg } from './aecg.js';
import { EcgError, STANDARD_LEADS } from './model.js';

const fixture = (p: string): string =>
  readFileSync(new URL(`../../../test/fixtures/ecg/${p}`, import.meta.url), 'utf8');

type Stats = [first: number[], last: number, min: number, max: number, sum: number];
const stats = (raw: Int32Array): Stats => [
  Array.from(raw.slice(0, 3)),
  raw[raw.length - 1]!,
  Math.min(...raw),
  Math.max(...raw),
  raw.reduce((a, b) => a + b, 0),
];

// In standard order (the document itself lists I, II, V1–V6, III, aVR, aVL, aVF).
const AECG_RHYTHM: Record<string, Stats> = {
  I: [[-2, -2, -2], -13, -122, 166, -4921],
  II: [[-7, -7, -7], -7, -267, 134, -4084],
  III: [[-5, -5, -5], 6, -363, 181, 837],
  aVR: [[4, 4, 4], 10, -102, 136, 4432],
  aVL: [[1, 1, 1], -9, -126, 253, -2721],
  aVF: [[-6, -6, -6], 0, -310, 145, -1570],
  V1: [[43, 43, 43], 11, -586, 69, -2299],
  V2: [[55, 53, 51], 8, -771, 162, -2648],
  V3: [[40, 40, 40], 13, -652, 161, -3119],
  V4: [[28, 28, 28], 6, -355, 112, -2499],
  V5: [[23, 23, 23], -20, -187, 235, -3009],
  V6: [[-9, -7, -5], -15, -124, 389, -1762],
};
const AECG_BEAT: Record<string, Stats> = {
  I: [[4, 4, 2], 23, -60, 144, 6753],
  II: [[52, 50, 49], 28, -225, 137, 16761],
  III: [[48, 46, 47], 5, -298, 126, 10008],
  aVR: [[-28, -27, -25], -25, -111, 88, -11639],
  aVL: [[-22, -21, -22], 9, -63, 203, -1568],
  aVF: [[50, 48, 48], 16, -259, 126, 13262],
  V1: [[18, 16, 16], -19, -565, 43, -4657],
  V2: [[54, 53, 51], 12, -695, 151, 9279],
  V3: [[25, 25, 24], 21, -598, 148, 6447],
  V4: [[-18, -17, -18], 21, -320, 96, 1595],
  V5: [[2, 1, 2], 27, -150, 227, 5079],
  V6: [[20, 20, 19], 30, -86, 383, 8329],
};

describe('Example_aECG.xml (HL7 ballot example, Mortara ELI250)', () => {
  const { recording, subject } = readAecg(fixture('hl7-aecg/Example_aECG.xml'));
  const [rhythm, beat] = recording.groups;

  it('has the 10 s rhythm series and the representative-beat derived series, both at 500 Hz', () => {
    expect(recording.source).toBe('hl7-aecg');
    expect(
      recording.groups.map((g) => [g.label, g.originality, g.samplingFrequency, g.numberOfSamples]),
    ).toEqual([
      ['RHYTHM', 'ORIGINAL', 500, 5000],
      ['REPRESENTATIVE_BEAT', 'DERIVED', 500, 599],
    ]);
  });

  it('reorders the leads into standard order', () => {
    expect(rhythm!.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    expect(beat!.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    expect(rhythm!.channels[3]!.label).toBe('MDC_ECG_LEAD_AVR');
  });

  it('keeps every digit', () => {
    expect(Object.fromEntries(rhythm!.channels.map((c) => [c.lead, stats(c.raw)]))).toEqual(AECG_RHYTHM);
    expect(Object.fromEntries(beat!.channels.map((c) => [c.lead, stats(c.raw)]))).toEqual(AECG_BEAT);
  });

  it('scales digits to µV (origin 0 + 2.5 µV × digit)', () => {
    const v1 = rhythm!.channels[6]!;
    expect(v1).toMatchObject({ units: 'uV', sensitivity: 2.5, baseline: 0 });
    expect(Array.from(v1.samples.slice(0, 3))).toEqual([107.5, 107.5, 107.5]);
    expect(Math.min(...v1.samples)).toBe(-1465); // −586 × 2.5
  });

  it('takes the filter settings of the rhythm series (low-pass 150 Hz, notch 60 Hz)', () => {
    expect(rhythm!.channels[0]).toMatchObject({ filterHighHz: 150, notchHz: 60 });
  });

  it('keeps subject data apart, redacted when serialised', () => {
    expect(JSON.stringify(recording)).not.toContain('Clark');
    expect(JSON.stringify(subject)).toBe('"[redacted]"');
    expect(subject.reveal()).toEqual({
      patientId: 'SBJ-123',
      patientName: 'Clark',
      patientBirthDate: '19530508',
      patientSex: 'M',
      acquisitionDateTime: '20021122091000',
      manufacturer: 'Mortara Instrument, Inc.',
      manufacturerModelName: 'ELI250',
    });
  });
});

describe('minimum_aecg.xml (FDA minimal document)', () => {
  it('reads its single lead II sequence of 13 digits', () => {
    const { recording } = readAecg(fixture('hl7-aecg/minimum_aecg.xml'));
    expect(recording.groups).toHaveLength(1);
    const g = recording.groups[0]!;
    expect(g).toMatchObject({ label: 'RHYTHM', samplingFrequency: 500, numberOfSamples: 13 });
    expect(g.channels.map((c) => c.lead)).toEqual(['II']);
    expect(Array.from(g.channels[0]!.raw)).toEqual([-2, -2, -2, -2, -3, -4, -3, -5, -5, -4, -6, -9, -9]);
    expect(g.channels[0]!.samples[12]).toBe(-22.5);
  });
});

describe('bad aECG documents', () => {
  const minimum = fixture('hl7-aecg/minimum_aecg.xml');
  const fails = (xml: string, code: string, text: RegExp): void => {
    let caught: unknown;
    try {
      readAecg(xml);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EcgError);
    expect((caught as EcgError).code).toBe(code);
    expect((caught as EcgError).message).toMatch(text);
  };

  it('not well-formed XML names the line', () => {
    fails(minimum.replace('</AnnotatedECG>', ''), 'malformed', /not well-formed \(line \d+/);
  });
  it('another XML document is not an aECG', () => {
    fails(
      '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>',
      'unrecognised-format',
      /AnnotatedECG/,
    );
  });
  it('entity declarations are refused (no entity expansion attacks)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]>${minimum.slice(minimum.indexOf('<AnnotatedECG'))}`;
    fails(bomb, 'unsupported', /DOCTYPE/);
  });
  it('non-integer digits, missing scale, missing increment, no series', () => {
    fails(minimum.replace('-2 -2 -2 -2 -3', '-2 -2 x -2 -3'), 'malformed', /digit 3 is not an integer/);
    fails(
      minimum.replace('<scale value="2.5" unit="uV"/>', ''),
      'malformed',
      /MDC_ECG_LEAD_II\) has no scale/,
    );
    fails(
      minimum.replace('<increment value="0.002" unit="s"/>', ''),
      'unsupported',
      /without a regular increment/,
    );
    fails(
      minimum.replace(/<component>\s*<series>[\s\S]*<\/series>\s*<\/component>/, ''),
      'no-waveform',
      /no series/,
    );
  });
  it('leads of unequal length in one sequenceSet', () => {
    const full = fixture('hl7-aecg/Example_aECG.xml');
    fails(
      full.replace('<digits> -2 -2 -2 -2 -3', '<digits> -2 -2 -2 -3'),
      'malformed',
      /different numbers of samples/,
    );
  });
  it('messages do not quote patient data', () => {
    try {
      readAecg(fixture('hl7-aecg/Example_aECG.xml').replace('<name>Clark</name>', '<name>Clark</nam>'));
    } catch (err) {
      expect((err as Error).message).not.toContain('Clark');
    }
  });
});
