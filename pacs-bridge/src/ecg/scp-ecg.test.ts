// SCP-ECG import. Example.scp is the C# ECG Toolkit's conversion of the same recording as
// Example_aECG.xml (test/fixtures/LICENSES/NOTICE-upstream-origins.txt), so the strongest check
// is across formats: every Huffman/second-difference decoded sample must equal the aECG digit at
// the same place (both store 2.5 µV steps). Header facts (SCP v2.0, default Huffman table 19999,
// second differences, 12 leads × 5000 samples, 2000 µs interval, AVM 2500 nV, CRCs) were read
// with a separate Python script.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAecg } from './aecg.js';
import { EcgError, STANDARD_LEADS } from './model.js';
import { crcCcitt, readScpRecord } from './scp-container.js';
import { readScpEcg } from './scp-ecg.js';

const fixture = (p: string): Buffer =>
  readFileSync(new URL(`../../../test/fixtures/ecg/${p}`, import.meta.url));
const scp = fixture('scp-ecg/Example.scp');

/** Re-seals a modified record: every section CRC, then the record CRC. */
function reseal(bytes: Buffer): Buffer {
  const ptrLen = Math.min(bytes.readUInt32LE(6 + 4), bytes.byteLength - 6) - 16;
  for (let p = 0; p + 10 <= ptrLen; p += 10) {
    const len = bytes.readUInt32LE(6 + 16 + p + 2);
    const index = bytes.readUInt32LE(6 + 16 + p + 6);
    if (len >= 2 && index > 0 && index - 1 + len <= bytes.byteLength) {
      bytes.writeUInt16LE(crcCcitt(bytes.subarray(index + 1, index - 1 + len)), index - 1);
    }
  }
  bytes.writeUInt16LE(crcCcitt(bytes.subarray(2)), 0);
  return bytes;
}

/** Byte offset of a section's data (after its 16-byte header), from the pointer table. */
function sectionData(bytes: Buffer, id: number): number {
  for (let p = 6 + 16; ; p += 10) if (bytes.readUInt16LE(p) === id) return bytes.readUInt32LE(p + 6) - 1 + 16;
}

describe('Example.scp', () => {
  const { recording, subject } = readScpEcg(scp);
  const aecg = readAecg(fixture('hl7-aecg/Example_aECG.xml').toString('utf8')).recording;

  it('is an SCP-ECG v2.0 record with sections 0–7 and valid CRCs', () => {
    const record = readScpRecord(scp);
    expect(record.protocolVersion).toBe(20);
    expect([...record.sections.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('has 12 leads × 5000 samples at 500 Hz, and 599-sample reference beats', () => {
    expect(recording.source).toBe('scp-ecg');
    expect(
      recording.groups.map((g) => [g.label, g.originality, g.samplingFrequency, g.numberOfSamples]),
    ).toEqual([
      ['RHYTHM', 'ORIGINAL', 500, 5000],
      ['REFERENCE BEAT', 'DERIVED', 500, 599],
    ]);
    // File order is I, II, V1–V6, III, aVR, aVL, aVF (lead ids 1–8, 61–64).
    expect(recording.groups[0]!.channels.map((c) => c.lead)).toEqual([...STANDARD_LEADS]);
    expect(recording.groups[0]!.channels[2]!.source).toEqual({
      value: '5.6.3-9-61',
      scheme: 'SCPECG',
      meaning: 'Lead III',
    });
  });

  it('uses the amplitude multiplier: 2500 nV = 2.5 µV per step', () => {
    const lead1 = recording.groups[0]!.channels[0]!;
    expect(lead1).toMatchObject({ units: 'uV', sensitivity: 2.5, baseline: 0 });
    expect(Array.from(lead1.samples.slice(0, 5))).toEqual([-5, -5, -5, -5, -7.5]);
  });

  it('decodes to exactly the aECG digits of the same recording, lead by lead and sample by sample', () => {
    for (const [g, group] of recording.groups.entries()) {
      const other = aecg.groups[g]!;
      expect(group.numberOfSamples).toBe(other.numberOfSamples);
      group.channels.forEach((c, i) => {
        expect(c.lead).toBe(other.channels[i]!.lead);
        expect(Array.from(c.raw), `${group.label} ${c.lead}`).toEqual(Array.from(other.channels[i]!.raw));
      });
    }
  });

  it('reads section 1 into the redacted subject', () => {
    expect(JSON.stringify(recording)).not.toContain('Clark');
    expect(`${subject}`).toBe('[redacted]');
    expect(subject.reveal()).toEqual({
      patientName: 'Clark',
      patientId: 'SBJ-123',
      patientBirthDate: '19530508',
      patientSex: 'M',
      acquisitionDateTime: '20021122091000',
    });
  });
});

describe('damaged and unsupported SCP-ECG records', () => {
  const fails = (bytes: Uint8Array, code: string, text: RegExp): void => {
    let caught: unknown;
    try {
      readScpEcg(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EcgError);
    expect((caught as EcgError).code).toBe(code);
    expect((caught as EcgError).message).toMatch(text);
  };

  it('a changed byte fails the record CRC; re-sealed, the section CRC still catches it', () => {
    const bytes = Buffer.from(scp);
    bytes[sectionData(bytes, 6) + 100]! ^= 0x10;
    fails(bytes, 'malformed', /record fails its CRC/);
    bytes.writeUInt16LE(crcCcitt(bytes.subarray(2)), 0);
    fails(bytes, 'malformed', /section 6 fails its CRC/);
  });

  it('a truncated file is not taken for SCP-ECG', () => {
    fails(scp.subarray(0, 20000), 'unrecognised-format', /record length/);
    fails(new Uint8Array(10), 'unrecognised-format', /SCP-ECG/);
  });

  it('reference-beat subtraction and bimodal compression are refused, not mis-decoded', () => {
    const subtracted = Buffer.from(scp);
    subtracted[sectionData(subtracted, 3) + 1]! |= 0x01;
    fails(reseal(subtracted), 'unsupported', /reference-beat subtraction/);
    const bimodal = Buffer.from(scp);
    bimodal[sectionData(bimodal, 6) + 5] = 1;
    fails(reseal(bimodal), 'unsupported', /bimodal/);
  });

  it('lead data too short for its samples', () => {
    const bytes = Buffer.from(scp);
    bytes.writeUInt32LE(900000, sectionData(bytes, 3) + 2 + 4); // lead 1 ends at sample 900000
    fails(reseal(bytes), 'malformed', /cannot hold|ends early/);
  });

  it('no section 3 means no waveform', () => {
    const bytes = Buffer.from(scp);
    for (let p = 6 + 16; p < 6 + 136; p += 10) if (bytes.readUInt16LE(p) === 3) bytes.writeUInt32LE(0, p + 2);
    fails(reseal(bytes), 'no-waveform', /section 3/);
  });

  it('random corruption (re-sealed so the decoder sees it) only ever gives EcgError', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let decoded = 0;
    for (let i = 0; i < 250; i++) {
      const bytes = Buffer.from(scp);
      for (let k = 0; k < 3; k++)
        bytes[6 + Math.floor(rand() * (bytes.byteLength - 6))] = Math.floor(rand() * 256);
      reseal(bytes);
      try {
        readScpEcg(bytes);
        decoded++;
      } catch (err) {
        expect(err, `mutation ${i}`).toBeInstanceOf(EcgError);
      }
    }
    expect(decoded).toBeGreaterThan(0); // flips inside sample data still decode (to other values)
  });
});
