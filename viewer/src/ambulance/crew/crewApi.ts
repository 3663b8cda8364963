// The runs API as the crew uses it: hospitals to choose from, starting a run, the runs en route,
// cancelling one.
import type { AmbulanceRun, CreateRunBody, HospitalsResponse } from '@telemed/signaling/protocol';
import { ApiError } from '../../api/errors.js';
import { fetchJson } from '../../api/json.js';
import { auth } from '../../app/services.js';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await auth.freshAccessToken();
  if (!token) throw new ApiError('UNAUTHORIZED', 'Not logged in');
  try {
    return await fetchJson<T>(method, path, { body, token });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'UNAUTHORIZED') throw err;
    if (!(await auth.refresh())) throw err;
    return fetchJson<T>(method, path, { body, token: auth.accessToken() });
  }
}

export const crewApi = {
  hospitals: () => call<HospitalsResponse>('GET', '/api/ambulance/hospitals'),
  create: (body: CreateRunBody) => call<AmbulanceRun>('POST', '/api/ambulance/runs', body),
  enroute: () => call<{ runs: AmbulanceRun[] }>('GET', '/api/ambulance/runs?status=enroute'),
  run: (id: string) => call<AmbulanceRun>('GET', `/api/ambulance/runs/${encodeURIComponent(id)}`),
  cancel: (id: string, reason: string) =>
    call<AmbulanceRun>(
      'POST',
      `/api/ambulance/runs/${encodeURIComponent(id)}/cancel`,
      reason ? { reason } : {},
    ),
};

export const crewHomePath = () => '/ambulance/crew';
export const crewRunPath = (runId: string) => `/ambulance/crew/runs/${encodeURIComponent(runId)}`;
