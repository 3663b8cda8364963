// The C-FIND keys the SCP understands, per level, with their DICOM JSON tag and VR. They mirror the
// QIDO-RS attributes the stores index, so C-FIND and QIDO-RS answer the same questions.

export type FindLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';

export interface FindKey {
  keyword: string;
  tag: string;
  vr: string;
  level: FindLevel;
}

const k = (keyword: string, tag: string, vr: string, level: FindLevel): FindKey => ({
  keyword,
  tag,
  vr,
  level,
});

export const FIND_KEYS: readonly FindKey[] = [
  k('PatientName', '00100010', 'PN', 'PATIENT'),
  k('PatientID', '00100020', 'LO', 'PATIENT'),
  k('PatientBirthDate', '00100030', 'DA', 'PATIENT'),
  k('PatientSex', '00100040', 'CS', 'PATIENT'),
  k('StudyInstanceUID', '0020000D', 'UI', 'STUDY'),
  k('StudyDate', '00080020', 'DA', 'STUDY'),
  k('StudyTime', '00080030', 'TM', 'STUDY'),
  k('AccessionNumber', '00080050', 'SH', 'STUDY'),
  k('StudyID', '00200010', 'SH', 'STUDY'),
  k('StudyDescription', '00081030', 'LO', 'STUDY'),
  k('ReferringPhysicianName', '00080090', 'PN', 'STUDY'),
  k('ModalitiesInStudy', '00080061', 'CS', 'STUDY'),
  k('NumberOfStudyRelatedSeries', '00201206', 'IS', 'STUDY'),
  k('NumberOfStudyRelatedInstances', '00201208', 'IS', 'STUDY'),
  k('SeriesInstanceUID', '0020000E', 'UI', 'SERIES'),
  k('Modality', '00080060', 'CS', 'SERIES'),
  k('SeriesNumber', '00200011', 'IS', 'SERIES'),
  k('SeriesDescription', '0008103E', 'LO', 'SERIES'),
  k('NumberOfSeriesRelatedInstances', '00201209', 'IS', 'SERIES'),
  k('SOPInstanceUID', '00080018', 'UI', 'IMAGE'),
  k('SOPClassUID', '00080016', 'UI', 'IMAGE'),
  k('InstanceNumber', '00200013', 'IS', 'IMAGE'),
  k('Rows', '00280010', 'US', 'IMAGE'),
  k('Columns', '00280011', 'US', 'IMAGE'),
  k('NumberOfFrames', '00280008', 'IS', 'IMAGE'),
];

export const FIND_KEY_BY_KEYWORD = new Map(FIND_KEYS.map((key) => [key.keyword, key]));

/** Keys the matching store computes rather than matches (return keys only). */
export const COMPUTED_KEYS = new Set([
  'NumberOfStudyRelatedSeries',
  'NumberOfStudyRelatedInstances',
  'NumberOfSeriesRelatedInstances',
]);
