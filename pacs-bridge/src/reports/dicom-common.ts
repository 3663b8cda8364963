// What the report writers share: UIDs, DICOM date/time from ISO strings, the patient/study modules,
// and Part 10 encoding through dcmjs.
import { dcmjs, type NaturalDataset } from '../ecg/dcmjs.js';
import { IMPLEMENTATION_CLASS_UID, nameBasedUid } from '../ecg/uid.js';
import type { StudyContext } from './model.js';

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLEMENTATION_VERSION = 'TELEMED_RPT_1';
export { nameBasedUid };

// Maximum lengths (PS3.5 6.2): dcmjs would log an over-long value (possibly a name) while clipping it.
const MAX = { LO: 64, SH: 16, PN: 64, ST: 1024 } as const;
export const clip = (value: string | undefined, vr: keyof typeof MAX): string =>
  (value ?? '').slice(0, MAX[vr]);

/** ISO time → DICOM DA/TM/DT in UTC (the DT carries the +0000 offset so readers know). */
export function dicomDateTime(iso: string): { date: string; time: string; dateTime: string } {
  const d = new Date(iso);
  const s = (Number.isNaN(d.getTime()) ? new Date() : d).toISOString();
  const date = s.slice(0, 10).replace(/-/g, '');
  const time = s.slice(11, 19).replace(/:/g, '');
  return { date, time, dateTime: `${date}${time}+0000` };
}

/** A person name value; names in Chinese characters go in the ideographic group as PS3.5 6.2.1 asks. */
export function personName(name: string): Array<Record<string, string>> | '' {
  if (!name) return '';
  const value = clip(name, 'PN');
  return /[\u3400-\u9fff]/.test(value) ? [{ Alphabetic: '', Ideographic: value }] : [{ Alphabetic: value }];
}

/** Patient and General Study modules, copied from the study the report belongs to. */
export function patientAndStudy(studyInstanceUid: string, ctx: StudyContext): NaturalDataset {
  return {
    PatientName: ctx.patientName ? [{ Alphabetic: clip(ctx.patientName, 'PN') }] : '',
    PatientID: clip(ctx.patientId, 'LO'),
    PatientBirthDate: ctx.patientBirthDate ?? '',
    PatientSex: ctx.patientSex ?? '',
    StudyInstanceUID: studyInstanceUid,
    StudyDate: ctx.studyDate ?? '',
    StudyTime: ctx.studyTime ?? '',
    StudyID: clip(ctx.studyId, 'SH'),
    AccessionNumber: clip(ctx.accessionNumber, 'SH'),
    ReferringPhysicianName: ctx.referringPhysicianName
      ? [{ Alphabetic: clip(ctx.referringPhysicianName, 'PN') }]
      : '',
    ...(ctx.studyDescription ? { StudyDescription: clip(ctx.studyDescription, 'LO') } : {}),
  };
}

/** Part 10 bytes, Explicit VR Little Endian. */
export function encodePart10(dataset: NaturalDataset, sopClassUid: string, sopInstanceUid: string): Buffer {
  const meta: NaturalDataset = {
    _vrMap: {},
    FileMetaInformationVersion: [new Uint8Array([0, 1]).buffer],
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}
