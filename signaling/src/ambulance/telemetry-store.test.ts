// The telemetry store on a real SQLite file: every seq once, in order, gaps refused, acks durable.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError, TelemetryPushSchema } from '../protocol/index.js';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { seedDemoAccounts } from '../accounts/demo-accounts.js';
import { DB_FILE_NAME, openDatabase, type Db } from '../db/database.js';
import { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import { makeTempDir } from '../test-support/platform.js';
import { RunsRepository } from './runs-repository.js';
import { TelemetryStore } from './telemetry-store.js';
import { ecgChunk, event, vitals } from './test-samples.js';

describe('TelemetryStore', () => {
  let dir: string;
  let db: Db;
  const connections: Db[] = [];
  const open = () => {
    const conn = openDatabase(dir);
    connections.push(conn);
    return conn;
  };
  let store: TelemetryStore;
  let runId: string;
  const seqs = (stream: 'vitals' | 'ecg' | 'event') =>
    store.history(runId, stream, 0, 10_000).map((s) => s.seq);

  beforeEach(async () => {
    dir = await makeTempDir('telemed-telemetry-');
    db = openDatabase(dir);
    await seedDemoAccounts(db, 'unit-test-password');
    const crew = new AccountsRepository(db).findCredentials('amb.sun')!.user;
    const room = new ConsultRoomsRepository(db).create(crew.id, '🚑 120-12', []);
    runId = new RunsRepository(db).create({
      callsign: '120-12',
      patient: { complaint: 'chest pain', category: 'chest-pain' },
      crewUserId: crew.id,
      crewInstitutionId: crew.institution.id,
      destinationId: 'county-hospital',
      roomId: room.id,
    }).id;
    store = new TelemetryStore(open());
  });

  afterEach(async () => {
    for (const conn of connections.splice(0)) conn.close();
    db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('stores a stream in order and answers the highest seq stored', () => {
    expect(store.append(runId, 'vitals', [vitals(1), vitals(2), vitals(3)])).toMatchObject({ acked: 3 });
    expect(store.append(runId, 'vitals', [vitals(4)]).stored.map((s) => s.seq)).toEqual([4]);
    expect(seqs('vitals')).toEqual([1, 2, 3, 4]);
    expect(store.history(runId, 'vitals', 0, 10)[1]).toEqual(vitals(2));
  });

  it('stores each seq once: a resent push and an overlapping one add only what is new', () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    const again = store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    expect(again).toEqual({ acked: 2, stored: [] });
    const overlap = store.append(runId, 'vitals', [vitals(2), vitals(3), vitals(4)]);
    expect(overlap.acked).toBe(4);
    expect(overlap.stored.map((s) => s.seq)).toEqual([3, 4]);
    expect(seqs('vitals')).toEqual([1, 2, 3, 4]);
  });

  it('refuses a different sample under a stored seq with CONFLICT and stores nothing of that push', () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    // A second sender numbering from 1 again (a lost journal): its 2 is not ours, its 3 is new.
    const conflict = () => store.append(runId, 'vitals', [vitals(2, { hr: 91 }), vitals(3)]);
    expect(conflict).toThrowError(ProtocolError);
    expect(conflict).toThrowError(
      /seq 2 of vitals already holds a different sample; resume from acked\+1 \(3\)/,
    );
    try {
      conflict();
    } catch (err) {
      expect((err as ProtocolError).code).toBe('CONFLICT');
    }
    expect(seqs('vitals')).toEqual([1, 2]);
    expect(store.history(runId, 'vitals', 1, 1)).toEqual([vitals(2)]);
    // A field more, a time apart: different as well.
    expect(() => store.append(runId, 'vitals', [vitals(1, { etco2: 35 })])).toThrowError(/seq 1 of vitals/);
    expect(() => store.append(runId, 'vitals', [{ ...vitals(1), t: vitals(1).t + 1 }])).toThrowError(
      /different sample/,
    );
  });

  it('compares ECG by its bytes', () => {
    store.append(runId, 'ecg', [ecgChunk(1), ecgChunk(2)]);
    const other = { ...ecgChunk(2), data: ecgChunk(3).data };
    expect(() => store.append(runId, 'ecg', [ecgChunk(1), other])).toThrowError(/seq 2 of ecg/);
    expect(store.append(runId, 'ecg', [ecgChunk(1), ecgChunk(2), ecgChunk(3)])).toMatchObject({ acked: 3 });
    expect(store.history(runId, 'ecg', 0, 10)).toEqual([ecgChunk(1), ecgChunk(2), ecgChunk(3)]);
  });

  it('acks the same sample resent whatever its key order and undefined optional fields', () => {
    store.append(runId, 'vitals', [vitals(1)]);
    const { rr, spo2, hr, t, seq } = vitals(1);
    const reordered = { rr, spo2, hr, t, seq, etco2: undefined, nibp: undefined };
    expect(store.append(runId, 'vitals', [reordered, vitals(2)])).toMatchObject({ acked: 2 });
  });

  it('stores event text trimmed, and a resend with or without the spaces is the same sample', () => {
    const spaced = event(1, '  Aspirin 300 mg given \n');
    const first = store.append(runId, 'event', [spaced]);
    expect(first.stored).toEqual([event(1)]);
    expect(store.history(runId, 'event', 0, 10)).toEqual([event(1)]);
    expect(store.append(runId, 'event', [spaced])).toEqual({ acked: 1, stored: [] });
    expect(store.append(runId, 'event', [event(1)])).toEqual({ acked: 1, stored: [] });
    expect(() => store.append(runId, 'event', [event(1, 'Aspirin 100 mg given')])).toThrowError(
      /seq 1 of event/,
    );
  });

  it('stops at the first gap and answers the last seq before it', () => {
    store.append(runId, 'event', [event(1)]);
    expect(store.append(runId, 'event', [event(3), event(4)])).toEqual({ acked: 1, stored: [] });
    expect(store.append(runId, 'event', [event(2), event(3), event(5)]).acked).toBe(3);
    expect(seqs('event')).toEqual([1, 2, 3]);
  });

  it('keeps the streams of a run apart', () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    store.append(runId, 'ecg', [ecgChunk(1)]);
    expect(store.acks(runId)).toEqual({ vitals: 2, position: 0, event: 0, ecg: 1 });
  });

  it('keeps ECG samples as bytes and gives back the same chunk', () => {
    store.append(runId, 'ecg', [ecgChunk(1), ecgChunk(2)]);
    expect(store.history(runId, 'ecg', 1, 10)).toEqual([ecgChunk(2)]);
    const row = db
      .prepare("SELECT data, sample FROM telemetry_samples WHERE run_id = ? AND stream = 'ecg' AND seq = 1")
      .get(runId) as { data: Buffer; sample: string };
    expect(Buffer.isBuffer(row.data)).toBe(true);
    expect(row.data.length).toBe(12 * 125 * 2);
    expect(row.sample).not.toContain('data');
  });

  it('refuses out-of-order or repeated seqs in one push at the schema', () => {
    for (const items of [
      [vitals(2), vitals(1)],
      [vitals(1), vitals(1)],
    ]) {
      const parsed = TelemetryPushSchema.safeParse({ runId, stream: 'vitals', items });
      expect(parsed.success).toBe(false);
    }
    expect(TelemetryPushSchema.safeParse({ runId, stream: 'vitals', items: [ecgChunk(1)] }).success).toBe(
      false,
    );
  });

  it('takes no new samples once the run arrived, but still acks duplicates', () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    new RunsRepository(db).markArrived(runId, new Date().toISOString());
    expect(store.append(runId, 'vitals', [vitals(1), vitals(2)])).toEqual({ acked: 2, stored: [] });
    expect(() => store.append(runId, 'vitals', [vitals(2), vitals(3)])).toThrowError(ProtocolError);
    expect(seqs('vitals')).toEqual([1, 2]);
  });

  it('refuses a different sample under a stored seq after arrival too', () => {
    store.append(runId, 'vitals', [vitals(1)]);
    new RunsRepository(db).markArrived(runId, new Date().toISOString());
    expect(() => store.append(runId, 'vitals', [vitals(1, { hr: 60 })])).toThrowError(/different sample/);
  });

  it('refuses an unknown run with NOT_FOUND', () => {
    expect(() => store.append('no-such-run', 'vitals', [vitals(1)])).toThrowError(/No such ambulance run/);
  });

  it('keeps what it acknowledged when the database is reopened', () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2), vitals(3)]);
    store.append(runId, 'ecg', [ecgChunk(1)]);
    const reopened = new TelemetryStore(open());
    expect(reopened.acks(runId)).toMatchObject({ vitals: 3, ecg: 1 });
    expect(reopened.append(runId, 'vitals', [vitals(3), vitals(4)]).acked).toBe(4);
    expect(reopened.history(runId, 'ecg', 0, 10)).toEqual([ecgChunk(1)]);
  });

  it('keeps what it acknowledged after a crash: the files as a killed process leaves them', async () => {
    store.append(runId, 'vitals', [vitals(1), vitals(2)]);
    store.append(runId, 'ecg', [ecgChunk(1), ecgChunk(2)]);
    // No close, no checkpoint: the acked rows exist only in the WAL file. Copying the files now is
    // what a process killed at this instant would leave on disk.
    const crashed = await makeTempDir('telemed-telemetry-crash-');
    try {
      for (const name of await fs.readdir(dir)) {
        if (name.startsWith(DB_FILE_NAME)) await fs.copyFile(path.join(dir, name), path.join(crashed, name));
      }
      expect(await fs.readdir(crashed)).toContain(`${DB_FILE_NAME}-wal`);
      const conn = openDatabase(crashed);
      try {
        const recovered = new TelemetryStore(conn);
        expect(recovered.acks(runId)).toMatchObject({ vitals: 2, ecg: 2 });
        expect(recovered.history(runId, 'ecg', 0, 10)).toEqual([ecgChunk(1), ecgChunk(2)]);
      } finally {
        conn.close();
      }
    } finally {
      await fs.rm(crashed, { recursive: true, force: true });
    }
  });

  it('commits telemetry with synchronous = FULL', () => {
    const conn = open();
    new TelemetryStore(conn);
    expect(conn.pragma('synchronous', { simple: true })).toBe(2);
  });
});
