// The study list's search: form fields → QIDO-RS query, and QIDO study datasets → table rows. DOM-free.
import { numberValue, stringValue, type DicomJsonDataset } from '../imaging/dicomweb.js';

export interface StudySearch {
  patient: string;
  dateFrom: string; // yyyy-mm-dd (input type=date) or ''
  dateTo: string;
  modality: string;
  accession: string;
}

export const EMPTY_SEARCH: StudySearch = {
  patient: '',
  dateFrom: '',
  dateTo: '',
  modality: '',
  accession: '',
};

export const STUDY_FIELDS = [
  'PatientName',
  'PatientID',
  'StudyDate',
  'StudyTime',
  'AccessionNumber',
  'ModalitiesInStudy',
  'StudyDescription',
  'NumberOfStudyRelatedSeries',
  'NumberOfStudyRelatedInstances',
];

const daToDicom = (d: string) => d.replace(/-/g, '');

/**
 * A patient term that looks like an ID (digits, or no letters) is matched against PatientID; otherwise
 * it is a name, matched anywhere (`*term*`, case-insensitive on the server). DICOM wildcards typed by
 * the user are kept.
 */
export function studyQuery(search: StudySearch, limit = 200): URLSearchParams {
  const q = new URLSearchParams();
  const patient = search.patient.trim();
  if (patient) {
    if (/^[^\p{L}]+$/u.test(patient) && !/[*?]/.test(patient)) q.set('PatientID', patient);
    else q.set('PatientName', /[*?]/.test(patient) ? patient : `*${patient}*`);
  }
  const from = daToDicom(search.dateFrom);
  const to = daToDicom(search.dateTo);
  if (from || to) q.set('StudyDate', from && to && from === to ? from : `${from}-${to}`);
  if (search.modality.trim()) q.set('ModalitiesInStudy', search.modality.trim().toUpperCase());
  if (search.accession.trim()) q.set('AccessionNumber', search.accession.trim());
  for (const f of STUDY_FIELDS) q.append('includefield', f);
  q.set('limit', String(limit));
  return q;
}

export interface StudyRow {
  studyUid: string;
  patientName: string; // DICOM PN (alphabetic[=ideographic])
  patientId: string;
  studyDate: string;
  studyTime: string;
  accession: string;
  modalities: string[];
  description: string;
  series: number | undefined;
  instances: number | undefined;
}

function pn(ds: DicomJsonDataset, tag: string): string {
  const v = ds[tag]?.Value?.[0] as { Alphabetic?: string; Ideographic?: string } | string | undefined;
  if (!v) return '';
  if (typeof v === 'string') return v;
  return v.Ideographic ? `${v.Alphabetic ?? ''}=${v.Ideographic}` : (v.Alphabetic ?? '');
}

export function studyRow(ds: DicomJsonDataset): StudyRow | null {
  const studyUid = stringValue(ds, '0020000D');
  if (!studyUid) return null;
  return {
    studyUid,
    patientName: pn(ds, '00100010'),
    patientId: stringValue(ds, '00100020') ?? '',
    studyDate: stringValue(ds, '00080020') ?? '',
    studyTime: stringValue(ds, '00080030') ?? '',
    accession: stringValue(ds, '00080050') ?? '',
    modalities: (ds['00080061']?.Value ?? []).filter((v): v is string => typeof v === 'string'),
    description: stringValue(ds, '00081030') ?? '',
    series: numberValue(ds, '00201206'),
    instances: numberValue(ds, '00201208'),
  };
}

/** Newest first. */
export function sortRows(rows: StudyRow[]): StudyRow[] {
  return [...rows].sort((a, b) =>
    `${b.studyDate}${b.studyTime}`.localeCompare(`${a.studyDate}${a.studyTime}`),
  );
}
