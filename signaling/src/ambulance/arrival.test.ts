// Arrival through the real server with the embedded PACS: the run stops taking telemetry, the
// handover is built from what was stored (thinned vitals, alarm episodes, events, route) and saved,
// and its ECG snapshots are DICOM 12-lead ECGs of one study, readable through the bridge's ECG API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmbulanceRun, Handover, Session } from '../protocol/index.js';
import {
  api,
  connectedClient,
  login,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';
import { T0, TWELVE_LEADS, ecgChunk, ecgValue, event, position, vitals } from './test-samples.js';

const CREATE = {
  callsign: '120-7',
  destinationId: 'county-hospital',
  patient: { name: 'Zhang^San', sex: 'M', ageYears: 64, complaint: 'Syncope', category: 'medical' },
};
const ECG_CHUNKS = 240; // 60 s of 500 Hz in 250 ms chunks
const ALARM_SEQS = [30, 31, 32, 33, 34];

interface EcgJson {
  studyInstanceUid: string;
  groups: {
    samplingFrequency: number;
    numberOfSamples: number;
    channels: { lead: string; samples: number[] }[];
  }[];
}

describe('ambulance arrival and handover', () => {
  let p: TestPlatform;
  let sun: Session, wang: Session, admin: Session;
  let crew: TestClient;
  let run: AmbulanceRun;
  let result: { run: AmbulanceRun; handover: Handover };
  const as = (s: Session) => ({
    get: <T>(path: string, accept?: string) =>
      fetch(`${p.url}${path}`, {
        headers: { authorization: `Bearer ${s.accessToken}`, ...(accept ? { accept } : {}) },
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as T })),
    post: <T>(path: string, body: unknown = {}) =>
      api<T>(p.url, 'POST', path, { token: s.accessToken, body }),
  });
  const push = async (stream: string, items: unknown[]) => {
    const ack = await crew.request('telemetry:push', { runId: run.id, stream, items });
    if (!ack.ok) throw new Error(`${stream} push: ${ack.error.message}`);
    return ack.data.acked;
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    const users = ['amb.sun', 'dr.wang', 'admin'];
    [sun, wang, admin] = (await Promise.all(users.map((u) => login(p.url, u)))) as [
      Session,
      Session,
      Session,
    ];
    run = (await as(sun).post<AmbulanceRun>('/api/ambulance/runs', CREATE)).body;
    crew = await connectedClient(p.url, sun.accessToken);
    for (let seq = 1; seq <= ECG_CHUNKS; seq += 10) {
      await push(
        'ecg',
        Array.from({ length: 10 }, (_, i) => ecgChunk(seq + i)),
      );
    }
    const vitalsItems = Array.from({ length: 60 }, (_, i) =>
      vitals(i + 1, ALARM_SEQS.includes(i + 1) ? { hr: 150 } : {}),
    );
    await push('vitals', vitalsItems);
    await push(
      'position',
      Array.from({ length: 10 }, (_, i) => position(i + 1)),
    );
    await push('event', [event(1), event(2, 'ST elevation noted')]);
  });

  afterAll(async () => {
    crew?.close();
    await p?.close();
  });

  it('arrives once: the run is arrived, the handover summarises what was stored', async () => {
    expect((await as(wang).get(`/api/ambulance/runs/${run.id}/handover`)).status).toBe(404);
    const board = await connectedClient(p.url, wang.accessToken);
    await board.request('board:watch');
    const res = await as(wang).post<{ run: AmbulanceRun; handover: Handover }>(
      `/api/ambulance/runs/${run.id}/arrive`,
    );
    expect(res.status).toBe(200);
    result = res.body;
    expect(result.run).toMatchObject({ status: 'arrived', arrivedAt: expect.any(String) });
    const h = result.handover;
    expect(h).toMatchObject({
      runId: run.id,
      callsign: '120-7',
      counts: { vitals: 60, position: 10, event: 2, ecg: ECG_CHUNKS },
      route: { positions: 10, first: position(1), last: position(10) },
      events: [event(1), event(2, 'ST elevation noted')],
    });
    expect(h.route.distanceM).toBeGreaterThan(1000);
    expect(h.vitals.map((v) => v.seq)).toEqual([1, 30, 31, 32, 33, 34, 60]);
    expect(h.alarms).toEqual([
      { kind: 'hr-high', limit: 130, startT: T0 + 29_000, endT: T0 + 34_000, worst: 150 },
    ]);
    expect(h.ecg.unavailable).toBeUndefined();
    expect(h.ecg.snapshots.map((s) => [s.reason, s.t - T0, s.durationS])).toEqual([
      ['start', 0, 10],
      ['alarm', 24_000, 10],
      ['end', 50_000, 10],
    ]);
    expect(h.ecg.snapshots[1]?.alarm).toBe('hr-high');
    // The board hears of the arrival once the handover can be read.
    const update = await board.notifications.next('runUpdated', (n) => n.run.id === run.id);
    expect(update.run.status).toBe('arrived');
    expect(board.notifications.of('runUpdated').filter((n) => n.run.id === run.id)).toHaveLength(1);
    board.close();
    // Saved: the same handover comes back, also to a second arrival.
    expect((await as(wang).get<Handover>(`/api/ambulance/runs/${run.id}/handover`)).body).toEqual(h);
    const again = await as(sun).post<{ handover: Handover }>(`/api/ambulance/runs/${run.id}/arrive`);
    expect(again.body.handover).toEqual(h);
  });

  it('stores the snapshots as DICOM 12-lead ECGs of one study, readable as ECG through the bridge', async () => {
    const { ecg } = result.handover;
    expect(ecg.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
    const alarmSnap = ecg.snapshots.find((s) => s.reason === 'alarm')!;
    const got = await as(wang).get<EcgJson>(
      `/api/ecg/instances/${alarmSnap.sopInstanceUid}`,
      'application/json',
    );
    expect(got.status).toBe(200);
    expect(got.body.studyInstanceUid).toBe(ecg.studyInstanceUid);
    const group = got.body.groups[0]!;
    expect(group).toMatchObject({ samplingFrequency: 500, numberOfSamples: 5000 });
    expect(group.channels.map((c) => c.lead)).toEqual(TWELVE_LEADS);
    // 24 s into the run = absolute sample 12000; 5 µV per unit.
    const v2 = group.channels[7]!.samples;
    expect(v2[0]).toBeCloseTo(ecgValue(7, 12_000) * 5, 3);
    expect(v2[4999]).toBeCloseTo(ecgValue(7, 16_999) * 5, 3);
    // The crew sees it through the run's consult room, to which the study is attached.
    const byCrew = await as(sun).get(
      `/api/ecg/instances/${ecg.snapshots[0]!.sopInstanceUid}`,
      'application/json',
    );
    expect(byCrew.status).toBe(200);
    const studies = await as(wang).get<Record<string, { Value?: unknown[] }>[]>(
      `/dicomweb/studies?StudyInstanceUID=${ecg.studyInstanceUid}`,
      'application/dicom+json',
    );
    expect(studies.body).toHaveLength(1);
    expect(studies.body[0]!['00100020']?.Value).toEqual([run.id]); // PatientID
    const audit = await as(admin).get<{ action: string; result: string; detail: string }[]>(
      `/api/audit?study=${ecg.studyInstanceUid}`,
    );
    const entry = audit.body.find((e) => e.action === 'ecg' && e.detail.includes(run.id));
    expect(entry).toMatchObject({ result: 'ok' });
    expect(entry!.detail).not.toContain('Zhang');
  });

  it('takes no new telemetry after arrival, but acks what it already has', async () => {
    const dup = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(60)],
    });
    expect(dup).toEqual({ ok: true, data: { stream: 'vitals', acked: 60 } });
    const late = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(61)],
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await as(wang).post(`/api/ambulance/runs/${run.id}/prenotify`, { team: 'stroke' })).status).toBe(
      409,
    );
  });

  it('counts stored samples and push times in the metrics', async () => {
    const text = await (await fetch(`${p.url}/metrics`)).text();
    expect(text).toContain(`telemed_telemetry_samples_stored_total{stream="ecg"} ${ECG_CHUNKS}`);
    expect(text).toMatch(/telemed_telemetry_push_seconds_count \d+/);
    expect(text).toContain('telemed_ambulance_runs_enroute 0');
  });
});

describe('ambulance arrival without a PACS', () => {
  it('saves the handover with no snapshots and says why', async () => {
    const p = await startTestPlatform({ pacs: false });
    try {
      const sun = await login(p.url, 'amb.sun');
      const run = (
        await api<AmbulanceRun>(p.url, 'POST', '/api/ambulance/runs', {
          token: sun.accessToken,
          body: CREATE,
        })
      ).body;
      const crew = await connectedClient(p.url, sun.accessToken);
      await crew.request('telemetry:push', { runId: run.id, stream: 'ecg', items: [ecgChunk(1)] });
      crew.close();
      const res = await api<{ handover: Handover }>(p.url, 'POST', `/api/ambulance/runs/${run.id}/arrive`, {
        token: sun.accessToken,
      });
      expect(res.status).toBe(200);
      expect(res.body.handover.ecg).toEqual({
        studyInstanceUid: null,
        snapshots: [],
        unavailable: expect.stringMatching(/PACS/),
      });
    } finally {
      await p.close();
    }
  });
});
