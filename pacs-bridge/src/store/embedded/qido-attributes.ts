// The QIDO-RS attributes the embedded index keeps, per level: where each lives in SQL, its VR, and
// whether it is in the default response (PS3.18 table 6.7.1-2). One catalog drives both matching and
// the response, so an attribute is either fully supported or not at all.
import type { QueryLevel } from '../../api.js';

export type MatchKind = 'string' | 'pn' | 'uid' | 'date' | 'int' | 'modalities' | 'none';

export interface QidoAttribute {
  keyword: string;
  tag: string;
  vr: string;
  level: QueryLevel;
  /** SQL expression in the level query (aliases p, s, se, i). */
  sql: string;
  match: MatchKind;
  default: boolean;
}

const a = (
  keyword: string,
  tag: string,
  vr: string,
  level: QueryLevel,
  sql: string,
  match: MatchKind,
  dflt = true,
): QidoAttribute => ({
  keyword,
  tag,
  vr,
  level,
  sql,
  match,
  default: dflt,
});

export const QIDO_ATTRIBUTES: QidoAttribute[] = [
  a('StudyDate', '00080020', 'DA', 'study', 's.study_date', 'date'),
  a('StudyTime', '00080030', 'TM', 'study', 's.study_time', 'string'),
  a('AccessionNumber', '00080050', 'SH', 'study', 's.accession_number', 'string'),
  a(
    'ModalitiesInStudy',
    '00080061',
    'CS',
    'study',
    "(SELECT group_concat(m, '\\') FROM (SELECT DISTINCT modality AS m FROM series WHERE study_uid = s.study_uid AND modality IS NOT NULL ORDER BY m))",
    'modalities',
  ),
  a('ReferringPhysicianName', '00080090', 'PN', 'study', 's.referring_physician', 'pn'),
  a('StudyDescription', '00081030', 'LO', 'study', 's.description', 'string'),
  a('PatientName', '00100010', 'PN', 'study', 'p.patient_name', 'pn'),
  a('PatientID', '00100020', 'LO', 'study', "NULLIF(p.patient_id, '')", 'string'),
  a('PatientBirthDate', '00100030', 'DA', 'study', 'p.birth_date', 'date'),
  a('PatientSex', '00100040', 'CS', 'study', 'p.sex', 'string'),
  a('StudyInstanceUID', '0020000D', 'UI', 'study', 's.study_uid', 'uid'),
  a('StudyID', '00200010', 'SH', 'study', 's.study_id', 'string'),
  a(
    'NumberOfStudyRelatedSeries',
    '00201206',
    'IS',
    'study',
    '(SELECT COUNT(*) FROM series WHERE study_uid = s.study_uid)',
    'none',
  ),
  a(
    'NumberOfStudyRelatedInstances',
    '00201208',
    'IS',
    'study',
    '(SELECT COUNT(*) FROM instances WHERE study_uid = s.study_uid)',
    'none',
  ),
  a('Modality', '00080060', 'CS', 'series', 'se.modality', 'string'),
  a('SeriesDescription', '0008103E', 'LO', 'series', 'se.description', 'string'),
  a('SeriesInstanceUID', '0020000E', 'UI', 'series', 'se.series_uid', 'uid'),
  a('SeriesNumber', '00200011', 'IS', 'series', 'se.series_number', 'int'),
  a(
    'NumberOfSeriesRelatedInstances',
    '00201209',
    'IS',
    'series',
    '(SELECT COUNT(*) FROM instances WHERE series_uid = se.series_uid)',
    'none',
  ),
  a('SOPClassUID', '00080016', 'UI', 'instance', 'i.sop_class_uid', 'uid'),
  a('SOPInstanceUID', '00080018', 'UI', 'instance', 'i.sop_uid', 'uid'),
  a('AvailableTransferSyntaxUID', '00083002', 'UI', 'instance', 'i.transfer_syntax_uid', 'uid'),
  a('InstanceNumber', '00200013', 'IS', 'instance', 'i.instance_number', 'int'),
  a('Rows', '00280010', 'US', 'instance', 'i.rows', 'int'),
  a('Columns', '00280011', 'US', 'instance', 'i.columns', 'int'),
  a('NumberOfFrames', '00280008', 'IS', 'instance', 'i.number_of_frames', 'int'),
];

const RANK: Record<QueryLevel, number> = { study: 0, series: 1, instance: 2 };

/** Attributes that can appear at a query level (its own and those of the levels above). */
export function attributesFor(level: QueryLevel): QidoAttribute[] {
  return QIDO_ATTRIBUTES.filter((attr) => RANK[attr.level] <= RANK[level]);
}

export function findAttribute(keywordOrTag: string): QidoAttribute | undefined {
  const key = keywordOrTag.toUpperCase();
  return QIDO_ATTRIBUTES.find((attr) => attr.keyword.toUpperCase() === key || attr.tag === key);
}
