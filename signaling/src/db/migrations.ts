// Schema versions, applied in order; `PRAGMA user_version` records the last one applied. Never edit a
// released migration: add the next one.
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'institutions, users, refresh tokens, consult rooms, invitees, chat',
    sql: `
      CREATE TABLE institutions (
        id   TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('hospital', 'clinic', 'ambulance-service'))
      );
      CREATE TABLE users (
        id             TEXT PRIMARY KEY,
        username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name   TEXT NOT NULL,
        role           TEXT NOT NULL CHECK (role IN ('specialist', 'clinician', 'ambulance', 'admin')),
        institution_id TEXT NOT NULL REFERENCES institutions(id),
        -- scrypt$N=…,r=…,p=…,len=…$salt$hash: each user's salt and cost travel with the hash
        password_hash  TEXT NOT NULL,
        created_at     TEXT NOT NULL
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,           -- SHA-256 of the opaque token; the token itself is never stored
        family_id  TEXT NOT NULL,              -- every token rotated from one login
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        issued_at  INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        rotated_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
      CREATE TABLE consult_rooms (
        id         TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        owner_id   TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL
      );
      CREATE INDEX consult_rooms_owner ON consult_rooms(owner_id);
      CREATE TABLE room_invitees (
        room_id    TEXT NOT NULL REFERENCES consult_rooms(id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        invited_at TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE INDEX room_invitees_user ON room_invitees(user_id);
      CREATE TABLE chat_messages (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        room_id      TEXT NOT NULL REFERENCES consult_rooms(id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL,
        display_name TEXT NOT NULL,
        text         TEXT NOT NULL,
        sent_at      TEXT NOT NULL
      );
      CREATE INDEX chat_messages_room ON chat_messages(room_id, seq);
    `,
  },
];
