import { describe, expect, it } from 'vitest';
import { EMPTY_SEARCH, sortRows, studyQuery, studyRow } from './qido.js';

describe('study search query', () => {
  it('matches names anywhere, IDs exactly, date ranges, modality and accession', () => {
    const q = studyQuery({
      patient: 'wang',
      dateFrom: '2026-01-01',
      dateTo: '2026-02-01',
      modality: 'ct',
      accession: 'A1',
    });
    expect(q.get('PatientName')).toBe('*wang*');
    expect(q.get('PatientID')).toBeNull();
    expect(q.get('StudyDate')).toBe('20260101-20260201');
    expect(q.get('ModalitiesInStudy')).toBe('CT');
    expect(q.get('AccessionNumber')).toBe('A1');
    expect(q.getAll('includefield')).toContain('NumberOfStudyRelatedInstances');
    expect(studyQuery({ ...EMPTY_SEARCH, patient: '12345' }).get('PatientID')).toBe('12345');
    expect(studyQuery({ ...EMPTY_SEARCH, patient: '王*' }).get('PatientName')).toBe('王*');
    expect(studyQuery({ ...EMPTY_SEARCH, dateFrom: '2026-01-01' }).get('StudyDate')).toBe('20260101-');
    expect(studyQuery({ ...EMPTY_SEARCH, dateTo: '2026-01-01' }).get('StudyDate')).toBe('-20260101');
    expect(studyQuery(EMPTY_SEARCH).get('StudyDate')).toBeNull();
  });

  it('turns QIDO datasets into rows, newest first', () => {
    const ds = (uid: string, date: string) => ({
      '0020000D': { vr: 'UI', Value: [uid] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Wang^Xiaoming', Ideographic: '王^小明' }] },
      '00080020': { vr: 'DA', Value: [date] },
      '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
      '00201206': { vr: 'IS', Value: [2] },
      '00201208': { vr: 'IS', Value: [12] },
    });
    const rows = sortRows([studyRow(ds('1.1', '20250101'))!, studyRow(ds('1.2', '20260101'))!]);
    expect(rows.map((r) => r.studyUid)).toEqual(['1.2', '1.1']);
    expect(rows[0]).toMatchObject({
      patientName: 'Wang^Xiaoming=王^小明',
      modalities: ['CT', 'SR'],
      series: 2,
      instances: 12,
    });
    expect(studyRow({})).toBeNull();
  });
});
