// The embedded database: one SQLite file in WAL mode, so readers never wait for the writer and two
// signalling processes on one machine can share it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export const DB_FILE_NAME = 'telemed.db';

export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process may hold the write lock for a moment (a second node migrating or seeding).
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the migrations newer than `user_version`, all in one write transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const apply = db.transaction(() => {
    // Read inside the write lock: two processes starting together must not both apply version N.
    let current = db.pragma('user_version', { simple: true }) as number;
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      current = m.version;
    }
    return current;
  });
  return apply.immediate();
}
