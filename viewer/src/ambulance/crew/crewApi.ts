// The runs API as the crew uses it: hospitals to choose from, starting a run, the runs en route,
// cancelling one.
import type { AmbulanceRun, CreateRunBody, HospitalsResponse } from '@telemed/signaling/protocol';
import { api } from '../../app/services.js';

export const crewApi = {
  hospitals: () => api.request<HospitalsResponse>('GET', '/api/ambulance/hospitals'),
  create: (body: CreateRunBody) => api.request<AmbulanceRun>('POST', '/api/ambulance/runs', body),
  enroute: () => api.request<{ runs: AmbulanceRun[] }>('GET', '/api/ambulance/runs?status=enroute'),
  run: (id: string) => api.request<AmbulanceRun>('GET', `/api/ambulance/runs/${encodeURIComponent(id)}`),
  cancel: (id: string, reason: string) =>
    api.request<AmbulanceRun>(
      'POST',
      `/api/ambulance/runs/${encodeURIComponent(id)}/cancel`,
      reason ? { reason } : {},
    ),
};

export const crewHomePath = () => '/ambulance/crew';
export const crewRunPath = (runId: string) => `/ambulance/crew/runs/${encodeURIComponent(runId)}`;
