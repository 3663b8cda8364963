// Verifying the audit chain: every entry's hash recomputed, every link to its predecessor checked,
// sequence numbers contiguous from 1 (a removed entry leaves a gap), and the signed head matching the
// last entry (entries removed from the end leave the head pointing past them).
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../api.js';
import { auditDbPath, auditKey, entryHash, GENESIS_HASH, headSignature, rowToEntry } from './audit-log.js';

export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; seq?: number; problem: string };

export function verifyAudit(dataDir: string): AuditVerification {
  const path = auditDbPath(dataDir);
  if (!existsSync(path)) return { ok: false, entries: 0, problem: `no audit log at ${path}` };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const key = auditKey(dataDir);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<
      Parameters<typeof rowToEntry>[0]
    >;
    for (const row of rows) {
      const entry = rowToEntry(row);
      count++;
      if (entry.seq !== expectedSeq) {
        return {
          ok: false,
          entries: count,
          seq: expectedSeq,
          problem: `entry ${expectedSeq} is missing (next present is ${entry.seq})`,
        };
      }
      if (entry.prevHash !== prevHash) {
        return {
          ok: false,
          entries: count,
          seq: entry.seq,
          problem: `entry ${entry.seq} does not link to the entry before it`,
        };
      }
      const { hash, prevHash: _prev, ...body } = entry;
      if (entryHash(prevHash, body as Omit<AuditEntry, 'prevHash' | 'hash'>) !== hash) {
        return {
          ok: false,
          entries: count,
          seq: entry.seq,
          problem: `entry ${entry.seq} was changed (hash mismatch)`,
        };
      }
      prevHash = hash;
      expectedSeq++;
    }
    const head = db.prepare('SELECT seq, hash, signature FROM audit_head WHERE id = 1').get() as
      { seq: number; hash: string; signature: string } | undefined;
    if (!head) {
      return count === 0
        ? { ok: true, entries: 0, headHash: GENESIS_HASH }
        : { ok: false, entries: count, problem: 'the audit head checkpoint is missing' };
    }
    if (head.signature !== headSignature(key, head.seq, head.hash)) {
      return {
        ok: false,
        entries: count,
        seq: head.seq,
        problem: 'the audit head checkpoint signature is invalid (head was altered)',
      };
    }
    if (head.seq !== count || head.hash !== prevHash) {
      return {
        ok: false,
        entries: count,
        seq: count + 1,
        problem: `the head says ${head.seq} entries but ${count} are present: entries were removed from the end`,
      };
    }
    return { ok: true, entries: count, headHash: prevHash };
  } finally {
    db.close();
  }
}
