// What the viewer knows about a study: its series (QIDO-RS), and per series the instances from WADO-RS
// metadata (which also tells waveforms from images). DOM-free; the client is injected.
import {
  numberValue,
  stringValue,
  TAG,
  type DicomJsonDataset,
  type DicomWebClient,
  type InstanceRef,
} from './dicomweb.js';
import { seriesKind, type SeriesKind } from './sopClasses.js';

export const EXTRA_TAG = {
  SeriesDescription: '0008103E',
  SeriesNumber: '00200011',
  NumberOfSeriesRelatedInstances: '00201209',
  PatientName: '00100010',
  PatientID: '00100020',
  StudyDate: '00080020',
  StudyDescription: '00081030',
  SliceLocation: '00201041',
  ImagePositionPatient: '00200032',
  CineRate: '00180040',
  FrameTime: '00181063',
} as const;

export interface SeriesInfo {
  seriesUid: string;
  modality: string | undefined;
  description: string | undefined;
  seriesNumber: number | undefined;
  /** Instances QIDO counted (updated as images arrive). */
  instanceCount: number;
  kind: SeriesKind;
  /** Image instances, sorted; empty until the metadata is loaded. */
  instances: InstanceRef[];
  /** Every instance's metadata, images or not (waveforms have no Rows). */
  metadata: DicomJsonDataset[];
  imageIds: string[];
  loaded: boolean;
  /** Only the first instance is known yet (a long series' head, shown before the series' metadata). */
  headOnly: boolean;
}

export function seriesFromQido(ds: DicomJsonDataset): SeriesInfo | null {
  const seriesUid = stringValue(ds, TAG.SeriesInstanceUID);
  if (!seriesUid) return null;
  const modality = stringValue(ds, TAG.Modality);
  return {
    seriesUid,
    modality,
    description: stringValue(ds, EXTRA_TAG.SeriesDescription),
    seriesNumber: numberValue(ds, EXTRA_TAG.SeriesNumber),
    instanceCount: numberValue(ds, EXTRA_TAG.NumberOfSeriesRelatedInstances) ?? 0,
    kind: seriesKind(modality, undefined),
    instances: [],
    metadata: [],
    imageIds: [],
    loaded: false,
    headOnly: false,
  };
}

export function sortSeries(list: SeriesInfo[]): SeriesInfo[] {
  return [...list].sort(
    (a, b) => (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER),
  );
}

/**
 * Fills a series from its WADO-RS metadata (its kind is decided by the SOP class of its instances);
 * `headOnly` when `metadata` is just the first instance's.
 */
export function withMetadata(
  client: DicomWebClient,
  studyUid: string,
  series: SeriesInfo,
  metadata: DicomJsonDataset[],
  headOnly = false,
): SeriesInfo {
  const instances = client.instanceRefs(studyUid, series.seriesUid, metadata);
  const sopClass = metadata.map((m) => stringValue(m, TAG.SOPClassUID)).find(Boolean);
  const kind = seriesKind(series.modality, sopClass);
  return {
    ...series,
    kind: kind === 'image' && instances.length === 0 ? 'other' : kind,
    instances,
    metadata,
    imageIds: instances.flatMap((r) => r.imageIds),
    instanceCount: Math.max(series.instanceCount, metadata.length),
    loaded: true,
    headOnly,
  };
}

/** The instance and its dataset behind a stack index (frames of a multi-frame instance share one). */
export function instanceAt(series: SeriesInfo, index: number): InstanceRef | undefined {
  let i = index;
  for (const ref of series.instances) {
    if (i < ref.imageIds.length) return ref;
    i -= ref.imageIds.length;
  }
  return undefined;
}

/** Frames per second a cine should start at: Cine Rate, else 1000 / Frame Time, else 20. */
export function defaultFps(ds: DicomJsonDataset | undefined): number {
  if (!ds) return 20;
  const rate = numberValue(ds, EXTRA_TAG.CineRate);
  if (rate && rate > 0 && rate <= 120) return Math.round(rate);
  const frameTime = numberValue(ds, EXTRA_TAG.FrameTime);
  if (frameTime && frameTime > 0) return Math.min(120, Math.max(1, Math.round(1000 / frameTime)));
  return 20;
}
