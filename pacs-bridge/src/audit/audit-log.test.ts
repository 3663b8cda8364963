import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditDbPath, SqliteAuditLog } from './audit-log.js';
import { verifyAudit } from './verify-audit.js';

describe('hash-chained audit log', () => {
  let dir: string;
  let log: SqliteAuditLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
    log = new SqliteAuditLog(dir);
    for (let i = 0; i < 10; i++) {
      log.append({
        userId: i % 2 ? 'nurse-zhao' : 'dr-wang',
        role: i % 2 ? 'clinician' : 'specialist',
        institutionId: 'township-clinic',
        action: i % 3 ? 'retrieve' : 'store',
        studyInstanceUid: i < 5 ? '1.2.3' : '1.2.4',
        result: 'ok',
        source: '127.0.0.1',
      });
    }
    log.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Tampering as an attacker with the database file would: drop the guards, then edit. */
  const tamper = (sql: string) => {
    const db = new Database(auditDbPath(dir));
    db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    db.exec(sql);
    db.close();
  };

  it('chains entries and verifies an untouched log', () => {
    const result = verifyAudit(dir);
    expect(result).toMatchObject({ ok: true, entries: 10 });
    const reopened = new SqliteAuditLog(dir);
    const entries = reopened.query();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    reopened.close();
  });

  it('answers queries by study and by user', () => {
    const reopened = new SqliteAuditLog(dir);
    expect(reopened.query({ studyInstanceUid: '1.2.4' })).toHaveLength(5);
    expect(reopened.query({ userId: 'nurse-zhao' }).every((e) => e.userId === 'nurse-zhao')).toBe(true);
    expect(reopened.query({ userId: 'nurse-zhao', studyInstanceUid: '1.2.3' }).map((e) => e.seq)).toEqual([
      2, 4,
    ]);
    reopened.close();
  });

  it('refuses UPDATE and DELETE through the database itself', () => {
    const db = new Database(auditDbPath(dir));
    expect(() => db.exec("UPDATE audit_log SET result = 'denied' WHERE seq = 3")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_log WHERE seq = 3')).toThrow(/append-only/);
    db.close();
  });

  it('detects a changed entry and says which', () => {
    tamper("UPDATE audit_log SET user_id = 'mallory' WHERE seq = 4");
    expect(verifyAudit(dir)).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/changed/) });
  });

  it('detects a changed entry whose hash was recomputed (the chain breaks after it)', () => {
    // Always a different first digit (a fixed prefix would be a no-op for 1 hash in 256).
    tamper(
      "UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) WHERE seq = 4",
    );
    const result = verifyAudit(dir);
    expect(result.ok).toBe(false);
    expect(result.ok ? 0 : result.seq).toBe(4);
  });

  it('detects a removed entry in the middle', () => {
    tamper('DELETE FROM audit_log WHERE seq = 6');
    expect(verifyAudit(dir)).toMatchObject({ ok: false, seq: 6, problem: expect.stringMatching(/missing/) });
  });

  it('detects entries removed from the end through the head checkpoint', () => {
    tamper('DELETE FROM audit_log WHERE seq >= 9');
    expect(verifyAudit(dir)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/removed from the end/),
    });
  });

  it('detects a head rewritten to hide trailing removal (signature)', () => {
    const db = new Database(auditDbPath(dir));
    const last = db.prepare('SELECT hash FROM audit_log WHERE seq = 8').pluck().get() as string;
    db.close();
    tamper(`DELETE FROM audit_log WHERE seq >= 9; UPDATE audit_head SET seq = 8, hash = '${last}'`);
    expect(verifyAudit(dir)).toMatchObject({ ok: false, problem: expect.stringMatching(/signature/) });
  });

  it('keeps chaining across restarts', () => {
    const again = new SqliteAuditLog(dir);
    const entry = again.record({
      userId: 'admin',
      role: 'admin',
      institutionId: 'county',
      action: 'share',
      result: 'ok',
    });
    again.close();
    expect(entry.seq).toBe(11);
    expect(verifyAudit(dir)).toMatchObject({ ok: true, entries: 11 });
  });
});

describe('audit:verify CLI', () => {
  it('exits 0 for an intact log, 1 with the place for a tampered one, 2 without a directory', async () => {
    const { runAuditVerifyCli } = await import('./verify-cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    try {
      const log = new SqliteAuditLog(dir);
      log.append({ userId: 'u', role: 'clinician', institutionId: 'i', action: 'store', result: 'ok' });
      log.append({ userId: 'u', role: 'clinician', institutionId: 'i', action: 'query', result: 'ok' });
      log.close();
      const lines: string[] = [];
      const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
      expect(runAuditVerifyCli(['--data-dir', dir], out)).toBe(0);
      expect(lines.pop()).toMatch(/OK: 2 entries/);
      const db = new Database(auditDbPath(dir));
      db.exec("DROP TRIGGER audit_no_update; UPDATE audit_log SET action = 'echo' WHERE seq = 1");
      db.close();
      expect(runAuditVerifyCli([`--data-dir=${dir}`], out)).toBe(1);
      expect(lines.pop()).toMatch(/TAMPERED: .*at seq 1/);
      const saved = process.env.TELEMED_DATA_DIR;
      delete process.env.TELEMED_DATA_DIR;
      expect(runAuditVerifyCli([], out)).toBe(2);
      expect(runAuditVerifyCli(['--data-dir', join(dir, 'nothing-here')], out)).toBe(2);
      if (saved !== undefined) process.env.TELEMED_DATA_DIR = saved;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
