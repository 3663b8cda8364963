// The ambulance runs' REST API as the hospital uses it (see docs/ambulance.md). Bearer auth with one
// refresh-and-retry on 401, like the rest of the app.
import type {
  AmbulanceRun,
  Handover,
  ReceivingTeam,
  TelemetryHistory,
  TelemetryStream,
} from '@telemed/signaling/protocol';
import { ApiError } from '../../api/errors.js';
import { fetchJson } from '../../api/json.js';
import { auth } from '../../app/services.js';

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const token = await auth.freshAccessToken();
  if (!token) throw new ApiError('UNAUTHORIZED', 'Not logged in');
  const opts = (t: string | null) => ({ body, token: t, ...(signal ? { signal } : {}) });
  try {
    return await fetchJson<T>(method, path, opts(token));
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'UNAUTHORIZED') throw err;
    if (!(await auth.refresh())) throw err;
    return fetchJson<T>(method, path, opts(auth.accessToken()));
  }
}

const runPath = (id: string) => `/api/ambulance/runs/${encodeURIComponent(id)}`;

export const ambulanceApi = {
  run: (id: string, signal?: AbortSignal) => call<AmbulanceRun>('GET', runPath(id), undefined, signal),
  telemetry<S extends TelemetryStream>(
    id: string,
    stream: S,
    after: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<TelemetryHistory<S>> {
    const q = new URLSearchParams({ after: String(after), limit: String(limit) });
    return call('GET', `${runPath(id)}/telemetry/${stream}?${q}`, undefined, signal);
  },
  prenotify: (id: string, team: ReceivingTeam) =>
    call<AmbulanceRun>('POST', `${runPath(id)}/prenotify`, { team }),
  consult: (id: string) => call<{ roomId: string }>('POST', `${runPath(id)}/consult`, {}),
  arrive: (id: string) =>
    call<{ run: AmbulanceRun; handover: Handover }>('POST', `${runPath(id)}/arrive`, {}),
  handover: (id: string, signal?: AbortSignal) =>
    call<Handover>('GET', `${runPath(id)}/handover`, undefined, signal),
};

export function boardPath(): string {
  return '/ambulance/board';
}

export function handoverPath(runId: string): string {
  return `/ambulance/runs/${encodeURIComponent(runId)}/handover`;
}
