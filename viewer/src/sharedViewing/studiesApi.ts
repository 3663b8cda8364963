// The HTTP calls of the study panel: the consult room's attached studies, a QIDO-RS search of the
// studies this user may see, and the annotations saved with a study (PACS bridge sidecar).
import type {
  RoomStudiesResponse,
  SaveStudyAnnotationsRequest,
  SharedAnnotation,
  StudyAnnotations,
} from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { fetchJson } from '../api/json.js';
import { auth } from '../app/services.js';
import type { SavedAnnotations } from './SharedViewingSession.js';

export interface StudySummary {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  description: string;
  modalities: string[];
  instances: number | null;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

const first = (ds: DicomJson, tag: string): unknown => ds[tag]?.Value?.[0];
const str = (ds: DicomJson, tag: string): string => {
  const v = first(ds, tag);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    // Person names: keep both groups so the display can pick the ideographic (Chinese) one.
    const pn = v as { Alphabetic?: string; Ideographic?: string };
    return pn.Ideographic ? `${pn.Alphabetic ?? ''}=${pn.Ideographic}` : (pn.Alphabetic ?? '');
  }
  return v === undefined || v === null ? '' : String(v);
};

export function summarize(ds: DicomJson): StudySummary {
  const count = first(ds, '00201208');
  return {
    studyInstanceUid: str(ds, '0020000D'),
    patientName: str(ds, '00100010'),
    patientId: str(ds, '00100020'),
    studyDate: str(ds, '00080020'),
    description: str(ds, '00081030'),
    modalities: (ds['00080061']?.Value ?? []).map(String),
    instances: typeof count === 'number' ? count : count !== undefined ? Number(count) : null,
  };
}

async function token(): Promise<string> {
  const t = await auth.freshAccessToken();
  if (!t) throw new ApiError('UNAUTHORIZED', 'Not logged in');
  return t;
}

async function qido(query: Record<string, string>): Promise<StudySummary[]> {
  const params = new URLSearchParams({ ...query, includefield: '00081030,00080061,00201208' });
  const res = await fetch(`/dicomweb/studies?${params}`, {
    headers: { accept: 'application/dicom+json', authorization: `Bearer ${await token()}` },
    cache: 'no-store',
  });
  if (res.status === 204) return [];
  if (!res.ok)
    throw new ApiError(
      res.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL',
      `QIDO-RS answered HTTP ${res.status}`,
      res.status,
    );
  return ((await res.json()) as DicomJson[]).map(summarize);
}

/** Studies the user may see, newest first; `text` matches the patient's name or ID. */
export async function searchStudies(text: string, limit = 25): Promise<StudySummary[]> {
  const q = text.trim();
  if (!q) return qido({ limit: String(limit) });
  const [byName, byId] = await Promise.all([
    qido({ PatientName: `*${q}*`, fuzzymatching: 'true', limit: String(limit) }),
    qido({ PatientID: `*${q}*`, limit: String(limit) }),
  ]);
  const seen = new Map<string, StudySummary>();
  for (const s of [...byName, ...byId]) seen.set(s.studyInstanceUid, s);
  return [...seen.values()];
}

/** One study's summary, or null if the user may not (yet) see it (attached before its images came). */
export async function studySummary(studyUid: string): Promise<StudySummary | null> {
  return (await qido({ StudyInstanceUID: studyUid }))[0] ?? null;
}

export async function roomStudies(roomId: string): Promise<RoomStudiesResponse> {
  return fetchJson('GET', `/api/rooms/${encodeURIComponent(roomId)}/studies`, { token: await token() });
}

export async function attachStudy(roomId: string, studyInstanceUid: string): Promise<RoomStudiesResponse> {
  return fetchJson('POST', `/api/rooms/${encodeURIComponent(roomId)}/studies`, {
    token: await token(),
    body: { studyInstanceUid },
  });
}

/** The sidecar of annotations saved with studies, on behalf of one consult room. */
export function savedAnnotations(roomId: string): SavedAnnotations {
  const path = (studyUid: string) => `/api/annotations/studies/${encodeURIComponent(studyUid)}`;
  return {
    async load(studyUid) {
      return fetchJson<StudyAnnotations>('GET', path(studyUid), { token: await token() });
    },
    async save(studyUid, annotations: SharedAnnotation[]) {
      const body: SaveStudyAnnotationsRequest = { annotations, roomId };
      return fetchJson<StudyAnnotations>('PUT', path(studyUid), { token: await token(), body });
    },
  };
}
