// The header facts of an ECG (patient, acquisition time, device) from its DICOM JSON metadata.
// The waveform API deliberately carries no identifying data, so these come from DICOMweb.
import { stringValue, type DicomJsonDataset } from '../imaging/dicomweb.js';

export interface EcgHeaderInfo {
  /** DICOM PN (format with formatPersonName). */
  patientName?: string;
  patientId?: string;
  patientSex?: string;
  /** YYYYMMDD */
  patientBirthDate?: string;
  acquired?: Date;
  manufacturer?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
}

const TAGS = {
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  AcquisitionDateTime: '0008002A',
  ContentDate: '00080023',
  ContentTime: '00080033',
  StudyDate: '00080020',
  StudyTime: '00080030',
  Manufacturer: '00080070',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
} as const;

/** DICOM DT/DA+TM (local time of the device, no zone) as a local Date; undefined if unreadable. */
export function parseDicomDateTime(date: string | undefined, time = ''): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?/.exec(`${date ?? ''}${time}`);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m;
  const out = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Math.floor(Number(`0.${frac}`) * 1000),
  );
  return Number.isNaN(out.getTime()) ? undefined : out;
}

/** PN values arrive in DICOM JSON as `{ Alphabetic, Ideographic, Phonetic }`; rebuild the `=` form. */
function personName(ds: DicomJsonDataset, tag: string): string | undefined {
  const v = ds[tag]?.Value?.[0];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const pn = v as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    const groups = [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? ''];
    while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
    const joined = groups.join('=');
    return joined || undefined;
  }
  return undefined;
}

export function headerInfo(ds: DicomJsonDataset): EcgHeaderInfo {
  const s = (tag: string) => stringValue(ds, tag) || undefined;
  const acquired =
    parseDicomDateTime(s(TAGS.AcquisitionDateTime)) ??
    parseDicomDateTime(s(TAGS.ContentDate), s(TAGS.ContentTime)) ??
    parseDicomDateTime(s(TAGS.StudyDate), s(TAGS.StudyTime));
  const info: EcgHeaderInfo = {};
  const assign = <K extends keyof EcgHeaderInfo>(k: K, v: EcgHeaderInfo[K] | undefined) => {
    if (v !== undefined) info[k] = v;
  };
  assign('patientName', personName(ds, TAGS.PatientName));
  assign('patientId', s(TAGS.PatientID));
  assign('patientSex', s(TAGS.PatientSex));
  assign('patientBirthDate', s(TAGS.PatientBirthDate));
  assign('acquired', acquired);
  assign('manufacturer', s(TAGS.Manufacturer));
  assign('studyInstanceUid', s(TAGS.StudyInstanceUID));
  assign('seriesInstanceUid', s(TAGS.SeriesInstanceUID));
  return info;
}
