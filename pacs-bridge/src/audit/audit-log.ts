// The audit record: append-only and hash-chained in SQLite. Each entry's hash is sha256 over the
// previous hash and the canonical JSON of the entry; a head row (last seq and hash, HMAC-signed with a
// key kept outside the database) lets verification notice entries cut off the end, which a chain
// alone cannot. Triggers refuse UPDATE and DELETE, so tampering needs deliberate surgery on the file.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry, AuditLog } from '../api.js';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  institution_id TEXT NOT NULL,
  action TEXT NOT NULL,
  study_uid TEXT,
  result TEXT NOT NULL,
  detail TEXT,
  source TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_study ON audit_log (study_uid, seq);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit_log (user_id, seq);
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'time' | 'prevHash' | 'hash'>;

interface AuditRow {
  seq: number;
  time: string;
  user_id: string;
  role: AuditEntry['role'];
  institution_id: string;
  action: AuditEntry['action'];
  study_uid: string | null;
  result: AuditEntry['result'];
  detail: string | null;
  source: string | null;
  prev_hash: string;
  hash: string;
}

export const auditDbPath = (dataDir: string): string => join(dataDir, 'audit.sqlite');

/** The HMAC key for the head checkpoint: TELEMED_AUDIT_KEY, or a key file created on first use. */
export function auditKey(dataDir: string): Buffer {
  const fromEnv = process.env.TELEMED_AUDIT_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const path = join(dataDir, 'audit.key');
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
}

export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(entry)).digest('hex');
}

export const headSignature = (key: Buffer, seq: number, hash: string): string =>
  createHmac('sha256', key).update(`${seq}:${hash}`).digest('hex');

export function rowToEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    seq: row.seq,
    time: row.time,
    userId: row.user_id,
    role: row.role,
    institutionId: row.institution_id,
    action: row.action,
    result: row.result,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.study_uid !== null) entry.studyInstanceUid = row.study_uid;
  if (row.detail !== null) entry.detail = row.detail;
  if (row.source !== null) entry.source = row.source;
  return entry;
}

export interface AuditQuery {
  studyInstanceUid?: string;
  userId?: string;
  limit?: number;
  /** Only entries with seq greater than this (paging). */
  afterSeq?: number;
}

export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;
  private readonly key: Buffer;
  private readonly appendTx: (entry: NewAuditEntry) => AuditEntry;

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.key = auditKey(dataDir);
    this.db = new Database(auditDbPath(dataDir));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
    const insert = this.db.prepare(`INSERT INTO audit_log
      (seq, time, user_id, role, institution_id, action, study_uid, result, detail, source, prev_hash, hash)
      VALUES (@seq, @time, @userId, @role, @institutionId, @action, @studyInstanceUid, @result, @detail, @source, @prevHash, @hash)`);
    const setHead = this.db
      .prepare(`INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, @seq, @hash, @signature)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, signature = excluded.signature`);
    this.appendTx = this.db.transaction((input: NewAuditEntry) => {
      const last = head.get() as { seq: number; hash: string } | undefined;
      const base: Omit<AuditEntry, 'prevHash' | 'hash'> = {
        seq: (last?.seq ?? 0) + 1,
        time: this.now().toISOString(),
        userId: input.userId,
        role: input.role,
        institutionId: input.institutionId,
        action: input.action,
        result: input.result,
        ...(input.studyInstanceUid !== undefined ? { studyInstanceUid: input.studyInstanceUid } : {}),
        ...(input.detail !== undefined ? { detail: input.detail } : {}),
        ...(input.source !== undefined ? { source: input.source } : {}),
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const entry: AuditEntry = { ...base, prevHash, hash: entryHash(prevHash, base) };
      insert.run({ studyInstanceUid: null, detail: null, source: null, ...entry });
      setHead.run({
        seq: entry.seq,
        hash: entry.hash,
        signature: headSignature(this.key, entry.seq, entry.hash),
      });
      return entry;
    });
  }

  append(entry: NewAuditEntry): void {
    this.appendTx(entry);
  }

  /** Appends and returns the stored entry (seq, time and hashes filled in). */
  record(entry: NewAuditEntry): AuditEntry {
    return this.appendTx(entry);
  }

  query(q: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.studyInstanceUid) {
      where.push('study_uid = ?');
      params.push(q.studyInstanceUid);
    }
    if (q.userId) {
      where.push('user_id = ?');
      params.push(q.userId);
    }
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(q.afterSeq);
    }
    const limit = Math.min(Math.max(q.limit ?? 1000, 1), 10_000);
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`,
      )
      .all(...params, limit) as AuditRow[];
    return rows.map(rowToEntry);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
