// Migration 3 on a database created before it: institutions gain a location (the demo hospital's is
// filled in), and a fresh database gets the demo locations from seeding.
import fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { DEMO_INSTITUTION_LOCATIONS, seedDemoAccounts } from '../accounts/demo-accounts.js';
import { openDatabase } from '../db/database.js';
import { MIGRATIONS } from '../db/migrations.js';
import { makeTempDir } from '../test-support/platform.js';

describe('migration 3: institution locations and ambulance tables', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });

  it('locates the demo hospital of an existing database and leaves others unknown', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const old = openDatabase(
      dir,
      MIGRATIONS.filter((m) => m.version < 3),
    );
    const insert = old.prepare('INSERT INTO institutions (id, name, kind) VALUES (?, ?, ?)');
    insert.run('county-hospital', "County People's Hospital", 'hospital');
    insert.run('far-hospital', 'Far Hospital', 'hospital');
    old.close();
    const db = openDatabase(dir);
    try {
      const accounts = new AccountsRepository(db);
      expect(accounts.institution('county-hospital')?.location).toEqual(
        DEMO_INSTITUTION_LOCATIONS['county-hospital'],
      );
      expect(accounts.institution('far-hospital')?.location).toBeNull();
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    } finally {
      db.close();
    }
  });

  it('seeds a fresh database with the demo locations', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const db = openDatabase(dir);
    try {
      await seedDemoAccounts(db, 'unit-test-password');
      const hospitals = new AccountsRepository(db).hospitals();
      expect(hospitals).toEqual([
        expect.objectContaining({
          id: 'county-hospital',
          location: DEMO_INSTITUTION_LOCATIONS['county-hospital'],
        }),
      ]);
    } finally {
      db.close();
    }
  });
});
