// InstanceRecords for instances the bridge did not ingest itself (they reached the PACS some other
// way), built from the PACS's QIDO-RS answer. Size and sha256 are unknown for those: left 0 / ''.
import type { DicomJson, InstanceRecord } from '../api.js';

/** What a record needs, asked of the PACS as QIDO includefields. */
export const RECORD_FIELDS = [
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'SOPClassUID',
  'Modality',
  'SeriesNumber',
  'InstanceNumber',
  'Rows',
  'Columns',
  'NumberOfFrames',
  'AvailableTransferSyntaxUID',
];

const str = (json: DicomJson, tag: string): string | undefined => {
  const v = json[tag]?.Value?.[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'Alphabetic' in v)
    return String((v as { Alphabetic?: unknown }).Alphabetic ?? '');
  return String(v);
};
const num = (json: DicomJson, tag: string): number | undefined => {
  const s = str(json, tag);
  const n = s === undefined ? NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export function recordFromJson(
  json: DicomJson,
  institutionId: string,
  fallback: { studyInstanceUid?: string; seriesInstanceUid?: string } = {},
): InstanceRecord {
  const record: InstanceRecord = {
    studyInstanceUid: str(json, '0020000D') ?? fallback.studyInstanceUid ?? '',
    seriesInstanceUid: str(json, '0020000E') ?? fallback.seriesInstanceUid ?? '',
    sopInstanceUid: str(json, '00080018') ?? '',
    sopClassUid: str(json, '00080016') ?? '',
    transferSyntaxUid: str(json, '00083002') ?? '',
    size: 0,
    sha256: '',
    institutionId,
  };
  const optional: Array<[keyof InstanceRecord, string, 'str' | 'num']> = [
    ['modality', '00080060', 'str'],
    ['seriesNumber', '00200011', 'num'],
    ['instanceNumber', '00200013', 'num'],
    ['rows', '00280010', 'num'],
    ['columns', '00280011', 'num'],
    ['numberOfFrames', '00280008', 'num'],
  ];
  for (const [key, tag, kind] of optional) {
    const value = kind === 'str' ? str(json, tag) : num(json, tag);
    if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  }
  return record;
}

/** Series number, then instance number, then UID: the order viewers expect. */
export function byPosition(a: InstanceRecord, b: InstanceRecord): number {
  return (
    (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity) ||
    a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) ||
    (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) ||
    a.sopInstanceUid.localeCompare(b.sopInstanceUid)
  );
}
