import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { dicomFixtures } from './test-fixtures.js';
import { inspectPart10, validatePart10 } from './validate.js';
import { isValidUid, uidProblem } from './uids.js';

// Files the manifest does not mark MALFORMED but which fail our stricter ingest rules, and why.
const STRICTER_THAN_MANIFEST: Record<string, RegExp> = {
  'dicom/transfer-syntax/htj2k/HTJ2KLossless_08_RGB.dcm': /Study Instance UID .* is missing/,
  'dicom/transfer-syntax/htj2k/HTJ2K_08_RGB.dcm': /Study Instance UID .* is missing/,
  'dicom/transfer-syntax/pydicom/JPEGLSNearLossless_16.dcm': /Study Instance UID .* is missing/,
  'ecg/dicom-waveform/wave_dfl.dcm': /Media Storage SOP Instance UID .* differs/,
};

const EXPECTED_MALFORMED_REASON: Record<string, RegExp> = {
  'dicom/malformed/MR_truncated.dcm': /\(7FE0,0010\) declares 8192 bytes but only 8130 remain/,
  'dicom/malformed/badVR.dcm': /Number of Frames .* not an integer: "1A"/,
  'dicom/malformed/meta_missing_tsyntax.dcm': /lacks the Transfer Syntax UID/,
  'dicom/malformed/no_meta.dcm': /no 'DICM' prefix/,
  'dicom/malformed/rtplan_truncated.dcm': /truncated/,
};

describe('Part 10 validation of every fixture', () => {
  const fixtures = dicomFixtures({ withEcg: true });

  it('covers the whole fixture set', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    expect(
      fixtures
        .filter((f) => f.malformed)
        .map((f) => f.path)
        .sort(),
    ).toEqual(Object.keys(EXPECTED_MALFORMED_REASON).sort());
  });

  for (const fixture of fixtures) {
    it(`${fixture.path}`, () => {
      const result = validatePart10(fixture.bytes);
      const stricter = STRICTER_THAN_MANIFEST[fixture.path];
      if (fixture.malformed) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(EXPECTED_MALFORMED_REASON[fixture.path]!);
      } else if (stricter) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(stricter);
      } else {
        expect(result.ok, result.ok ? '' : result.reason).toBe(true);
        if (!result.ok) return;
        expect(result.record.sopClassUid).toBe(fixture.sopClassUid);
        expect(result.record.transferSyntaxUid).toBe(fixture.transferSyntaxUid);
        expect(result.record.size).toBe(fixture.bytes.length);
        expect(result.record.sha256).toMatch(/^[0-9a-f]{64}$/);
        for (const uid of [
          result.record.studyInstanceUid,
          result.record.seriesInstanceUid,
          result.record.sopInstanceUid,
        ]) {
          expect(isValidUid(uid)).toBe(true);
        }
      }
    });
  }

  it('extracts the QIDO attributes and frame counts', () => {
    const byPath = new Map(fixtures.map((f) => [f.path, f]));
    const ct = inspectPart10(byPath.get('dicom/ct/CT_small.dcm')!.bytes);
    expect(ct.ok).toBe(true);
    if (!ct.ok) return;
    expect(ct.instance.record).toMatchObject({
      modality: 'CT',
      rows: 128,
      columns: 128,
      numberOfFrames: 1,
      patientName: 'CompressedSamples^CT1',
    });
    const cine = validatePart10(
      byPath.get('dicom/us-cine/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm')!.bytes,
    );
    expect(cine.ok && cine.record.numberOfFrames).toBe(8);
    const sr = validatePart10(byPath.get('dicom/edge-cases/no-pixel-data.dcm')!.bytes);
    expect(sr.ok && sr.record.rows).toBe(undefined);
  });
});

describe('UIDs', () => {
  it('accepts the strict form only, so a UID can never be a path trick', () => {
    expect(isValidUid('1.2.840.10008.5.1.4.1.1.2')).toBe(true);
    expect(isValidUid('0')).toBe(true);
    for (const bad of [
      '',
      '..',
      '../etc',
      '1..2',
      '1.2.',
      '.1.2',
      '1.02',
      '1/2',
      '1.2\0',
      'a.b',
      `1.${'2'.repeat(63)}`,
    ]) {
      expect(isValidUid(bad), bad).toBe(false);
    }
    expect(uidProblem('1.02')).toMatch(/leading zero/);
    expect(uidProblem('1..2')).toMatch(/empty component/);
    expect(uidProblem('1.2/3')).toMatch(/characters other than digits/);
  });
});

describe('hostile input never throws', () => {
  const base = dicomFixtures().find((f) => f.path === 'dicom/mr/MR_small.dcm')!.bytes;

  it('garbage, empty and prefix-only inputs are rejected with a reason', () => {
    const inputs = [
      Buffer.alloc(0),
      Buffer.from('hello'),
      Buffer.alloc(132),
      Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]),
    ];
    for (const input of inputs) {
      const r = validatePart10(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
    }
  });

  it('a SOP Instance UID with a path in it is refused', () => {
    const text = base.toString('latin1');
    const uid = '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457';
    const evil = '../../../../../../etc/x1.1.1.1.1.1.1.1.1.1.1.1.5457'.slice(0, uid.length);
    const mutated = Buffer.from(text.split(uid).join(evil), 'latin1');
    const r = validatePart10(mutated);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/UID/);
  });

  it('a deflated dataset that does not inflate is a reason, not an exception', () => {
    const dfl = dicomFixtures().find((f) => f.path.endsWith('image_dfl.dcm'))!.bytes;
    const broken = Buffer.from(dfl);
    broken.fill(0xff, broken.length - 200);
    expect(validatePart10(broken).ok).toBe(false);
    const bomb = Buffer.concat([dfl.subarray(0, 128 + 4 + 200), deflateRawSync(Buffer.alloc(1000))]);
    expect(() => validatePart10(bomb)).not.toThrow();
  });
});
