// Builders for the board's unit tests: runs and ECG chunks as the server sends them.
import type { AmbulanceRun, EcgChunk } from '@telemed/signaling/protocol';

export const T0 = Date.UTC(2026, 10, 26, 6, 0, 0);

export function run(id: string, over: Partial<AmbulanceRun> = {}): AmbulanceRun {
  return {
    id,
    callsign: `120-${id}`,
    status: 'enroute',
    patient: { complaint: 'chest pain', category: 'chest-pain', sex: 'M', ageYears: 67 },
    crew: { userId: 'c', name: 'Crew', institutionId: 'amb' },
    destination: { id: 'h', name: 'County', location: { lat: 30, lon: 120 } },
    roomId: `room-${id}`,
    createdAt: new Date(T0).toISOString(),
    arrivedAt: null,
    prenotifications: [],
    acked: { vitals: 0, position: 0, event: 0, ecg: 0 },
    latest: { vitals: null, position: null },
    ...over,
  };
}

/** A chunk of `count` samples per lead; lead l sample i = (l + 1) * 100 + i units. */
export function chunk(
  seq: number,
  leads: string[],
  count: number,
  sampleRate = 500,
  microvoltsPerUnit = 1,
): EcgChunk {
  const bytes = new Uint8Array(leads.length * count * 2);
  const view = new DataView(bytes.buffer);
  leads.forEach((_, l) => {
    for (let i = 0; i < count; i++) view.setInt16((l * count + i) * 2, (l + 1) * 100 + i - 50, true);
  });
  let bin = '';
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return {
    seq,
    t: T0 + Math.round(((seq - 1) * count * 1000) / sampleRate),
    sampleRate,
    leads,
    count,
    microvoltsPerUnit,
    data: btoa(bin),
  };
}
