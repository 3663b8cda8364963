// What the bridge remembers about instances it put into an upstream PACS: which institution sent
// them (the PACS has no notion of our institutions) and the sha256 of the bytes (so a re-send is
// told apart from a conflicting one without fetching the PACS's copy). The PACS stays the source
// of truth for what exists; this table only adds what it cannot know.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstanceRecord } from '../api.js';

export interface IndexedInstance {
  record: InstanceRecord;
  /** The PACS's own id for the instance (Orthanc's instance id), when known. */
  upstreamId?: string;
}

interface Row {
  record_json: string;
  upstream_id: string | null;
}

export class UpstreamIndex {
  private readonly db: Database.Database;

  /** `path` is a SQLite file, or ':memory:' for a throwaway index. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS upstream_instances (
        sop_uid TEXT PRIMARY KEY,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        institution_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        upstream_id TEXT,
        record_json TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS upstream_instances_study ON upstream_instances (study_uid, series_uid);
      CREATE INDEX IF NOT EXISTS upstream_instances_institution ON upstream_instances (institution_id, study_uid);
    `);
  }

  get(sopUid: string): IndexedInstance | undefined {
    const row = this.db
      .prepare('SELECT record_json, upstream_id FROM upstream_instances WHERE sop_uid = ?')
      .get(sopUid) as Row | undefined;
    return row ? toIndexed(row) : undefined;
  }

  /** Records an instance; an existing row for the SOP Instance UID is left alone (first wins). */
  add(record: InstanceRecord, upstreamId?: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO upstream_instances (sop_uid, study_uid, series_uid, institution_id, sha256, upstream_id, record_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.sopInstanceUid,
        record.studyInstanceUid,
        record.seriesInstanceUid,
        record.institutionId,
        record.sha256,
        upstreamId ?? null,
        JSON.stringify(record),
      );
  }

  setUpstreamId(sopUid: string, upstreamId: string): void {
    this.db
      .prepare('UPDATE upstream_instances SET upstream_id = ? WHERE sop_uid = ?')
      .run(upstreamId, sopUid);
  }

  instances(studyUid: string, seriesUid?: string): IndexedInstance[] {
    const rows = (
      seriesUid
        ? this.db
            .prepare(
              'SELECT record_json, upstream_id FROM upstream_instances WHERE study_uid = ? AND series_uid = ?',
            )
            .all(studyUid, seriesUid)
        : this.db
            .prepare('SELECT record_json, upstream_id FROM upstream_instances WHERE study_uid = ?')
            .all(studyUid)
    ) as Row[];
    return rows.map(toIndexed);
  }

  /** The institution that sent the study's first instance through the bridge. */
  studyInstitution(studyUid: string): string | undefined {
    const row = this.db
      .prepare('SELECT institution_id FROM upstream_instances WHERE study_uid = ? ORDER BY rowid LIMIT 1')
      .get(studyUid) as { institution_id: string } | undefined;
    return row?.institution_id;
  }

  /** Studies owned by any of these institutions. */
  studiesOf(institutions: readonly string[]): Set<string> {
    const out = new Set<string>();
    const stmt = this.db
      .prepare('SELECT DISTINCT study_uid FROM upstream_instances WHERE institution_id = ?')
      .pluck();
    for (const institution of institutions) for (const uid of stmt.all(institution) as string[]) out.add(uid);
    return out;
  }

  counts(
    studyUid: string,
    seriesUid: string,
  ): { series: number; instances: number; seriesInstances: number } {
    const row = this.db
      .prepare(
        `SELECT COUNT(DISTINCT series_uid) AS series, COUNT(*) AS instances,
                SUM(CASE WHEN series_uid = ? THEN 1 ELSE 0 END) AS seriesInstances
         FROM upstream_instances WHERE study_uid = ?`,
      )
      .get(seriesUid, studyUid) as { series: number; instances: number; seriesInstances: number | null };
    return { series: row.series, instances: row.instances, seriesInstances: row.seriesInstances ?? 0 };
  }

  close(): void {
    this.db.close();
  }
}

function toIndexed(row: Row): IndexedInstance {
  const record = JSON.parse(row.record_json) as InstanceRecord;
  return row.upstream_id ? { record, upstreamId: row.upstream_id } : { record };
}
