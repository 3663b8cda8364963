// Ambulance runs as stored: who drives whom where, their consult room, prenotified teams and the
// handover saved at arrival. Telemetry lives in TelemetryStore.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type {
  AmbulanceRun,
  Handover,
  PatientSummary,
  Prenotification,
  ReceivingTeam,
  RunStatus,
} from '../protocol/index.js';

/** A run as stored; the board's live parts (acks, latest samples, prenotifications) are added when answering. */
export type RunRecord = Omit<AmbulanceRun, 'prenotifications' | 'acked' | 'latest'>;

export interface NewRun {
  callsign: string;
  patient: PatientSummary;
  crewUserId: string;
  crewInstitutionId: string;
  destinationId: string;
  roomId: string;
}

/** Which runs a list may show: any of these (an admin's list has no filter). */
export interface RunScope {
  destinationId?: string;
  crewInstitutionId?: string;
  crewUserId?: string;
}

interface RunRow {
  id: string;
  callsign: string;
  status: RunStatus;
  patient: string;
  crew_user_id: string;
  crew_name: string;
  crew_institution_id: string;
  destination_id: string;
  destination_name: string;
  lat: number | null;
  lon: number | null;
  room_id: string;
  created_at: string;
  arrived_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
}

const SELECT_RUN = `
  SELECT r.id, r.callsign, r.status, r.patient, r.crew_user_id, u.display_name AS crew_name,
         r.crew_institution_id, r.destination_id, i.name AS destination_name, i.lat, i.lon,
         r.room_id, r.created_at, r.arrived_at, r.cancelled_at, r.cancel_reason
  FROM ambulance_runs r
  JOIN users u ON u.id = r.crew_user_id
  JOIN institutions i ON i.id = r.destination_id`;

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    callsign: row.callsign,
    status: row.status,
    patient: JSON.parse(row.patient) as PatientSummary,
    crew: { userId: row.crew_user_id, name: row.crew_name, institutionId: row.crew_institution_id },
    destination: {
      id: row.destination_id,
      name: row.destination_name,
      location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    },
    roomId: row.room_id,
    createdAt: row.created_at,
    arrivedAt: row.arrived_at,
    ...(row.cancelled_at !== null
      ? { cancellation: { at: row.cancelled_at, reason: row.cancel_reason } }
      : {}),
  };
}

export class RunsRepository {
  constructor(private readonly db: Db) {}

  create(run: NewRun): RunRecord {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO ambulance_runs (id, callsign, status, patient, crew_user_id, crew_institution_id,
           destination_id, room_id, created_at) VALUES (?, ?, 'enroute', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        run.callsign,
        JSON.stringify(run.patient),
        run.crewUserId,
        run.crewInstitutionId,
        run.destinationId,
        run.roomId,
        new Date().toISOString(),
      );
    return this.get(id)!;
  }

  get(id: string): RunRecord | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Runs in scope (all when `scope` is null), newest first. */
  list(scope: RunScope | null, status?: RunStatus): RunRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope) {
      const any: string[] = [];
      const either = (clause: string, value: string | undefined) => {
        if (!value) return;
        any.push(clause);
        params.push(value);
      };
      either('r.destination_id = ?', scope.destinationId);
      either('r.crew_institution_id = ?', scope.crewInstitutionId);
      either('r.crew_user_id = ?', scope.crewUserId);
      if (any.length === 0) return [];
      where.push(`(${any.join(' OR ')})`);
    }
    if (status) {
      where.push('r.status = ?');
      params.push(status);
    }
    const sql = `${SELECT_RUN} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id`;
    return (this.db.prepare(sql).all(...params) as RunRow[]).map(toRecord);
  }

  countEnroute(): number {
    return this.db
      .prepare("SELECT COUNT(*) FROM ambulance_runs WHERE status = 'enroute'")
      .pluck()
      .get() as number;
  }

  /** enroute → arrived; false if the run was not en route. */
  markArrived(id: string, at: string): boolean {
    return (
      this.db
        .prepare(
          "UPDATE ambulance_runs SET status = 'arrived', arrived_at = ? WHERE id = ? AND status = 'enroute'",
        )
        .run(at, id).changes > 0
    );
  }

  /** enroute → cancelled; false if the run was not en route. */
  markCancelled(id: string, at: string, reason: string | null): boolean {
    return (
      this.db
        .prepare(
          "UPDATE ambulance_runs SET status = 'cancelled', cancelled_at = ?, cancel_reason = ? WHERE id = ? AND status = 'enroute'",
        )
        .run(at, reason, id).changes > 0
    );
  }

  /** Records a team call; false if that team was already called for this run. */
  addPrenotification(runId: string, team: ReceivingTeam, byUserId: string, byName: string): boolean {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO run_prenotifications (run_id, team, by_user_id, by_name, at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(runId, team, byUserId, byName, new Date().toISOString()).changes > 0
    );
  }

  prenotifications(runId: string): Prenotification[] {
    const rows = this.db
      .prepare(
        'SELECT team, by_user_id, by_name, at FROM run_prenotifications WHERE run_id = ? ORDER BY at, team',
      )
      .all(runId) as { team: ReceivingTeam; by_user_id: string; by_name: string; at: string }[];
    return rows.map((r) => ({ team: r.team, byUserId: r.by_user_id, byName: r.by_name, at: r.at }));
  }

  saveHandover(handover: Handover): void {
    this.db
      .prepare(
        `INSERT INTO run_handovers (run_id, body, study_uid, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(run_id) DO UPDATE SET body = excluded.body, study_uid = excluded.study_uid`,
      )
      .run(handover.runId, JSON.stringify(handover), handover.ecg.studyInstanceUid, handover.createdAt);
  }

  handover(runId: string): Handover | null {
    const body = this.db.prepare('SELECT body FROM run_handovers WHERE run_id = ?').pluck().get(runId) as
      string | undefined;
    return body ? (JSON.parse(body) as Handover) : null;
  }
}
