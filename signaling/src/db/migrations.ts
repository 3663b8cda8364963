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
  {
    version: 2,
    description: 'referrals (consult requests), their reports and signed addenda',
    sql: `
      CREATE TABLE referrals (
        id                      TEXT PRIMARY KEY,
        study_uid               TEXT NOT NULL,
        modality                TEXT,
        clinical_question       TEXT NOT NULL,
        urgency                 TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent', 'emergency')),
        direction               TEXT NOT NULL CHECK (direction IN ('up', 'down')),
        status                  TEXT NOT NULL CHECK (status IN
                                  ('requested', 'claimed', 'in-report', 'reported', 'completed', 'declined', 'cancelled')),
        referrer_id             TEXT NOT NULL REFERENCES users(id),
        referrer_institution_id TEXT NOT NULL REFERENCES institutions(id),
        target_institution_id   TEXT NOT NULL REFERENCES institutions(id),
        target_department       TEXT,
        target_user_id          TEXT REFERENCES users(id),
        claimed_by              TEXT REFERENCES users(id),
        parent_id               TEXT REFERENCES referrals(id),
        reason                  TEXT,
        created_at              TEXT NOT NULL,
        updated_at              TEXT NOT NULL
      );
      CREATE INDEX referrals_target ON referrals(target_institution_id, status);
      CREATE INDEX referrals_referrer ON referrals(referrer_institution_id, status);
      CREATE TABLE reports (
        id                    TEXT PRIMARY KEY,
        referral_id           TEXT NOT NULL UNIQUE REFERENCES referrals(id),
        author_id             TEXT NOT NULL REFERENCES users(id),
        findings              TEXT NOT NULL,
        impression            TEXT NOT NULL,
        fields                TEXT NOT NULL, -- JSON object of structured fields
        updated_at            TEXT NOT NULL,
        signed_by             TEXT REFERENCES users(id),
        signed_by_name        TEXT,
        signed_by_institution TEXT,
        signed_at             TEXT,
        content_hash          TEXT,
        sr_sop_uid            TEXT,
        pdf_sop_uid           TEXT,
        dicom_error           TEXT
      );
      -- A signed report is immutable here too, whatever the code above does: only the DICOM copies'
      -- bookkeeping may still change.
      CREATE TRIGGER reports_signed_immutable BEFORE UPDATE ON reports
        WHEN OLD.signed_at IS NOT NULL AND (
          NEW.findings IS NOT OLD.findings OR NEW.impression IS NOT OLD.impression OR
          NEW.fields IS NOT OLD.fields OR NEW.author_id IS NOT OLD.author_id OR
          NEW.signed_by IS NOT OLD.signed_by OR NEW.signed_at IS NOT OLD.signed_at OR
          NEW.content_hash IS NOT OLD.content_hash OR NEW.referral_id IS NOT OLD.referral_id)
        BEGIN SELECT RAISE(ABORT, 'a signed report is immutable'); END;
      CREATE TRIGGER reports_signed_undeletable BEFORE DELETE ON reports WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a signed report is immutable'); END;
      CREATE TABLE report_addenda (
        seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
        id                    TEXT NOT NULL UNIQUE,
        report_id             TEXT NOT NULL REFERENCES reports(id),
        text                  TEXT NOT NULL,
        signed_by             TEXT NOT NULL REFERENCES users(id),
        signed_by_name        TEXT NOT NULL,
        signed_by_institution TEXT NOT NULL,
        signed_at             TEXT NOT NULL,
        content_hash          TEXT NOT NULL,
        sr_sop_uid            TEXT
      );
      CREATE INDEX report_addenda_report ON report_addenda(report_id, seq);
      CREATE TRIGGER report_addenda_immutable BEFORE UPDATE OF id, report_id, text, signed_by, signed_at, content_hash
        ON report_addenda BEGIN SELECT RAISE(ABORT, 'a signed addendum is immutable'); END;
      CREATE TRIGGER report_addenda_undeletable BEFORE DELETE ON report_addenda
        BEGIN SELECT RAISE(ABORT, 'a signed addendum is immutable'); END;
    `,
  },
  {
    version: 3,
    description: 'institution locations, ambulance runs, their telemetry, prenotifications and handovers',
    sql: `
      ALTER TABLE institutions ADD COLUMN lat REAL;
      ALTER TABLE institutions ADD COLUMN lon REAL;
      -- The demo hospital of databases created before locations existed (a fresh one is seeded with it).
      UPDATE institutions SET lat = 29.7932, lon = 119.6853 WHERE id = 'county-hospital';
      CREATE TABLE ambulance_runs (
        id                  TEXT PRIMARY KEY,
        callsign            TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('enroute', 'arrived', 'cancelled')),
        patient             TEXT NOT NULL, -- JSON PatientSummary (the crew's words: patient data)
        crew_user_id        TEXT NOT NULL REFERENCES users(id),
        crew_institution_id TEXT NOT NULL REFERENCES institutions(id),
        destination_id      TEXT NOT NULL REFERENCES institutions(id),
        room_id             TEXT NOT NULL REFERENCES consult_rooms(id),
        created_at          TEXT NOT NULL,
        arrived_at          TEXT
      );
      CREATE INDEX ambulance_runs_destination ON ambulance_runs(destination_id, status);
      CREATE INDEX ambulance_runs_crew ON ambulance_runs(crew_institution_id, status);
      -- Every sample once, keyed by its sequence number; the stored seqs of a stream are always
      -- 1..acked without gaps, so MAX(seq) is the acknowledgement. Clustered on the key: a stream's
      -- samples are contiguous on disk, and there is no second index to maintain per insert.
      CREATE TABLE telemetry_samples (
        run_id TEXT NOT NULL REFERENCES ambulance_runs(id),
        stream TEXT NOT NULL CHECK (stream IN ('vitals', 'position', 'event', 'ecg')),
        seq    INTEGER NOT NULL CHECK (seq >= 1),
        t      INTEGER NOT NULL,           -- device time, ms since the epoch
        sample TEXT NOT NULL,              -- JSON of the sample without seq, t (and ECG data)
        data   BLOB,                       -- ECG only: the int16 LE samples, lead after lead
        PRIMARY KEY (run_id, stream, seq)
      ) WITHOUT ROWID;
      CREATE TABLE run_prenotifications (
        run_id     TEXT NOT NULL REFERENCES ambulance_runs(id),
        team       TEXT NOT NULL CHECK (team IN ('stroke', 'chest-pain', 'trauma', 'obstetric')),
        by_user_id TEXT NOT NULL REFERENCES users(id),
        by_name    TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (run_id, team)
      );
      CREATE TABLE run_handovers (
        run_id     TEXT PRIMARY KEY REFERENCES ambulance_runs(id),
        body       TEXT NOT NULL,          -- JSON Handover
        study_uid  TEXT,                   -- the run's ECG study in the PACS
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: "cancelled ambulance runs: when, and the crew's reason",
    sql: `
      ALTER TABLE ambulance_runs ADD COLUMN cancelled_at TEXT;
      ALTER TABLE ambulance_runs ADD COLUMN cancel_reason TEXT; -- the crew's words (may be patient data)
    `,
  },
];
