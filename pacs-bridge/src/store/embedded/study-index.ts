// The index half of the embedded store: patients/studies/series/instances in SQLite (WAL), holding the
// QIDO-RS attributes. A row is only written after its file has been renamed into place, and each
// instance's rows go in one transaction, so the index never points at a file that is not whole.
import Database from 'better-sqlite3';
import type { InstanceRecord } from '../../api.js';

export type Db = Database.Database;
type Statement = Database.Statement;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS patients (
  patient_key INTEGER PRIMARY KEY,
  institution_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  patient_name TEXT,
  birth_date TEXT,
  sex TEXT,
  UNIQUE (institution_id, patient_id)
);
CREATE TABLE IF NOT EXISTS studies (
  study_uid TEXT PRIMARY KEY,
  patient_key INTEGER NOT NULL REFERENCES patients(patient_key),
  institution_id TEXT NOT NULL,
  study_date TEXT,
  study_time TEXT,
  accession_number TEXT,
  study_id TEXT,
  description TEXT,
  referring_physician TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS studies_by_institution ON studies (institution_id, study_date);
CREATE INDEX IF NOT EXISTS studies_by_accession ON studies (accession_number);
CREATE TABLE IF NOT EXISTS series (
  series_uid TEXT PRIMARY KEY,
  study_uid TEXT NOT NULL REFERENCES studies(study_uid),
  modality TEXT,
  series_number INTEGER,
  description TEXT
);
CREATE INDEX IF NOT EXISTS series_by_study ON series (study_uid);
CREATE TABLE IF NOT EXISTS instances (
  sop_uid TEXT PRIMARY KEY,
  series_uid TEXT NOT NULL REFERENCES series(series_uid),
  study_uid TEXT NOT NULL REFERENCES studies(study_uid),
  sop_class_uid TEXT NOT NULL,
  transfer_syntax_uid TEXT NOT NULL,
  instance_number INTEGER,
  rows INTEGER,
  columns INTEGER,
  number_of_frames INTEGER,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  institution_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS instances_by_series ON instances (series_uid, instance_number);
CREATE INDEX IF NOT EXISTS instances_by_study ON instances (study_uid);
`;

export interface InstanceRow {
  sop_uid: string;
  series_uid: string;
  study_uid: string;
  sop_class_uid: string;
  transfer_syntax_uid: string;
  instance_number: number | null;
  rows: number | null;
  columns: number | null;
  number_of_frames: number | null;
  size: number;
  sha256: string;
  path: string;
  institution_id: string;
  patient_id: string;
  patient_name: string | null;
  birth_date: string | null;
  sex: string | null;
  study_date: string | null;
  study_time: string | null;
  accession_number: string | null;
  study_id: string | null;
  study_description: string | null;
  referring_physician: string | null;
  modality: string | null;
  series_number: number | null;
  series_description: string | null;
}

const INSTANCE_SELECT = `
SELECT i.*, p.patient_id, p.patient_name, p.birth_date, p.sex,
       s.study_date, s.study_time, s.accession_number, s.study_id, s.description AS study_description,
       s.referring_physician, se.modality, se.series_number, se.description AS series_description
FROM instances i JOIN series se ON se.series_uid = i.series_uid JOIN studies s ON s.study_uid = i.study_uid
JOIN patients p ON p.patient_key = s.patient_key`;

export function openIndex(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL: commits do not fsync on the event loop (better-sqlite3 is synchronous, and one fsync per
  // instance serialised every ingest behind it). Durability comes from the store instead: after a
  // commit it fsyncs the WAL file off the main thread, coalesced across concurrent ingests
  // (`walPath`), before it reports the instance stored — so a reported row survives power loss.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

/** The write-ahead log whose fsync makes committed index rows durable (see openIndex). */
export const walPath = (indexPath: string): string => `${indexPath}-wal`;

export class StudyIndex {
  private readonly insertTx: (record: InstanceRecord, path: string) => void;
  private readonly statements = new Map<string, Statement>();

  /** Prepared once: preparing per call was a measurable share of a series retrieve. */
  private statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  constructor(readonly db: Db) {
    const upsertPatient = db.prepare(`
      INSERT INTO patients (institution_id, patient_id, patient_name, birth_date, sex)
      VALUES (@institutionId, @patientId, @patientName, @patientBirthDate, @patientSex)
      ON CONFLICT (institution_id, patient_id) DO UPDATE SET
        patient_name = COALESCE(patients.patient_name, excluded.patient_name),
        birth_date = COALESCE(patients.birth_date, excluded.birth_date),
        sex = COALESCE(patients.sex, excluded.sex)
      RETURNING patient_key`);
    const insertStudy = db.prepare(`
      INSERT INTO studies (study_uid, patient_key, institution_id, study_date, study_time, accession_number,
        study_id, description, referring_physician, created_at)
      VALUES (@studyInstanceUid, @patientKey, @institutionId, @studyDate, @studyTime, @accessionNumber,
        @studyId, @studyDescription, @referringPhysicianName, @now)
      ON CONFLICT (study_uid) DO NOTHING`);
    const insertSeries = db.prepare(`
      INSERT INTO series (series_uid, study_uid, modality, series_number, description)
      VALUES (@seriesInstanceUid, @studyInstanceUid, @modality, @seriesNumber, @seriesDescription)
      ON CONFLICT (series_uid) DO NOTHING`);
    const insertInstance = db.prepare(`
      INSERT INTO instances (sop_uid, series_uid, study_uid, sop_class_uid, transfer_syntax_uid, instance_number,
        rows, columns, number_of_frames, size, sha256, path, institution_id, created_at)
      VALUES (@sopInstanceUid, @seriesInstanceUid, @studyInstanceUid, @sopClassUid, @transferSyntaxUid,
        @instanceNumber, @rows, @columns, @numberOfFrames, @size, @sha256, @path, @institutionId, @now)`);
    this.insertTx = db.transaction((record: InstanceRecord, path: string) => {
      const params = {
        ...nulls(record),
        path,
        now: new Date().toISOString(),
        patientId: record.patientId ?? '',
      };
      const { patient_key } = upsertPatient.get(params) as { patient_key: number };
      insertStudy.run({ ...params, patientKey: patient_key });
      insertSeries.run(params);
      insertInstance.run(params);
    });
  }

  insert(record: InstanceRecord, path: string): void {
    this.insertTx(record, path);
  }

  find(sopUid: string): InstanceRow | undefined {
    return this.statement(`${INSTANCE_SELECT} WHERE i.sop_uid = ?`).get(sopUid) as InstanceRow | undefined;
  }

  /** Just the file of an instance: the retrieve path needs nothing else. */
  pathOf(sopUid: string): string | undefined {
    return this.statement('SELECT path FROM instances WHERE sop_uid = ?').pluck().get(sopUid) as
      string | undefined;
  }

  instances(studyUid: string, seriesUid?: string): InstanceRow[] {
    const where = seriesUid ? 'i.study_uid = ? AND i.series_uid = ?' : 'i.study_uid = ?';
    const args = seriesUid ? [studyUid, seriesUid] : [studyUid];
    return this.statement(
      `${INSTANCE_SELECT} WHERE ${where}
        ORDER BY se.series_number IS NULL, se.series_number, se.series_uid, i.instance_number IS NULL, i.instance_number, i.sop_uid`,
    ).all(...args) as InstanceRow[];
  }

  /** Counts after an insert, for the live `instanceAdded` event. */
  counts(
    studyUid: string,
    seriesUid: string,
  ): { series: number; instances: number; seriesInstances: number } {
    const row = this.statement(
      `SELECT (SELECT COUNT(*) FROM series WHERE study_uid = @s) AS series,
                       (SELECT COUNT(*) FROM instances WHERE study_uid = @s) AS instances,
                       (SELECT COUNT(*) FROM instances WHERE series_uid = @se) AS seriesInstances`,
    ).get({ s: studyUid, se: seriesUid }) as { series: number; instances: number; seriesInstances: number };
    return row;
  }

  instanceCount(): number {
    return (this.statement('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n;
  }
}

const RECORD_FIELDS = [
  'patientName',
  'patientBirthDate',
  'patientSex',
  'studyDate',
  'studyTime',
  'studyDescription',
  'studyId',
  'accessionNumber',
  'referringPhysicianName',
  'modality',
  'seriesNumber',
  'seriesDescription',
  'instanceNumber',
  'rows',
  'columns',
  'numberOfFrames',
] as const;

/** better-sqlite3 needs every named parameter bound; absent optional attributes become NULL. */
function nulls(record: InstanceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const key of RECORD_FIELDS) out[key] = record[key] ?? null;
  return out;
}

export function rowToRecord(row: InstanceRow): InstanceRecord {
  const record: InstanceRecord = {
    studyInstanceUid: row.study_uid,
    seriesInstanceUid: row.series_uid,
    sopInstanceUid: row.sop_uid,
    sopClassUid: row.sop_class_uid,
    transferSyntaxUid: row.transfer_syntax_uid,
    size: row.size,
    sha256: row.sha256,
    institutionId: row.institution_id,
  };
  const optional: Partial<InstanceRecord> = {
    patientId: row.patient_id || undefined,
    patientName: row.patient_name ?? undefined,
    patientBirthDate: row.birth_date ?? undefined,
    patientSex: row.sex ?? undefined,
    studyDate: row.study_date ?? undefined,
    studyTime: row.study_time ?? undefined,
    studyDescription: row.study_description ?? undefined,
    studyId: row.study_id ?? undefined,
    accessionNumber: row.accession_number ?? undefined,
    referringPhysicianName: row.referring_physician ?? undefined,
    modality: row.modality ?? undefined,
    seriesNumber: row.series_number ?? undefined,
    seriesDescription: row.series_description ?? undefined,
    instanceNumber: row.instance_number ?? undefined,
    rows: row.rows ?? undefined,
    columns: row.columns ?? undefined,
    numberOfFrames: row.number_of_frames ?? undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  }
  return record;
}
