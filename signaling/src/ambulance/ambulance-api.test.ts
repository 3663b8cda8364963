// Runs, telemetry and the board through the real server (HTTP + Socket.IO, fake SFU, embedded PACS):
// who may create, see, push, watch and prenotify; telemetry reaching the board after it is stored;
// the REST errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AmbulanceRun,
  ConsultRoom,
  HospitalsResponse,
  Session,
  TelemetryHistory,
} from '../protocol/index.js';
import { hashPassword } from '../accounts/passwords.js';
import {
  TEST_PASSWORD,
  api,
  connectedClient,
  login,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';
import { ecgChunk, event, position, vitals } from './test-samples.js';

const CREATE = {
  callsign: '120-12',
  destinationId: 'county-hospital',
  patient: {
    name: 'Li Wei',
    sex: 'M',
    ageYears: 58,
    complaint: 'Crushing chest pain',
    category: 'chest-pain',
  },
};

describe('ambulance runs API and telemetry', () => {
  let p: TestPlatform;
  let sun: Session, wang: Session, chen: Session, zhao: Session, admin: Session, other: Session;
  let run: AmbulanceRun;
  const clients: TestClient[] = [];
  const as = (s: Session) => ({
    get: <T>(path: string) => api<T>(p.url, 'GET', path, { token: s.accessToken }),
    post: <T>(path: string, body: unknown = {}) =>
      api<T>(p.url, 'POST', path, { token: s.accessToken, body }),
  });
  const socketOf = async (s: Session) => {
    const c = await connectedClient(p.url, s.accessToken);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    // A second hospital, whose staff must see nothing of runs bound for the county hospital.
    p.accounts.upsertInstitution({ id: 'city-hospital', name: 'City Hospital', kind: 'hospital' });
    p.accounts.createUser({
      username: 'dr.other',
      displayName: 'Dr. Other',
      role: 'specialist',
      institutionId: 'city-hospital',
      passwordHash: await hashPassword(TEST_PASSWORD),
    });
    const users = ['amb.sun', 'dr.wang', 'dr.chen', 'nurse.zhao', 'admin', 'dr.other'];
    [sun, wang, chen, zhao, admin, other] = (await Promise.all(users.map((u) => login(p.url, u)))) as [
      Session,
      Session,
      Session,
      Session,
      Session,
      Session,
    ];
    const created = await as(sun).post<AmbulanceRun>('/api/ambulance/runs', CREATE);
    expect(created.status).toBe(201);
    run = created.body;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await p?.close();
  });

  it('lists hospitals with their location', async () => {
    const res = await as(sun).get<HospitalsResponse>('/api/ambulance/hospitals');
    expect(res.status).toBe(200);
    const county = res.body.hospitals.find((h) => h.id === 'county-hospital');
    expect(county?.location).toEqual({ lat: expect.any(Number), lon: expect.any(Number) });
    expect(res.body.hospitals.map((h) => h.id)).not.toContain('township-clinic');
  });

  it('creates a run en route with its consult room owned by the crew, titled without patient data', async () => {
    expect(run).toMatchObject({
      callsign: '120-12',
      status: 'enroute',
      crew: { userId: sun.user.id, institutionId: 'township-clinic' },
      destination: { id: 'county-hospital', location: { lat: expect.any(Number) } },
      acked: { vitals: 0, position: 0, event: 0, ecg: 0 },
      latest: { vitals: null, position: null },
      prenotifications: [],
      arrivedAt: null,
    });
    const room = await as(sun).get<ConsultRoom>(`/api/rooms/${run.roomId}`);
    expect(room.body.ownerId).toBe(sun.user.id);
    expect(room.body.title).toContain('120-12');
    expect(room.body.title).not.toContain('Li Wei');
    expect(room.body.title).not.toContain('chest');
  });

  it('refuses to create a run for others than crews, to a non-hospital, or with a bad body', async () => {
    const byClinician = await as(zhao).post<{ error: { code: string } }>('/api/ambulance/runs', CREATE);
    expect(byClinician.status).toBe(403);
    const toClinic = await as(sun).post<{ error: { message: string } }>('/api/ambulance/runs', {
      ...CREATE,
      destinationId: 'township-clinic',
    });
    expect(toClinic.status).toBe(400);
    expect(toClinic.body.error.message).toMatch(/hospital/);
    const unknown = await as(sun).post('/api/ambulance/runs', { ...CREATE, destinationId: 'nowhere' });
    expect(unknown.status).toBe(400);
    const bad = await as(sun).post<{ error: { message: string } }>('/api/ambulance/runs', {
      ...CREATE,
      patient: { category: 'flu' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/patient\.(complaint|category)/);
    // The reason never echoes the patient's data back.
    expect(JSON.stringify(bad.body)).not.toContain('Li Wei');
  });

  it('shows a run to its crew, the destination and admins only', async () => {
    for (const s of [sun, wang, admin]) {
      expect((await as(s).get(`/api/ambulance/runs/${run.id}`)).status).toBe(200);
      const list = await as(s).get<{ runs: AmbulanceRun[] }>('/api/ambulance/runs?status=enroute');
      expect(list.body.runs.map((r) => r.id)).toContain(run.id);
    }
    for (const s of [zhao, other]) {
      expect((await as(s).get(`/api/ambulance/runs/${run.id}`)).status).toBe(403);
      const list = await as(s).get<{ runs: AmbulanceRun[] }>('/api/ambulance/runs');
      expect(list.body.runs.map((r) => r.id)).not.toContain(run.id);
    }
    expect((await as(sun).get('/api/ambulance/runs/no-such-run')).status).toBe(404);
    expect((await as(sun).get('/api/ambulance/runs?status=lost')).status).toBe(400);
    const arrivedOnly = await as(wang).get<{ runs: AmbulanceRun[] }>('/api/ambulance/runs?status=arrived');
    expect(arrivedOnly.body.runs.map((r) => r.id)).not.toContain(run.id);
  });

  it('stores pushed telemetry before acking it and tells the board, each sample once', async () => {
    const board = await socketOf(wang);
    const watched = await board.request('board:watch');
    expect(watched.ok && watched.data.runs.map((r) => r.id)).toContain(run.id);
    const crew = await socketOf(sun);
    const first = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(1), vitals(2)],
    });
    expect(first).toEqual({ ok: true, data: { stream: 'vitals', acked: 2 } });
    // The ack may be lost: the sender sends again with more; only seq 3 is new.
    const again = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(2), vitals(3)],
    });
    expect(again).toEqual({ ok: true, data: { stream: 'vitals', acked: 3 } });
    await board.notifications.next('telemetry', (n) => n.items.some((i) => i.seq === 3));
    const seen = board.notifications
      .of('telemetry')
      .filter((n) => n.runId === run.id && n.stream === 'vitals')
      .flatMap((n) => n.items.map((i) => i.seq));
    expect(seen).toEqual([1, 2, 3]);

    const gap = await crew.request('telemetry:push', { runId: run.id, stream: 'vitals', items: [vitals(5)] });
    expect(gap).toEqual({ ok: true, data: { stream: 'vitals', acked: 3 } });
    const ecg = await crew.request('telemetry:push', {
      runId: run.id,
      stream: 'ecg',
      items: [ecgChunk(1), ecgChunk(2)],
    });
    expect(ecg).toEqual({ ok: true, data: { stream: 'ecg', acked: 2 } });
    const ecgNote = await board.notifications.next('telemetry', (n) => n.stream === 'ecg');
    expect(ecgNote.items[0]).toEqual(ecgChunk(1));
    await crew.request('telemetry:push', { runId: run.id, stream: 'position', items: [position(1)] });
    await crew.request('telemetry:push', { runId: run.id, stream: 'event', items: [event(1)] });

    const resumed = await crew.request('telemetry:resume', { runId: run.id });
    expect(resumed).toEqual({ ok: true, data: { acked: { vitals: 3, position: 1, event: 1, ecg: 2 } } });
    const got = await as(wang).get<AmbulanceRun>(`/api/ambulance/runs/${run.id}`);
    expect(got.body.latest).toEqual({ vitals: vitals(3), position: position(1) });
  });

  it('refuses pushes and resumes from anyone but the crew, and the board to non-hospital staff', async () => {
    const clinician = await socketOf(zhao);
    const push = await clinician.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(4)],
    });
    expect(push).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await clinician.request('telemetry:resume', { runId: run.id })).toMatchObject({ ok: false });
    expect(await clinician.request('board:watch')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const hospitalStaff = await socketOf(wang);
    const byStaff = await hospitalStaff.request('telemetry:push', {
      runId: run.id,
      stream: 'vitals',
      items: [vitals(4)],
    });
    expect(byStaff).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const elsewhere = await socketOf(other);
    const otherBoard = await elsewhere.request('board:watch');
    expect(otherBoard.ok && otherBoard.data.runs.map((r) => r.id)).not.toContain(run.id);
    const crew = await socketOf(sun);
    await crew.request('telemetry:push', { runId: run.id, stream: 'vitals', items: [vitals(4)] });
    // The other hospital's board hears nothing of this run.
    const wangBoard = await socketOf(chen);
    await wangBoard.request('board:watch');
    await crew.request('telemetry:push', { runId: run.id, stream: 'vitals', items: [vitals(5)] });
    await wangBoard.notifications.next('telemetry', (n) => n.items.some((i) => i.seq === 5));
    expect(elsewhere.notifications.of('telemetry')).toEqual([]);
  });

  it('serves telemetry history in pages, with 4xx for a bad stream or limit', async () => {
    const page = await as(wang).get<TelemetryHistory<'vitals'>>(
      `/api/ambulance/runs/${run.id}/telemetry/vitals?after=1&limit=2`,
    );
    expect(page.status).toBe(200);
    expect(page.body.items.map((s) => s.seq)).toEqual([2, 3]);
    expect(page.body.acked).toBe(5);
    const ecg = await as(wang).get<TelemetryHistory<'ecg'>>(`/api/ambulance/runs/${run.id}/telemetry/ecg`);
    expect(ecg.body.items).toEqual([ecgChunk(1), ecgChunk(2)]);
    expect((await as(wang).get(`/api/ambulance/runs/${run.id}/telemetry/blood`)).status).toBe(400);
    expect((await as(wang).get(`/api/ambulance/runs/${run.id}/telemetry/vitals?limit=5001`)).status).toBe(
      400,
    );
    expect((await as(wang).get(`/api/ambulance/runs/${run.id}/telemetry/vitals?after=-1`)).status).toBe(400);
    expect((await as(other).get(`/api/ambulance/runs/${run.id}/telemetry/vitals`)).status).toBe(403);
  });

  it('prenotifies a receiving team once, telling everyone at the hospital', async () => {
    const chenSocket = await socketOf(chen);
    const board = await socketOf(admin);
    await board.request('board:watch');
    const first = await as(wang).post<AmbulanceRun>(`/api/ambulance/runs/${run.id}/prenotify`, {
      team: 'chest-pain',
    });
    expect(first.status).toBe(200);
    expect(first.body.prenotifications).toEqual([
      { team: 'chest-pain', byUserId: wang.user.id, byName: wang.user.displayName, at: expect.any(String) },
    ]);
    const heard = await chenSocket.notifications.next('prenotification', (n) => n.runId === run.id);
    expect(heard).toMatchObject({ callsign: '120-12', prenotification: { team: 'chest-pain' } });
    await board.notifications.next('runUpdated', (n) => n.run.prenotifications.length === 1);
    const second = await as(chen).post<AmbulanceRun>(`/api/ambulance/runs/${run.id}/prenotify`, {
      team: 'chest-pain',
    });
    expect(second.body.prenotifications).toEqual(first.body.prenotifications);
    expect(chenSocket.notifications.of('prenotification')).toHaveLength(1);

    expect((await as(other).post(`/api/ambulance/runs/${run.id}/prenotify`, { team: 'stroke' })).status).toBe(
      403,
    );
    expect((await as(sun).post(`/api/ambulance/runs/${run.id}/prenotify`, { team: 'stroke' })).status).toBe(
      403,
    );
    expect((await as(wang).post(`/api/ambulance/runs/${run.id}/prenotify`, { team: 'flu' })).status).toBe(
      400,
    );
  });

  it('invites hospital staff into the run consult room', async () => {
    const lobby = await socketOf(chen);
    const res = await as(chen).post<{ roomId: string }>(`/api/ambulance/runs/${run.id}/consult`);
    expect(res).toMatchObject({ status: 200, body: { roomId: run.roomId } });
    await lobby.notifications.next('roomsChanged', (n) => n.roomId === run.roomId && n.reason === 'invited');
    const room = await as(chen).get<ConsultRoom>(`/api/rooms/${run.roomId}`);
    expect(room.body.invitees).toContain(chen.user.id);
    expect((await as(other).post(`/api/ambulance/runs/${run.id}/consult`)).status).toBe(403);
  });

  it('lets a backlog drain at full speed: 150 pushes in a burst are all stored, none rate-limited', async () => {
    const crew = await socketOf(sun);
    const acks = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        crew.request('telemetry:push', { runId: run.id, stream: 'position', items: [position(i + 2)] }),
      ),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    expect(acks.at(-1)).toEqual({ ok: true, data: { stream: 'position', acked: 151 } });
    // The general budget is untouched.
    expect((await crew.request('telemetry:resume', { runId: run.id })).ok).toBe(true);
  });

  it('has no handover before arrival', async () => {
    const res = await as(wang).get<{ error: { message: string } }>(`/api/ambulance/runs/${run.id}/handover`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not arrived/);
  });
});
