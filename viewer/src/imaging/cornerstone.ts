/**
 * Cornerstone3D set-up: core + dicom-image-loader (wadors scheme), reading through our DICOMweb
 * client with the session's bearer token. Imported only from the lazily loaded imaging chunk.
 */
import { init as coreInit, imageLoader, metaData } from '@cornerstonejs/core';
import { init as loaderInit, wadors } from '@cornerstonejs/dicom-image-loader';
import {
  DicomWebClient,
  numberValue,
  parseWadorsImageId,
  TAG,
  withModality,
  type DicomJsonDataset,
} from './dicomweb.js';

export interface LoadedImageSummary {
  imageId: string;
  rows: number;
  columns: number;
  minPixelValue: number;
  maxPixelValue: number;
  /** Min and max over the decoded samples themselves (not the loader's header values). */
  sampleMin: number;
  sampleMax: number;
  samples: number;
  /** FNV-1a over the decoded sample values (x16, rounded): equal for bit-identical decodes. */
  checksum: number;
  color: boolean;
  transferSyntaxUID: string | undefined;
  loadTimeInMS: number | undefined;
}

let client: DicomWebClient | null = null;
let tokenSource: () => Promise<string | null> = () => Promise.resolve(null);
let ready: Promise<DicomWebClient> | null = null;
/** Frame-1 image ids whose instance metadata is registered with the wadors metaDataManager. */
const registered = new Set<string>();

/** Initialises Cornerstone once; later calls only update the token source. */
export function initImaging(token: () => Promise<string | null>): Promise<DicomWebClient> {
  tokenSource = token;
  ready ??= (async () => {
    coreInit();
    loaderInit({
      maxWebWorkers: Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)),
      // Every XHR the loader makes (frames, bulk data) carries the current access token.
      beforeSend: async (): Promise<Record<string, string>> => {
        const t = await tokenSource();
        return t ? { Authorization: `Bearer ${t}` } : {};
      },
    });
    client = new DicomWebClient({
      baseUrl: `${window.location.origin}/dicomweb`,
      token: () => tokenSource(),
    });
    return client;
  })();
  return ready;
}

function frame1ImageId(imageId: string): string {
  return imageId.replace(/\/frames\/\d+$/, '/frames/1');
}

/** Hands an instance's WADO-RS metadata to the wadors loader (keyed by its frame-1 image id). */
export function registerInstanceMetadata(imageIdOfFrame1: string, dataset: DicomJsonDataset): void {
  const key = frame1ImageId(imageIdOfFrame1);
  if (registered.has(key)) return;
  const metadata = withModality(dataset);
  // The loader's types describe the same DICOM JSON shape.
  wadors.metaDataManager.add(key, metadata as unknown as Parameters<typeof wadors.metaDataManager.add>[1]);
  registered.add(key);
}

/** Makes sure the metadata of the instance behind a `wadors:` image id is registered. */
export async function ensureMetadata(imageId: string): Promise<void> {
  if (registered.has(frame1ImageId(imageId))) return;
  const parsed = parseWadorsImageId(imageId);
  if (!parsed) throw new Error(`not a wadors image id: ${imageId}`);
  const c = client ?? (await ready);
  if (!c) throw new Error('imaging is not initialised');
  const ds = await c.instanceMetadata(parsed.studyUid, parsed.seriesUid, parsed.sopUid);
  const frames = numberValue(ds, TAG.NumberOfFrames) ?? 1;
  if (parsed.frame > frames) throw new Error(`frame ${parsed.frame} of an instance with ${frames} frame(s)`);
  registerInstanceMetadata(imageId, ds);
}

/** Loads one frame through the dicom-image-loader (wadors) and summarises what was decoded. */
export async function loadImageSummary(imageId: string): Promise<LoadedImageSummary> {
  await ensureMetadata(imageId);
  const image = await imageLoader.loadAndCacheImage(imageId).catch((err: unknown) => {
    throw describeLoadError(imageId, err);
  });
  const pixels = image.getPixelData() as ArrayLike<number>;
  let sampleMin = Infinity;
  let sampleMax = -Infinity;
  let checksum = 0x811c9dc5;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < sampleMin) sampleMin = v;
    if (v > sampleMax) sampleMax = v;
    checksum = Math.imul(checksum ^ (Math.round(v * 16) | 0), 0x01000193) >>> 0;
  }
  const extra = image as unknown as { transferSyntaxUID?: string; loadTimeInMS?: number };
  return {
    imageId,
    rows: image.rows,
    columns: image.columns,
    minPixelValue: image.minPixelValue,
    maxPixelValue: image.maxPixelValue,
    sampleMin,
    sampleMax,
    samples: pixels.length,
    checksum,
    color: image.color,
    transferSyntaxUID: extra.transferSyntaxUID,
    loadTimeInMS: extra.loadTimeInMS,
  };
}

/** The loader rejects with the XMLHttpRequest itself on HTTP errors; make that an Error with the status. */
export function describeLoadError(imageId: string, err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof XMLHttpRequest !== 'undefined' && err instanceof XMLHttpRequest) {
    return new Error(`HTTP ${err.status} ${err.statusText} loading ${imageId}`);
  }
  return new Error(`loading ${imageId} failed: ${String(err)}`);
}

export { metaData };
