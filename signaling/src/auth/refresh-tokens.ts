// Long-lived refresh tokens: opaque random strings of which only a SHA-256 is stored. Each use
// rotates the token; presenting an already rotated token means it was copied, so the whole family
// (every token descended from that login) is revoked and the thief and the owner both log in again.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';

export type RotateResult =
  | { ok: true; userId: string; token: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

interface Row {
  token_hash: string;
  family_id: string;
  user_id: string;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class RefreshTokenRepository {
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
    /** Milliseconds since the epoch; tests move it. */
    private readonly now: () => number = Date.now,
  ) {}

  /** A new family (one per login). */
  issue(userId: string): string {
    // Expired rows are of no use to anyone; clearing them at login keeps the table small.
    this.db.prepare('DELETE FROM refresh_tokens WHERE expires_at < ?').run(this.now());
    return this.insert(userId, randomUUID());
  }

  rotate(token: string): RotateResult {
    const run = this.db.transaction((): RotateResult => {
      const row = this.db
        .prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?')
        .get(hashToken(token)) as Row | undefined;
      const now = this.now();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
      if (row.rotated_at !== null) {
        this.revokeFamily(row.family_id);
        return { ok: false, reason: 'reused' };
      }
      if (row.expires_at <= now) return { ok: false, reason: 'expired' };
      this.db
        .prepare('UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?')
        .run(now, row.token_hash);
      return { ok: true, userId: row.user_id, token: this.insert(row.user_id, row.family_id) };
    });
    return run.immediate();
  }

  /** Logout: the token's whole family stops working. Unknown tokens are ignored. */
  revoke(token: string): void {
    const row = this.db
      .prepare('SELECT family_id FROM refresh_tokens WHERE token_hash = ?')
      .get(hashToken(token)) as { family_id: string } | undefined;
    if (row) this.revokeFamily(row.family_id);
  }

  private revokeFamily(familyId: string): void {
    this.db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL')
      .run(this.now(), familyId);
  }

  private insert(userId: string, familyId: string): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.db
      .prepare(
        'INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hashToken(token), familyId, userId, now, now + this.ttlSeconds * 1000);
    return token;
  }
}
