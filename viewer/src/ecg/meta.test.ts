import { describe, expect, it } from 'vitest';
import { headerInfo, parseDicomDateTime } from './meta.js';

describe('ECG header from DICOM JSON', () => {
  it('parses DT and DA+TM as local time', () => {
    expect(parseDicomDateTime('20130125105919')).toEqual(new Date(2013, 0, 25, 10, 59, 19));
    expect(parseDicomDateTime('19991223', '100709.5')).toEqual(new Date(1999, 11, 23, 10, 7, 9, 500));
    expect(parseDicomDateTime('20130125')).toEqual(new Date(2013, 0, 25));
    expect(parseDicomDateTime('garbage')).toBeUndefined();
    expect(parseDicomDateTime(undefined)).toBeUndefined();
  });

  it('reads the patient and prefers AcquisitionDateTime', () => {
    const info = headerInfo({
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Wang^Xiaoming', Ideographic: '王^小明' }] },
      '00100020': { vr: 'LO', Value: ['P-1'] },
      '0008002A': { vr: 'DT', Value: ['20260101083000'] },
      '00080020': { vr: 'DA', Value: ['20250101'] },
      '0020000D': { vr: 'UI', Value: ['1.2.3'] },
    });
    expect(info.patientName).toBe('Wang^Xiaoming=王^小明');
    expect(info.patientId).toBe('P-1');
    expect(info.acquired).toEqual(new Date(2026, 0, 1, 8, 30));
    expect(info.studyInstanceUid).toBe('1.2.3');
  });

  it('falls back to the content, then the study date', () => {
    expect(headerInfo({ '00080020': { vr: 'DA', Value: ['20250102'] } }).acquired).toEqual(
      new Date(2025, 0, 2),
    );
    expect(headerInfo({}).acquired).toBeUndefined();
  });
});
