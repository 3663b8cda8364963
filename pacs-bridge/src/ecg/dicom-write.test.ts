// The DICOM 12-lead ECG writer. The written bytes are checked with dicom-parser — a different
// DICOM library than the dcmjs the writer uses — and then read back through our own reader: the
// round trip aECG/SCP-ECG → DICOM → model must give back every sample unchanged.
import { readFileSync } from 'node:fs';
import * as dicomParserModule from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { readAecg } from './aecg.js';
import { readDicomEcg } from './dicom-read.js';
import { decimalString, TWELVE_LEAD_ECG_SOP_CLASS, writeTwelveLeadEcg } from './dicom-write.js';
import { EcgError, type ImportedEcg } from './model.js';
import { readScpEcg } from './scp-ecg.js';

type DataSet = ReturnType<typeof dicomParserModule.parseDicom>;
const dicomParser =
  (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;
const fixture = (p: string): Buffer =>
  readFileSync(new URL(`../../../test/fixtures/ecg/${p}`, import.meta.url));

const aecgBytes = fixture('hl7-aecg/Example_aECG.xml');
const scpBytes = fixture('scp-ecg/Example.scp');
const fromAecg = (): ImportedEcg => readAecg(aecgBytes.toString('utf8'));

describe('aECG → DICOM 12-lead ECG, read with dicom-parser', () => {
  const written = writeTwelveLeadEcg(fromAecg(), {
    sourceBytes: aecgBytes,
    institutionName: 'Riverside Township Health Center',
  });
  const ds: DataSet = dicomParser.parseDicom(new Uint8Array(written.bytes));

  it('is a Part 10 12-lead ECG in Explicit VR Little Endian with UIDs under 2.25', () => {
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(ds.string('x00080016')).toBe(TWELVE_LEAD_ECG_SOP_CLASS);
    expect(ds.string('x00020002')).toBe(TWELVE_LEAD_ECG_SOP_CLASS);
    expect(ds.string('x00080018')).toBe(written.sopInstanceUid);
    expect(ds.string('x00020003')).toBe(written.sopInstanceUid);
    expect(ds.string('x0020000d')).toBe(written.studyInstanceUid);
    expect(ds.string('x0020000e')).toBe(written.seriesInstanceUid);
    for (const uid of [written.sopInstanceUid, written.studyInstanceUid, written.seriesInstanceUid]) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
    expect(new Set([written.sopInstanceUid, written.studyInstanceUid, written.seriesInstanceUid]).size).toBe(
      3,
    );
  });

  it('carries patient and acquisition data from the aECG and the institution from the caller', () => {
    expect(ds.string('x00080060')).toBe('ECG');
    expect(ds.string('x00100010')).toBe('Clark');
    expect(ds.string('x00100020')).toBe('SBJ-123');
    expect(ds.string('x00100030')).toBe('19530508');
    expect(ds.string('x00100040')).toBe('M');
    expect(ds.string('x00080020')).toBe('20021122');
    expect(ds.string('x00080030')).toBe('091000');
    expect(ds.string('x0008002a')).toBe('20021122091000');
    expect(ds.string('x00080070')).toBe('Mortara Instrument, Inc.');
    expect(ds.string('x00080080')).toBe('Riverside Township Health Center');
    expect(ds.string('x00080005')).toBe('ISO_IR 192');
  });

  it('writes the waveform groups: 12 channels, MDC lead codes, 2.5 µV, interleaved Int16', () => {
    const items = ds.elements.x54000100!.items!;
    expect(items).toHaveLength(2);
    const rhythm = items[0]!.dataSet!;
    expect(rhythm.uint16('x003a0005')).toBe(12);
    expect(rhythm.uint32('x003a0010')).toBe(5000);
    expect(rhythm.string('x003a001a')).toBe('500');
    expect(rhythm.string('x003a0020')).toBe('RHYTHM');
    expect(rhythm.string('x003a0004')).toBe('ORIGINAL');
    expect(rhythm.uint16('x54001004')).toBe(16);
    expect(rhythm.string('x54001006')).toBe('SS');
    const defs = rhythm.elements.x003a0200!.items!.map((i) => i.dataSet!);
    const codes = defs.map((d) => d.elements.x003a0208!.items![0]!.dataSet!.string('x00080100'));
    expect(codes).toEqual([
      '2:1',
      '2:2',
      '2:61',
      '2:62',
      '2:63',
      '2:64',
      '2:3',
      '2:4',
      '2:5',
      '2:6',
      '2:7',
      '2:8',
    ]);
    expect(defs.map((d) => d.string('x003a0210'))).toEqual(Array(12).fill('2.5'));
    expect(defs[0]!.elements.x003a0211!.items![0]!.dataSet!.string('x00080100')).toBe('uV');
    const data = rhythm.elements.x54001010!;
    expect(data.length).toBe(12 * 5000 * 2);
    const first = new Int16Array(
      rhythm.byteArray.buffer.slice(
        rhythm.byteArray.byteOffset + data.dataOffset,
        rhythm.byteArray.byteOffset + data.dataOffset + 24,
      ),
    );
    // Sample 1 of I, II, III, aVR, aVL, aVF, V1–V6 as digits in the aECG XML.
    expect(Array.from(first)).toEqual([-2, -7, -5, 4, 1, -6, 43, 55, 40, 28, 23, -9]);
    const beat = items[1]!.dataSet!;
    expect(beat.string('x003a0004')).toBe('DERIVED');
    expect(beat.uint32('x003a0010')).toBe(599);
    expect(beat.string('x003a0020')).toBe('REPRESENTATIVE');
  });
});

describe('round trip: source → DICOM → model gives the same samples', () => {
  const cases: Array<[string, () => ImportedEcg, Buffer]> = [
    ['HL7 aECG', fromAecg, aecgBytes],
    ['SCP-ECG', () => readScpEcg(scpBytes), scpBytes],
  ];
  it.each(cases)('%s', (_name, read, bytes) => {
    const source = read();
    const back = readDicomEcg(writeTwelveLeadEcg(source, { sourceBytes: bytes }).bytes).recording;
    expect(back.sopClassUid).toBe(TWELVE_LEAD_ECG_SOP_CLASS);
    expect(back.groups).toHaveLength(source.recording.groups.length);
    source.recording.groups.forEach((g, gi) => {
      const b = back.groups[gi]!;
      expect([b.samplingFrequency, b.numberOfSamples, b.originality]).toEqual([
        g.samplingFrequency,
        g.numberOfSamples,
        g.originality,
      ]);
      expect(b.channels.map((c) => c.lead)).toEqual(g.channels.map((c) => c.lead));
      g.channels.forEach((c, ci) => {
        expect(Array.from(b.channels[ci]!.raw)).toEqual(Array.from(c.raw));
        expect(Array.from(b.channels[ci]!.samples)).toEqual(Array.from(c.samples));
        expect(b.channels[ci]!.units).toBe('uV');
      });
    });
  });

  it('a DICOM hemodynamic recording in mV re-written as 12-lead keeps its µV values', () => {
    const dfl = fixture('dicom-waveform/wave_dfl.dcm');
    const source = readDicomEcg(dfl);
    const back = readDicomEcg(writeTwelveLeadEcg(source, { sourceBytes: dfl }).bytes).recording;
    const [a, b] = [source.recording.groups[0]!.channels[0]!, back.groups[0]!.channels[0]!];
    expect(b.sensitivity).toBe(1.22);
    expect(Array.from(b.raw)).toEqual(Array.from(a.raw));
    expect(b.samples[0]).toBeCloseTo(226.92, 3);
    expect(back.groups[0]!.paddingValue).toBe(-32768);
  });
});

describe('UIDs and refusals', () => {
  it('the same file gives the same instance (idempotent re-import); another salt another one', () => {
    const a = writeTwelveLeadEcg(fromAecg(), { sourceBytes: aecgBytes, uidSalt: 'inst-1' });
    const b = writeTwelveLeadEcg(fromAecg(), { sourceBytes: aecgBytes, uidSalt: 'inst-1' });
    const c = writeTwelveLeadEcg(fromAecg(), { sourceBytes: aecgBytes, uidSalt: 'inst-2' });
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(c.sopInstanceUid).not.toBe(a.sopInstanceUid);
  });

  it('attaches to a given study, and refuses an invalid study UID', () => {
    const w = writeTwelveLeadEcg(fromAecg(), { sourceBytes: aecgBytes, studyInstanceUid: '1.2.3.4' });
    expect(readDicomEcg(w.bytes).recording.groups).toHaveLength(2);
    expect(w.studyInstanceUid).toBe('1.2.3.4');
    expect(() =>
      writeTwelveLeadEcg(fromAecg(), { sourceBytes: aecgBytes, studyInstanceUid: '1.2.03/../x' }),
    ).toThrow(EcgError);
  });

  it('refuses what a 12-lead ECG object cannot hold, with the rule', () => {
    const refuse = (change: (e: ImportedEcg) => void, text: RegExp): void => {
      const e = fromAecg();
      change(e);
      expect(() => writeTwelveLeadEcg(e, { sourceBytes: aecgBytes })).toThrow(text);
    };
    refuse(
      (e) => (e.recording.groups[0]!.samplingFrequency = 100),
      /100 Hz; a 12-lead ECG allows 200–1000 Hz/,
    );
    refuse((e) => (e.recording.groups[0]!.channels[0]!.raw[5] = 40000), /beyond 16 bits/);
    refuse((e) => (e.recording.groups[0]!.channels[0]!.lead = 'Pleth'), /Pleth is not an ECG lead/);
    refuse((e) => (e.recording.groups[0]!.channels[0]!.units = 'mm[Hg]'), /not a voltage/);
    refuse((e) => (e.recording.groups = []), /0 multiplex groups/);
  });

  it('keeps DS values within 16 characters', () => {
    expect(decimalString(0.00122 * 1000)).toBe('1.22');
    expect(decimalString(2.5)).toBe('2.5');
    expect(decimalString(1 / 3).length).toBeLessThanOrEqual(16);
  });
});
