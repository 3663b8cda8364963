import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../protocol/index.js';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '../accounts/demo-accounts.js';
import { openDatabase, type Db } from '../db/database.js';
import { makeTempDir } from '../test-support/platform.js';
import { AccessTokens } from './access-tokens.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { AuthService } from './auth-service.js';
import { RefreshTokenRepository } from './refresh-tokens.js';

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const PASSWORD = 'demo-password';

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('AuthService', () => {
  let dir: string;
  let db: Db;
  let nowMs: number;
  let auth: AuthService;
  let tokens: AccessTokens;

  beforeEach(async () => {
    dir = await makeTempDir();
    db = openDatabase(dir);
    await seedDemoAccounts(db, PASSWORD);
    nowMs = Date.now();
    tokens = new AccessTokens(SECRET, 900, () => Math.floor(nowMs / 1000));
    auth = new AuthService(
      new AccountsRepository(db),
      tokens,
      new RefreshTokenRepository(db, 7 * 24 * 3600, () => nowMs),
      new AttemptLimiter({ max: 10, windowMs: 60_000 }, () => nowMs),
    );
  });

  afterEach(async () => {
    db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('seeds every demo account once', async () => {
    expect(
      new AccountsRepository(db)
        .list()
        .map((u) => u.username)
        .sort(),
    ).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
    expect(await seedDemoAccounts(db, PASSWORD)).toBe(false);
  });

  it('logs in with the right password and issues a verifiable token', async () => {
    const session = await auth.login('dr.wang', PASSWORD, '127.0.0.1');
    expect(session.user).toMatchObject({
      username: 'dr.wang',
      displayName: 'Dr. Wang Li',
      role: 'specialist',
      institution: { id: 'county-hospital', name: "County People's Hospital", kind: 'hospital' },
    });
    expect(session.expiresIn).toBe(900);
    expect(session.refreshToken.length).toBeGreaterThanOrEqual(16);
    const claims = await tokens.verify(session.accessToken);
    expect(claims).toMatchObject({
      sub: session.user.id,
      role: 'specialist',
      inst: 'county-hospital',
      name: 'Dr. Wang Li',
    });
    expect((await auth.authenticate(session.accessToken)).user.id).toBe(session.user.id);
  });

  it('usernames are case-insensitive', async () => {
    await expect(auth.login('Dr.Wang', PASSWORD, 'ip')).resolves.toMatchObject({
      user: { username: 'dr.wang' },
    });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrongPassword = await rejection(auth.login('dr.wang', 'nope', 'ip'));
    const unknownUser = await rejection(auth.login('dr.nobody', PASSWORD, 'ip'));
    expect(wrongPassword.code).toBe('UNAUTHORIZED');
    expect(unknownUser.code).toBe('UNAUTHORIZED');
    expect(wrongPassword.message).toBe(unknownUser.message);
  });

  it('rate-limits login attempts per address and username', async () => {
    for (let i = 0; i < 10; i++) await rejection(auth.login('dr.chen', 'wrong', '10.0.0.1'));
    // The 11th is refused even with the right password, before the password is looked at.
    expect((await rejection(auth.login('dr.chen', PASSWORD, '10.0.0.1'))).code).toBe('RATE_LIMITED');
    // Other usernames and other addresses are not affected.
    await expect(auth.login('dr.wang', PASSWORD, '10.0.0.1')).resolves.toBeDefined();
    await expect(auth.login('dr.chen', PASSWORD, '10.0.0.2')).resolves.toBeDefined();
    nowMs += 61_000;
    await expect(auth.login('dr.chen', PASSWORD, '10.0.0.1')).resolves.toBeDefined();
  });

  it('rotates refresh tokens', async () => {
    const first = await auth.login('nurse.zhao', PASSWORD, 'ip');
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(first.user.id);
    const third = await auth.refresh(second.refreshToken);
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('stores only a hash of refresh tokens', async () => {
    const session = await auth.login('nurse.zhao', PASSWORD, 'ip');
    const rows = db.prepare('SELECT token_hash FROM refresh_tokens').pluck().all() as string[];
    expect(rows).not.toContain(session.refreshToken);
    expect(rows.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  it('revokes the whole family when a rotated token is used again', async () => {
    const first = await auth.login('nurse.zhao', PASSWORD, 'ip');
    const second = await auth.refresh(first.refreshToken);
    // Someone replays the old token: refused, and the legitimate newer token dies with it.
    expect((await rejection(auth.refresh(first.refreshToken))).code).toBe('UNAUTHORIZED');
    expect((await rejection(auth.refresh(second.refreshToken))).code).toBe('UNAUTHORIZED');
    // Another login (another family) is unaffected.
    const other = await auth.login('nurse.zhao', PASSWORD, 'ip');
    await expect(auth.refresh(other.refreshToken)).resolves.toBeDefined();
  });

  it('refuses expired refresh tokens and logged-out ones', async () => {
    const a = await auth.login('dr.liu', PASSWORD, 'ip');
    nowMs += 7 * 24 * 3600 * 1000 + 1;
    expect((await rejection(auth.refresh(a.refreshToken))).code).toBe('UNAUTHORIZED');
    const b = await auth.login('dr.liu', PASSWORD, 'ip');
    auth.logout(b.refreshToken);
    expect((await rejection(auth.refresh(b.refreshToken))).code).toBe('UNAUTHORIZED');
    expect((await rejection(auth.refresh('x'.repeat(43)))).code).toBe('UNAUTHORIZED');
  });

  it('refuses an expired access token', async () => {
    const session = await auth.login('amb.sun', PASSWORD, 'ip');
    nowMs += 901_000;
    const err = await rejection(auth.authenticate(session.accessToken));
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: 'Access token expired' });
  });

  it('refuses forged, garbled and foreign tokens', async () => {
    const session = await auth.login('amb.sun', PASSWORD, 'ip');
    const forged =
      session.accessToken.slice(0, -4) + (session.accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const foreign = await new AccessTokens('another-secret-0123456789abcdefghijklmn', 900).issue(
      session.user,
    );
    for (const token of [forged, 'garbage', '', undefined, 42, foreign]) {
      expect((await rejection(auth.authenticate(token))).code).toBe('UNAUTHORIZED');
    }
  });
});
