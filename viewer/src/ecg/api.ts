// The ECG page's server calls: waveforms from /api/ecg (compact binary), header facts from DICOMweb
// (QIDO finds the study and series of the instance, WADO-RS gives its metadata), and the aECG/SCP
// import. Bearer token with one refresh-and-retry on 401, like the rest of the app.
import { auth } from '../app/services.js';
import { stringValue, TAG, type DicomJsonDataset } from '../imaging/dicomweb.js';
import { decodeEcgBinary, ECG_BINARY_MEDIA_TYPE } from './binary.js';
import { headerInfo, type EcgHeaderInfo } from './meta.js';
import type { EcgWaveforms } from './types.js';

export class EcgHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EcgHttpError';
  }
}

async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const go = async (token: string | null) =>
    fetch(url, {
      ...init,
      cache: 'no-store',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  let res = await go(await auth.freshAccessToken());
  if (res.status === 401 && (await auth.refresh())) res = await go(auth.accessToken());
  return res;
}

async function failure(res: Response, what: string): Promise<EcgHttpError> {
  let reason = `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { reason?: unknown };
    if (typeof body.reason === 'string') reason = body.reason;
  } catch {
    /* no JSON body */
  }
  return new EcgHttpError(res.status, `${what}: ${reason}`);
}

export interface FetchedWaveforms {
  waveforms: EcgWaveforms;
  fetchMs: number;
  decodeMs: number;
  bytes: number;
}

export async function fetchWaveforms(
  sopInstanceUid: string,
  signal?: AbortSignal,
): Promise<FetchedWaveforms> {
  const t0 = performance.now();
  const res = await authorizedFetch(`/api/ecg/instances/${encodeURIComponent(sopInstanceUid)}`, {
    headers: { accept: ECG_BINARY_MEDIA_TYPE },
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) throw await failure(res, 'ECG');
  const buffer = await res.arrayBuffer();
  const t1 = performance.now();
  const waveforms = decodeEcgBinary(buffer);
  return { waveforms, fetchMs: t1 - t0, decodeMs: performance.now() - t1, bytes: buffer.byteLength };
}

async function dicomJson(path: string, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
  const res = await authorizedFetch(`/dicomweb${path}`, {
    headers: { accept: 'application/dicom+json' },
    ...(signal ? { signal } : {}),
  });
  if (res.status === 204) return [];
  if (!res.ok) throw await failure(res, 'DICOMweb');
  const body: unknown = await res.json();
  return Array.isArray(body) ? (body as DicomJsonDataset[]) : [];
}

/** Header facts of the instance; an instance QIDO cannot find yields an empty header. */
export async function fetchHeader(sopInstanceUid: string, signal?: AbortSignal): Promise<EcgHeaderInfo> {
  const sop = encodeURIComponent(sopInstanceUid);
  const [hit] = await dicomJson(`/instances?SOPInstanceUID=${sop}`, signal);
  const study = hit && stringValue(hit, TAG.StudyInstanceUID);
  const series = hit && stringValue(hit, TAG.SeriesInstanceUID);
  if (!study || !series) return {};
  const path = `/studies/${encodeURIComponent(study)}/series/${encodeURIComponent(series)}/instances/${sop}/metadata`;
  const [metadata] = await dicomJson(path, signal);
  return headerInfo(metadata ?? hit);
}

export interface ImportedEcgUids {
  status: 'stored' | 'duplicate';
  source: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

/** POSTs an aECG/SCP file as it is (the bridge detects the format from the bytes). */
export async function importEcg(file: Blob): Promise<ImportedEcgUids> {
  const res = await authorizedFetch('/api/ecg/import', {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
    body: file,
  });
  if (res.status !== 200 && res.status !== 201) throw await failure(res, 'import');
  return (await res.json()) as ImportedEcgUids;
}

/** True for a DICOM Part 10 file ("DICM" after the 128-byte preamble). */
export async function isDicomFile(file: Blob): Promise<boolean> {
  if (file.size < 132) return false;
  const magic = new Uint8Array(await file.slice(128, 132).arrayBuffer());
  return String.fromCharCode(...magic) === 'DICM';
}

/** A DICOM waveform file goes in through STOW-RS like any other instance; returns its SOP UID. */
export async function stowDicomEcg(file: Blob): Promise<string> {
  const boundary = `telemed-ecg-${Math.random().toString(16).slice(2)}`;
  const body = new Blob([
    `--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`,
    file,
    `\r\n--${boundary}--\r\n`,
  ]);
  const res = await authorizedFetch('/dicomweb/studies', {
    method: 'POST',
    headers: {
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body,
  });
  const ds = (await res.json().catch(() => ({}))) as DicomJsonDataset;
  const stored = ds['00081199']?.Value?.[0] as DicomJsonDataset | undefined;
  const sop = stored && stringValue(stored, '00081155');
  if (sop) return sop;
  const failed = ds['00081198']?.Value?.[0] as DicomJsonDataset | undefined;
  const reason = (failed && stringValue(failed, '0040A160')) || `HTTP ${res.status}`;
  throw new EcgHttpError(res.status, `STOW-RS: ${reason}`);
}
