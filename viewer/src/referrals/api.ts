// The referral and report HTTP API, and the QIDO study search the referral form picks from. Bearer
// auth with one refresh-and-retry on 401, through the app's HttpApi.
import type {
  CreateReferralRequest,
  Referral,
  ReferralAction,
  ReferralDetailResponse,
  ReferralQuery,
  ReferralsResponse,
  Report,
  ReportDraft,
} from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import { api, auth } from '../app/services.js';

const ref = (id: string) => `/api/referrals/${encodeURIComponent(id)}`;

export const referralsApi = {
  list(query: ReferralQuery): Promise<ReferralsResponse> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, String(v));
    return api.request('GET', `/api/referrals?${q}`);
  },
  create: (body: CreateReferralRequest) => api.request<Referral>('POST', '/api/referrals', body),
  get: (id: string) => api.request<ReferralDetailResponse>('GET', ref(id)),
  act: (id: string, action: ReferralAction, reason?: string) =>
    api.request<Referral>('POST', `${ref(id)}/${action}`, reason ? { reason } : {}),
  saveDraft: (id: string, draft: ReportDraft) =>
    api.request<{ report: Report }>('PUT', `${ref(id)}/report`, draft),
  sign: (id: string) => api.request<{ report: Report }>('POST', `${ref(id)}/report/sign`),
  addAddendum: (id: string, text: string) =>
    api.request<{ report: Report }>('POST', `${ref(id)}/report/addenda`, { text }),
  attachStudy: (roomId: string, studyInstanceUid: string) =>
    api.request('POST', `/api/rooms/${encodeURIComponent(roomId)}/studies`, { studyInstanceUid }),

  /** The signed report's PDF, fetched with the token (a plain link cannot send it). */
  async pdf(id: string): Promise<Blob> {
    const token = await auth.freshAccessToken();
    const res = await fetch(`${ref(id)}/report/pdf`, { headers: { authorization: `Bearer ${token ?? ''}` } });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new ApiError('INTERNAL', body?.error?.message ?? `HTTP ${res.status}`, res.status);
    }
    return res.blob();
  },
};

export interface StudyChoice {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  modalities: string[];
  description: string;
}

type Json = Record<string, { Value?: unknown[] }>;
const str = (ds: Json, tag: string): string => {
  const v = ds[tag]?.Value?.[0];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'Alphabetic' in v) {
    const pn = v as { Alphabetic?: string; Ideographic?: string };
    return [pn.Alphabetic ?? '', pn.Ideographic ?? ''].filter(Boolean).join('=');
  }
  return '';
};

/** QIDO-RS: the studies the user may read (their institution's), newest first. */
export async function searchStudies(): Promise<StudyChoice[]> {
  const token = await auth.freshAccessToken();
  const q = new URLSearchParams({ limit: '100' });
  for (const f of ['PatientName', 'PatientID', 'StudyDate', 'ModalitiesInStudy', 'StudyDescription'])
    q.append('includefield', f);
  const res = await fetch(`/dicomweb/studies?${q}`, {
    headers: { accept: 'application/dicom+json', authorization: `Bearer ${token ?? ''}` },
  });
  if (res.status === 204) return [];
  if (!res.ok) throw new ApiError('INTERNAL', `QIDO-RS: HTTP ${res.status}`, res.status);
  const list = (await res.json()) as Json[];
  return list
    .map((ds) => ({
      studyInstanceUid: str(ds, '0020000D'),
      patientName: str(ds, '00100010'),
      patientId: str(ds, '00100020'),
      studyDate: str(ds, '00080020'),
      modalities: (ds['00080061']?.Value ?? []).filter((m): m is string => typeof m === 'string'),
      description: str(ds, '00081030'),
    }))
    .filter((s) => s.studyInstanceUid)
    .sort((a, b) => b.studyDate.localeCompare(a.studyDate));
}
