/**
 * A DICOMweb client that reads only through the platform's `/dicomweb` (QIDO-RS, WADO-RS metadata),
 * with the session's bearer token. DOM-free: the fetch and the token source are injected.
 */

/** One attribute of a DICOM JSON dataset (PS3.18 F.2). */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}
export type DicomJsonDataset = Record<string, DicomJsonAttribute>;

export const TAG = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  SOPClassUID: '00080016',
  Modality: '00080060',
  InstanceNumber: '00200013',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  TransferSyntaxUID: '00020010',
  AvailableTransferSyntaxUID: '00083002',
} as const;

export function firstValue(ds: DicomJsonDataset, tag: string): unknown {
  return ds[tag]?.Value?.[0];
}

export function stringValue(ds: DicomJsonDataset, tag: string): string | undefined {
  const v = firstValue(ds, tag);
  return typeof v === 'string' ? v : undefined;
}

export function numberValue(ds: DicomJsonDataset, tag: string): number | undefined {
  const v = firstValue(ds, tag);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export class DicomWebError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DicomWebError';
  }
}

export interface InstanceRef {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  /** WADO-RS metadata of the instance (DICOM JSON). */
  metadata: DicomJsonDataset;
  numberOfFrames: number;
  /** `wadors:` image ids, one per frame. */
  imageIds: string[];
}

export interface DicomWebClientOptions {
  /** Absolute origin + path of the DICOMweb root, e.g. `https://host/dicomweb`. */
  baseUrl: string;
  token: () => Promise<string | null> | string | null;
  fetch?: typeof fetch;
}

const seg = encodeURIComponent;

export class DicomWebClient {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: DicomWebClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
  }

  async authHeaders(): Promise<Record<string, string>> {
    const token = await this.options.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  private async getJson(path: string): Promise<DicomJsonDataset[]> {
    const res = await this.fetchFn(`${this.baseUrl}${path}`, {
      headers: { Accept: 'application/dicom+json', ...(await this.authHeaders()) },
    });
    if (res.status === 204) return [];
    if (!res.ok) {
      let reason = res.statusText;
      try {
        const body = (await res.json()) as { reason?: string };
        if (body.reason) reason = body.reason;
      } catch {
        /* no JSON body */
      }
      throw new DicomWebError(res.status, `GET ${path}: HTTP ${res.status} ${reason}`);
    }
    const body: unknown = await res.json();
    if (!Array.isArray(body)) throw new DicomWebError(res.status, `GET ${path}: not a DICOM JSON array`);
    return body as DicomJsonDataset[];
  }

  /** QIDO-RS: studies matching the query (PatientName, StudyDate, ModalitiesInStudy, includefield…). */
  searchStudies(query: URLSearchParams): Promise<DicomJsonDataset[]> {
    const qs = query.toString();
    return this.getJson(`/studies${qs ? `?${qs}` : ''}`);
  }

  /** QIDO-RS: the series of a study. */
  searchSeries(studyUid: string): Promise<DicomJsonDataset[]> {
    return this.getJson(`/studies/${seg(studyUid)}/series`);
  }

  /** QIDO-RS: the instances of a series. */
  searchInstances(studyUid: string, seriesUid: string): Promise<DicomJsonDataset[]> {
    return this.getJson(`/studies/${seg(studyUid)}/series/${seg(seriesUid)}/instances`);
  }

  /** WADO-RS metadata of every instance of a series. */
  seriesMetadata(studyUid: string, seriesUid: string): Promise<DicomJsonDataset[]> {
    return this.getJson(`/studies/${seg(studyUid)}/series/${seg(seriesUid)}/metadata`);
  }

  /** WADO-RS metadata of one instance. */
  async instanceMetadata(studyUid: string, seriesUid: string, sopUid: string): Promise<DicomJsonDataset> {
    const list = await this.getJson(
      `/studies/${seg(studyUid)}/series/${seg(seriesUid)}/instances/${seg(sopUid)}/metadata`,
    );
    const ds = list[0];
    if (!ds) throw new DicomWebError(404, `no metadata for instance ${sopUid}`);
    return ds;
  }

  frameUrl(studyUid: string, seriesUid: string, sopUid: string, frame: number): string {
    return `${this.baseUrl}/studies/${seg(studyUid)}/series/${seg(seriesUid)}/instances/${seg(sopUid)}/frames/${frame}`;
  }

  /** `wadors:` image id of one frame (1-based). */
  imageId(studyUid: string, seriesUid: string, sopUid: string, frame: number): string {
    return `wadors:${this.frameUrl(studyUid, seriesUid, sopUid, frame)}`;
  }

  /** Turns WADO-RS metadata into instance refs (images only: instances without Rows are skipped). */
  instanceRefs(studyUid: string, seriesUid: string, metadata: DicomJsonDataset[]): InstanceRef[] {
    const refs: InstanceRef[] = [];
    for (const ds of metadata) {
      const sop = stringValue(ds, TAG.SOPInstanceUID);
      if (!sop || numberValue(ds, TAG.Rows) === undefined) continue;
      const numberOfFrames = Math.max(1, numberValue(ds, TAG.NumberOfFrames) ?? 1);
      const imageIds = Array.from({ length: numberOfFrames }, (_, i) =>
        this.imageId(studyUid, seriesUid, sop, i + 1),
      );
      refs.push({ studyUid, seriesUid, sopInstanceUid: sop, metadata: ds, numberOfFrames, imageIds });
    }
    refs.sort(
      (a, b) =>
        (numberValue(a.metadata, TAG.InstanceNumber) ?? 0) -
        (numberValue(b.metadata, TAG.InstanceNumber) ?? 0),
    );
    return refs;
  }
}

/**
 * Modality (0008,0060) is Type 1, but bare secondary-capture-like files without it exist (three in our
 * corpus). Cornerstone's wadors metadata provider calls `modality.includes('NM')` unguarded, and the
 * exception inside the load never settles the image promise: the load hangs. Show such images as `OT`.
 */
export function withModality(dataset: DicomJsonDataset): DicomJsonDataset {
  const modality = dataset[TAG.Modality]?.Value?.[0];
  if (typeof modality === 'string' && modality !== '') return dataset;
  return { ...dataset, [TAG.Modality]: { vr: 'CS', Value: ['OT'] } };
}

/** Splits a `wadors:` image id into its study, series, instance and frame. */
export function parseWadorsImageId(
  imageId: string,
): { base: string; studyUid: string; seriesUid: string; sopUid: string; frame: number } | null {
  const m = /^wadors:(.*)\/studies\/([^/]+)\/series\/([^/]+)\/instances\/([^/]+)\/frames\/(\d+)$/.exec(
    imageId,
  );
  if (!m) return null;
  const [, base, study, series, sop, frame] = m;
  return {
    base: base!,
    studyUid: decodeURIComponent(study!),
    seriesUid: decodeURIComponent(series!),
    sopUid: decodeURIComponent(sop!),
    frame: Number(frame),
  };
}
