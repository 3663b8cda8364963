// Cancelling a run through the real server: who may, only while en route, the board hears it and the
// card's run leaves the board's list, telemetry refused afterwards (resends of stored seqs still acked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmbulanceRun, Session } from '../protocol/index.js';
import {
  api,
  connectedClient,
  login,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';
import { event, vitals } from './test-samples.js';

const CREATE = {
  callsign: '120-30',
  destinationId: 'county-hospital',
  patient: { complaint: 'Fall at home', category: 'trauma' },
};

describe('POST /api/ambulance/runs/:id/cancel', () => {
  let p: TestPlatform;
  let sun: Session, wang: Session, zhao: Session, admin: Session;
  const clients: TestClient[] = [];
  const as = (s: Session) => ({
    get: <T>(path: string) => api<T>(p.url, 'GET', path, { token: s.accessToken }),
    post: <T>(path: string, body?: unknown) => api<T>(p.url, 'POST', path, { token: s.accessToken, body }),
  });
  const socketOf = async (s: Session) => {
    const c = await connectedClient(p.url, s.accessToken);
    clients.push(c);
    return c;
  };
  const newRun = async () => (await as(sun).post<AmbulanceRun>('/api/ambulance/runs', CREATE)).body;
  const cancel = <T = AmbulanceRun>(s: Session, id: string, body?: unknown) =>
    as(s).post<T>(`/api/ambulance/runs/${id}/cancel`, body);

  beforeAll(async () => {
    p = await startTestPlatform();
    [sun, wang, zhao, admin] = (await Promise.all(
      ['amb.sun', 'dr.wang', 'nurse.zhao', 'admin'].map((u) => login(p.url, u)),
    )) as [Session, Session, Session, Session];
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await p?.close();
  });

  it('lets the crew cancel a run en route: status cancelled with the reason, the board told', async () => {
    const run = await newRun();
    const board = await socketOf(wang);
    const watched = await board.request('board:watch');
    expect(watched.ok && watched.data.runs.map((r) => r.id)).toContain(run.id);

    const res = await cancel(sun, run.id, { reason: '  Patient declined transport ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: run.id,
      status: 'cancelled',
      arrivedAt: null,
      cancellation: { at: expect.any(String), reason: 'Patient declined transport' },
    });
    const note = await board.notifications.next('runUpdated', (n) => n.run.id === run.id);
    expect(note.run.status).toBe('cancelled');

    // Gone from the board and the en-route list; found under cancelled.
    const again = await board.request('board:watch');
    expect(again.ok && again.data.runs.map((r) => r.id)).not.toContain(run.id);
    const enroute = await as(wang).get<{ runs: AmbulanceRun[] }>('/api/ambulance/runs?status=enroute');
    expect(enroute.body.runs.map((r) => r.id)).not.toContain(run.id);
    const cancelled = await as(sun).get<{ runs: AmbulanceRun[] }>('/api/ambulance/runs?status=cancelled');
    expect(cancelled.body.runs.find((r) => r.id === run.id)?.cancellation?.reason).toBe(
      'Patient declined transport',
    );
  });

  it('refuses new telemetry after the cancel but still acks a resend of what is stored', async () => {
    const run = await newRun();
    const crew = await socketOf(sun);
    const pushed = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(1), vitals(2)],
    });
    expect(pushed).toEqual({ ok: true, data: { stream: 'vitals', acked: 2 } });
    expect((await cancel(sun, run.id)).status).toBe(200);

    const resend = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(2)],
    });
    expect(resend).toEqual({ ok: true, data: { stream: 'vitals', acked: 2 } });
    const fresh = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(2), vitals(3)],
    });
    expect(fresh).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: /cancelled/ } });
    const newStream = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'event',
      items: [event(1)],
    });
    expect(newStream).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const got = await as(sun).get<AmbulanceRun>(`/api/ambulance/runs/${run.id}`);
    expect(got.body.acked).toEqual({ vitals: 2, position: 0, event: 0, ecg: 0 });
  });

  it('answers 409 once the run is no longer en route: cancelled twice, arrived, then arrive or prenotify', async () => {
    const cancelled = await newRun();
    expect((await cancel(sun, cancelled.id)).status).toBe(200);
    const twice = await cancel<{ error: { code: string; message: string } }>(sun, cancelled.id);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'CONFLICT', message: /already cancelled/ });
    expect((await as(sun).post(`/api/ambulance/runs/${cancelled.id}/arrive`)).status).toBe(409);
    expect(
      (await as(wang).post(`/api/ambulance/runs/${cancelled.id}/prenotify`, { team: 'trauma' })).status,
    ).toBe(409);

    const arrived = await newRun();
    expect((await as(sun).post(`/api/ambulance/runs/${arrived.id}/arrive`)).status).toBe(200);
    const late = await cancel<{ error: { message: string } }>(sun, arrived.id);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/already arrived/);
  });

  it('is for the crew and admins: hospital staff 403, others 403, unknown 404, bad body 400', async () => {
    const run = await newRun();
    expect((await cancel(wang, run.id)).status).toBe(403);
    expect((await cancel(zhao, run.id)).status).toBe(403);
    expect((await cancel(sun, 'no-such-run')).status).toBe(404);
    expect((await cancel(sun, run.id, { reason: 'x'.repeat(201) })).status).toBe(400);
    expect((await cancel(sun, run.id, { why: 'no' })).status).toBe(400);
    expect((await as(sun).get<AmbulanceRun>(`/api/ambulance/runs/${run.id}`)).body.status).toBe('enroute');

    const byAdmin = await cancel(admin, run.id, { reason: '   ' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.cancellation).toEqual({ at: expect.any(String), reason: null });
  });
});
