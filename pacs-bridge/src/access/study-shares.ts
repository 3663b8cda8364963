// Which studies were shared with whom: signaling records a share when a study is attached to a consult
// room or a referral. Grants go to a user or to a room; room members are resolved through a callback
// (signaling owns room membership), so leaving a room ends the access without a second bookkeeping.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Grantee = { userId: string } | { roomId: string };

export interface ShareRecord {
  studyInstanceUid: string;
  granteeType: 'user' | 'room';
  granteeId: string;
  sharedBy?: string;
  createdAt: string;
}

export class StudyShares {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'access.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS study_shares (
      study_uid TEXT NOT NULL,
      grantee_type TEXT NOT NULL CHECK (grantee_type IN ('user', 'room')),
      grantee_id TEXT NOT NULL,
      shared_by TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (study_uid, grantee_type, grantee_id)
    );
    CREATE INDEX IF NOT EXISTS shares_by_grantee ON study_shares (grantee_type, grantee_id);`);
  }

  /** Records a share; returns false when it already existed. */
  share(studyInstanceUid: string, grantee: Grantee, sharedBy?: string): boolean {
    const [type, id] = 'userId' in grantee ? ['user', grantee.userId] : ['room', grantee.roomId];
    const info = this.db
      .prepare(
        `INSERT INTO study_shares (study_uid, grantee_type, grantee_id, shared_by, created_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(studyInstanceUid, type, id, sharedBy ?? null, new Date().toISOString());
    return info.changes > 0;
  }

  unshare(studyInstanceUid: string, grantee: Grantee): boolean {
    const [type, id] = 'userId' in grantee ? ['user', grantee.userId] : ['room', grantee.roomId];
    return (
      this.db
        .prepare('DELETE FROM study_shares WHERE study_uid = ? AND grantee_type = ? AND grantee_id = ?')
        .run(studyInstanceUid, type, id).changes > 0
    );
  }

  /** Studies shared with the user directly or with any of the given rooms. */
  studiesFor(userId: string, roomIds: readonly string[] = []): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT study_uid FROM study_shares
        WHERE (grantee_type = 'user' AND grantee_id = ?)
           OR (grantee_type = 'room' AND grantee_id IN (SELECT value FROM json_each(?)))`,
      )
      .pluck()
      .all(userId, JSON.stringify(roomIds)) as string[];
    return rows;
  }

  /** Rooms a study is attached to: where live `instanceAdded` events go. */
  roomsFor(studyInstanceUid: string): string[] {
    return this.db
      .prepare(
        `SELECT grantee_id FROM study_shares WHERE study_uid = ? AND grantee_type = 'room' ORDER BY grantee_id`,
      )
      .pluck()
      .all(studyInstanceUid) as string[];
  }

  /** Studies attached to a room (a consult or referral), oldest first. */
  attachedTo(roomId: string): ShareRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM study_shares WHERE grantee_type = 'room' AND grantee_id = ? ORDER BY created_at`,
      )
      .all(roomId) as ShareRow[];
    return rows.map(toRecord);
  }

  list(studyInstanceUid: string): ShareRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM study_shares WHERE study_uid = ? ORDER BY created_at')
      .all(studyInstanceUid) as ShareRow[];
    return rows.map(toRecord);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface ShareRow {
  study_uid: string;
  grantee_type: 'user' | 'room';
  grantee_id: string;
  shared_by: string | null;
  created_at: string;
}

const toRecord = (r: ShareRow): ShareRecord => ({
  studyInstanceUid: r.study_uid,
  granteeType: r.grantee_type,
  granteeId: r.grantee_id,
  ...(r.shared_by ? { sharedBy: r.shared_by } : {}),
  createdAt: r.created_at,
});
