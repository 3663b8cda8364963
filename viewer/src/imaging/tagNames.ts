// Names of the attributes people look for in the tag browser. Not the whole data dictionary (that is
// ~5,000 entries and would double the chunk); unknown tags still show with their number and VR.
export const TAG_NAMES: Record<string, string> = {
  '00020010': 'TransferSyntaxUID',
  '00080005': 'SpecificCharacterSet',
  '00080008': 'ImageType',
  '00080016': 'SOPClassUID',
  '00080018': 'SOPInstanceUID',
  '00080020': 'StudyDate',
  '00080021': 'SeriesDate',
  '00080022': 'AcquisitionDate',
  '00080023': 'ContentDate',
  '00080030': 'StudyTime',
  '00080031': 'SeriesTime',
  '00080033': 'ContentTime',
  '00080050': 'AccessionNumber',
  '00080060': 'Modality',
  '00080061': 'ModalitiesInStudy',
  '00080070': 'Manufacturer',
  '00080080': 'InstitutionName',
  '00080090': 'ReferringPhysicianName',
  '00081010': 'StationName',
  '00081030': 'StudyDescription',
  '0008103E': 'SeriesDescription',
  '00081090': 'ManufacturerModelName',
  '00100010': 'PatientName',
  '00100020': 'PatientID',
  '00100030': 'PatientBirthDate',
  '00100040': 'PatientSex',
  '00101010': 'PatientAge',
  '00180015': 'BodyPartExamined',
  '00180040': 'CineRate',
  '00180050': 'SliceThickness',
  '00180060': 'KVP',
  '00180088': 'SpacingBetweenSlices',
  '00181020': 'SoftwareVersions',
  '00181063': 'FrameTime',
  '00181150': 'ExposureTime',
  '00181151': 'XRayTubeCurrent',
  '00181152': 'Exposure',
  '00181164': 'ImagerPixelSpacing',
  '00185100': 'PatientPosition',
  '0020000D': 'StudyInstanceUID',
  '0020000E': 'SeriesInstanceUID',
  '00200010': 'StudyID',
  '00200011': 'SeriesNumber',
  '00200012': 'AcquisitionNumber',
  '00200013': 'InstanceNumber',
  '00200020': 'PatientOrientation',
  '00200032': 'ImagePositionPatient',
  '00200037': 'ImageOrientationPatient',
  '00200052': 'FrameOfReferenceUID',
  '00201041': 'SliceLocation',
  '00280002': 'SamplesPerPixel',
  '00280004': 'PhotometricInterpretation',
  '00280006': 'PlanarConfiguration',
  '00280008': 'NumberOfFrames',
  '00280010': 'Rows',
  '00280011': 'Columns',
  '00280030': 'PixelSpacing',
  '00280100': 'BitsAllocated',
  '00280101': 'BitsStored',
  '00280102': 'HighBit',
  '00280103': 'PixelRepresentation',
  '00281050': 'WindowCenter',
  '00281051': 'WindowWidth',
  '00281052': 'RescaleIntercept',
  '00281053': 'RescaleSlope',
  '00281054': 'RescaleType',
  '00282110': 'LossyImageCompression',
  '00083002': 'AvailableTransferSyntaxUID',
  '7FE00010': 'PixelData',
};

export interface TagRow {
  tag: string;
  name: string;
  vr: string;
  value: string;
  depth: number;
}

type Attr = { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string };

function valueText(attr: Attr): string {
  if (attr.BulkDataURI) return '[bulk data]';
  if (attr.InlineBinary) return `[binary, ${attr.InlineBinary.length} base64 chars]`;
  const values = attr.Value ?? [];
  if (attr.vr === 'SQ') return `${values.length} item(s)`;
  return values
    .map((v) => {
      if (v && typeof v === 'object' && 'Alphabetic' in v)
        return String((v as { Alphabetic: unknown }).Alphabetic);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    })
    .join('\\');
}

/** Flattens a DICOM JSON dataset (sequences indented) into rows, filtered by `query` (tag, name or value). */
export function tagRows(dataset: Record<string, Attr>, query = '', depth = 0): TagRow[] {
  const q = query.trim().toLowerCase().replace(/[(),]/g, '');
  const rows: TagRow[] = [];
  for (const tag of Object.keys(dataset).sort()) {
    const attr = dataset[tag]!;
    const row = { tag, name: TAG_NAMES[tag] ?? '', vr: attr.vr, value: valueText(attr), depth };
    const children =
      attr.vr === 'SQ'
        ? (attr.Value ?? []).flatMap((item) => tagRows(item as Record<string, Attr>, query, depth + 1))
        : [];
    const match =
      !q ||
      row.tag.toLowerCase().includes(q) ||
      row.name.toLowerCase().includes(q) ||
      row.value.toLowerCase().includes(q);
    if (match || children.length) rows.push(row, ...children);
  }
  return rows;
}

export function formatTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}
