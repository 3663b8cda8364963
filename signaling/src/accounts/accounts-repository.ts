// Institutions and users: who exists, how they are shown to others, and their password hash.
import { randomUUID } from 'node:crypto';
import type { GeoPoint, Institution, Role, UserInfo } from '../protocol/index.js';
import type { Db } from '../db/database.js';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  institutionId: string;
  passwordHash: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  institution_id: string;
  institution_name: string;
  institution_kind: Institution['kind'];
  password_hash: string;
}

const SELECT_USER = `
  SELECT u.id, u.username, u.display_name, u.role, u.institution_id, u.password_hash,
         i.name AS institution_name, i.kind AS institution_kind
  FROM users u JOIN institutions i ON i.id = u.institution_id`;

function toUserInfo(row: UserRow): UserInfo {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    institution: { id: row.institution_id, name: row.institution_name, kind: row.institution_kind },
  };
}

/** An institution with where it is (hospitals: the ambulance destination for ETA and the map). */
export interface LocatedInstitution extends Institution {
  location: GeoPoint | null;
}

interface InstitutionRow extends Institution {
  lat: number | null;
  lon: number | null;
}

const toLocated = ({ lat, lon, ...inst }: InstitutionRow): LocatedInstitution => ({
  ...inst,
  location: lat !== null && lon !== null ? { lat, lon } : null,
});

export class AccountsRepository {
  constructor(private readonly db: Db) {}

  upsertInstitution(inst: Institution): void {
    this.db
      .prepare(
        'INSERT INTO institutions (id, name, kind) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind',
      )
      .run(inst.id, inst.name, inst.kind);
  }

  setInstitutionLocation(id: string, location: GeoPoint | null): void {
    this.db
      .prepare('UPDATE institutions SET lat = ?, lon = ? WHERE id = ?')
      .run(location?.lat ?? null, location?.lon ?? null, id);
  }

  institution(id: string): LocatedInstitution | null {
    const row = this.db.prepare('SELECT id, name, kind, lat, lon FROM institutions WHERE id = ?').get(id) as
      InstitutionRow | undefined;
    return row ? toLocated(row) : null;
  }

  /** Institutions of kind hospital, by name. */
  hospitals(): LocatedInstitution[] {
    const rows = this.db
      .prepare("SELECT id, name, kind, lat, lon FROM institutions WHERE kind = 'hospital' ORDER BY name, id")
      .all() as InstitutionRow[];
    return rows.map(toLocated);
  }

  createUser(user: NewUser): UserInfo {
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO users (id, username, display_name, role, institution_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        user.username,
        user.displayName,
        user.role,
        user.institutionId,
        user.passwordHash,
        new Date().toISOString(),
      );
    return this.get(id)!;
  }

  countUsers(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  get(id: string): UserInfo | null {
    const row = this.db.prepare(`${SELECT_USER} WHERE u.id = ?`).get(id) as UserRow | undefined;
    return row ? toUserInfo(row) : null;
  }

  /** The user and their password hash, for a login attempt only. */
  findCredentials(username: string): { user: UserInfo; passwordHash: string } | null {
    const row = this.db.prepare(`${SELECT_USER} WHERE u.username = ?`).get(username) as UserRow | undefined;
    return row ? { user: toUserInfo(row), passwordHash: row.password_hash } : null;
  }

  list(): UserInfo[] {
    return (this.db.prepare(`${SELECT_USER} ORDER BY i.name, u.display_name`).all() as UserRow[]).map(
      toUserInfo,
    );
  }

  /** Which of these ids are not users (for validating invitations). */
  unknownIds(ids: readonly string[]): string[] {
    const exists = this.db.prepare('SELECT 1 FROM users WHERE id = ?').pluck();
    return ids.filter((id) => exists.get(id) === undefined);
  }
}
