// The real 12-lead fixture re-encoded and edited by dcmtk (dcmconv, dcmodify) — the way other
// software would hand us the same ECG: another transfer syntax, other units and calibration, a
// padding value, missing or contradictory attributes. Every variant is compared with the reading
// of the untouched file.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DCMTK_BIN, runTool } from '../testing/dcmtk.js';
import { readAecg } from './aecg.js';
import { readDicomEcg } from './dicom-read.js';
import { writeTwelveLeadEcg } from './dicom-write.js';
import { readScpEcg } from './scp-ecg.js';
import { EcgError, type EcgRecording } from './model.js';

const source = fileURLToPath(
  new URL('../../../test/fixtures/ecg/dicom-waveform/waveform_ecg.dcm', import.meta.url),
);
let dir: string;
let original: EcgRecording;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telemed-ecg-variants-'));
  original = readDicomEcg(await readFile(source)).recording;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dcmtk(tool: string, args: string[]): Promise<void> {
  const run = await runTool(tool, args);
  if (run.code !== 0)
    throw new Error(`${tool} (from ${DCMTK_BIN}) failed with ${run.code}: ${run.stderr.slice(0, 300)}`);
}

/** A copy of the fixture edited with dcmodify; `edits` are -m/-i/-e argument pairs. */
async function edited(name: string, edits: string[]): Promise<Buffer> {
  const file = join(dir, name);
  await copyFile(source, file);
  await dcmtk('dcmodify', ['-nb', ...edits, file]);
  return readFile(file);
}

const rhythm = '(5400,0100)[0]';
const leadI = `${rhythm}.(003a,0200)[0]`;

describe('other transfer syntaxes (dcmconv)', () => {
  it.each([
    ['Explicit VR Big Endian', '+tb'],
    ['Implicit VR Little Endian', '+ti'],
    ['Deflated Explicit VR Little Endian', '+td'],
  ])('%s gives the same samples', async (_name, option) => {
    const out = join(dir, `ts${option}.dcm`);
    await dcmtk('dcmconv', [option, source, out]);
    const variant = readDicomEcg(await readFile(out)).recording;
    expect(variant.groups.map((g) => [g.label, g.numberOfSamples])).toEqual(
      original.groups.map((g) => [g.label, g.numberOfSamples]),
    );
    variant.groups.forEach((g, gi) =>
      g.channels.forEach((c, ci) => {
        expect(c.lead).toBe(original.groups[gi]!.channels[ci]!.lead);
        expect(Array.from(c.raw)).toEqual(Array.from(original.groups[gi]!.channels[ci]!.raw));
      }),
    );
  });
});

describe('calibration edited with dcmodify', () => {
  it('mV sensitivity, correction factor and baseline: value = raw × 0.00125 mV × 2 + 0.5 mV', async () => {
    const bytes = await edited('calibrated.dcm', [
      '-m',
      `${leadI}.(003a,0210)=0.00125`,
      '-m',
      `${leadI}.(003a,0211)[0].(0008,0100)=mV`,
      '-m',
      `${leadI}.(003a,0212)=2`,
      '-m',
      `${leadI}.(003a,0213)=0.5`,
    ]);
    const lead = readDicomEcg(bytes).recording.groups[0]!.channels[0]!;
    expect(lead).toMatchObject({ units: 'uV', sensitivityCorrection: 2 });
    expect(lead.sensitivity).toBeCloseTo(1.25, 10);
    expect(lead.baseline).toBeCloseTo(500, 10);
    expect(lead.samples[0]).toBeCloseTo(80 * 2.5 + 500, 3); // raw 80 → 700 µV
    // The other leads keep their own calibration.
    expect(readDicomEcg(bytes).recording.groups[0]!.channels[1]!.samples[0]).toBe(112.5);
  });

  it('a padding value turns those samples into gaps (NaN), raw values kept', async () => {
    const bytes = await edited('padded.dcm', ['-i', `${rhythm}.(5400,100a)=0050`]); // OB 50 00 → 80
    const group = readDicomEcg(bytes).recording.groups[0]!;
    expect(group.paddingValue).toBe(80);
    const lead = group.channels[0]!;
    const padded = Array.from(lead.raw).filter((v) => v === 80).length;
    expect(padded).toBeGreaterThan(0);
    expect(Array.from(lead.samples).filter((v) => Number.isNaN(v)).length).toBe(padded);
    expect(lead.samples[0]).toBeNaN();
    expect(lead.samples[1]).toBe(81.25);
  });
});

describe('broken waveform modules edited with dcmodify', () => {
  const fails = async (name: string, edits: string[], code: string, text: RegExp): Promise<void> => {
    const bytes = await edited(name, edits);
    let caught: unknown;
    try {
      readDicomEcg(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EcgError);
    expect((caught as EcgError).code).toBe(code);
    expect((caught as EcgError).message).toMatch(text);
  };

  it('no Waveform Data', () =>
    fails('nodata.dcm', ['-e', `${rhythm}.(5400,1010)`], 'malformed', /item 1 lacks WaveformData/));
  it('more channels declared than defined', () =>
    fails(
      'channels.dcm',
      ['-m', `${rhythm}.(003a,0005)=13`],
      'malformed',
      /declares 13 channels but its Channel Definition Sequence has 12/,
    ));
  it('more samples declared than present', () =>
    fails(
      'samples.dcm',
      ['-m', `${rhythm}.(003a,0010)=20000`],
      'malformed',
      /WaveformData has 240000 bytes/,
    ));
  it('an unknown sample interpretation', () =>
    fails(
      'interp.dcm',
      ['-m', `${rhythm}.(5400,1006)=XX`],
      'unsupported',
      /WaveformSampleInterpretation XX/,
    ));
  it('bits allocated contradicting the interpretation', () =>
    fails(
      'bits.dcm',
      ['-m', `${rhythm}.(5400,1004)=8`],
      'malformed',
      /WaveformBitsAllocated 8 does not match/,
    ));
  it('a zero sampling frequency', () =>
    fails('freq.dcm', ['-m', `${rhythm}.(003a,001a)=0`], 'malformed', /SamplingFrequency 0/));
});

describe('imported ECGs as dcmtk sees them', () => {
  const fixture = (p: string): Promise<Buffer> =>
    readFile(new URL(`../../../test/fixtures/ecg/${p}`, import.meta.url));

  it.each([
    [
      'aECG',
      async () => {
        const b = await fixture('hl7-aecg/Example_aECG.xml');
        return writeTwelveLeadEcg(readAecg(b.toString('utf8')), { sourceBytes: b });
      },
    ],
    [
      'SCP-ECG',
      async () => {
        const b = await fixture('scp-ecg/Example.scp');
        return writeTwelveLeadEcg(readScpEcg(b), { sourceBytes: b });
      },
    ],
  ])('%s → DICOM is read by dcmdump without a warning', async (name, make) => {
    const file = join(dir, `written-${name}.dcm`);
    await writeFile(file, (await make()).bytes);
    const run = await runTool('dcmdump', ['+L', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('=TwelveLeadECGWaveformStorage');
    expect(run.stdout).toMatch(/\(5400,1010\) OW [0-9a-f\\]+\s+# 120000, 1 WaveformData/);
    expect(run.stdout).toMatch(/\(003a,001a\) DS \[500\]/);
  });
});
