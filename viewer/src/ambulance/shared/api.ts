// The ambulance runs' REST API as the hospital uses it (see docs/ambulance.md). Bearer auth with one
// refresh-and-retry on 401, through the app's HttpApi.
import type {
  AmbulanceRun,
  Handover,
  ReceivingTeam,
  TelemetryHistory,
  TelemetryStream,
} from '@telemed/signaling/protocol';
import { api } from '../../app/services.js';

const runPath = (id: string) => `/api/ambulance/runs/${encodeURIComponent(id)}`;

export const ambulanceApi = {
  run: (id: string, signal?: AbortSignal) => api.request<AmbulanceRun>('GET', runPath(id), undefined, signal),
  telemetry<S extends TelemetryStream>(
    id: string,
    stream: S,
    after: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<TelemetryHistory<S>> {
    const q = new URLSearchParams({ after: String(after), limit: String(limit) });
    return api.request('GET', `${runPath(id)}/telemetry/${stream}?${q}`, undefined, signal);
  },
  prenotify: (id: string, team: ReceivingTeam) =>
    api.request<AmbulanceRun>('POST', `${runPath(id)}/prenotify`, { team }),
  consult: (id: string) => api.request<{ roomId: string }>('POST', `${runPath(id)}/consult`, {}),
  arrive: (id: string) =>
    api.request<{ run: AmbulanceRun; handover: Handover }>('POST', `${runPath(id)}/arrive`, {}),
  handover: (id: string, signal?: AbortSignal) =>
    api.request<Handover>('GET', `${runPath(id)}/handover`, undefined, signal),
};

export function boardPath(): string {
  return '/ambulance/board';
}

export function handoverPath(runId: string): string {
  return `/ambulance/runs/${encodeURIComponent(runId)}/handover`;
}
