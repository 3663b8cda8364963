// The default StudyStore: Part 10 files on disk plus a SQLite index (no configuration, no server).
// Same bytes again → duplicate; other bytes under a stored SOP Instance UID → conflict, never an
// overwrite. Writes for one SOP Instance UID are serialised so two concurrent sends cannot race.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DicomJson, InstanceRecord, QidoQuery, StoreOutcome, StudyStore } from '../../api.js';
import { InstanceFiles } from './instance-files.js';
import { registerMatchFunctions, runQidoQuery } from './qido-query.js';
import { openIndex, rowToRecord, StudyIndex, walPath } from './study-index.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
}

export interface EmbeddedStore extends StudyStore {
  readonly kind: 'embedded';
  /** Counts for the live event, right after a put. */
  counts(studyUid: string, seriesUid: string): { series: number; instances: number; seriesInstances: number };
  /** Consistency view for tests and operators: index rows and files on disk. */
  instanceCount(): number;
  listFiles(): Promise<string[]>;
  /** Stores a durable Part 10 file by moving it into place (the ingest contract of `put`). */
  putFile(path: string, record: InstanceRecord): Promise<StoreOutcome>;
  /** Institution that owns a study (the sender of its first instance), if the study exists. */
  studyInstitution(studyUid: string): string | undefined;
}

export async function createEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const files = new InstanceFiles(options.dataDir);
  // A crash mid-write leaves at most a temp file: nothing in the index points at it, so it goes.
  await files.sweepTempFiles();
  const indexPath = join(options.dataDir, 'dicom-index.sqlite');
  const db = openIndex(indexPath);
  // Index commits are made durable by an fsync of the WAL off the event loop (see openIndex).
  // openIndex switched to WAL, so the WAL file exists now and stays (reset in place) until close.
  files.syncer.hold(walPath(indexPath));
  const durable = (): Promise<void> => files.syncer.sync(walPath(indexPath));
  registerMatchFunctions(db);
  const index = new StudyIndex(db);
  const locks = new Map<string, Promise<unknown>>();
  const studyOwner = db.prepare('SELECT institution_id FROM studies WHERE study_uid = ?').pluck();

  const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (locks.get(key) === tail) locks.delete(key);
    }
  };

  // `write` puts the bytes at a relative path durably; `bytes` / `putFile` differ only in where from.
  const putWith = (
    record: InstanceRecord,
    write: (relative: string) => Promise<void>,
    discard: () => Promise<void> = async () => undefined,
  ): Promise<StoreOutcome> =>
    withLock(record.sopInstanceUid, async () => {
      const existing = index.find(record.sopInstanceUid);
      if (existing) {
        if (existing.sha256 !== record.sha256) {
          return {
            status: 'conflict',
            reason: 'an instance with this SOP Instance UID is already stored with different content',
          };
        }
        // The index row only exists after its file was renamed into place; if the file has since
        // gone missing (operator error), the identical resend restores it.
        if (!(await files.exists(existing.path))) await write(existing.path);
        else await discard();
        // The row may be another ingest's, committed a moment ago and not yet fsync'd.
        await durable();
        return { status: 'duplicate', record: rowToRecord(existing) };
      }
      const path = files.relativePath(
        record.studyInstanceUid,
        record.seriesInstanceUid,
        record.sopInstanceUid,
      );
      await write(path);
      index.insert(record, path);
      await durable();
      return { status: 'stored', record };
    });

  const put = (bytes: Buffer, record: InstanceRecord): Promise<StoreOutcome> =>
    putWith(record, (relative) => files.write(relative, bytes));

  // An upload assembled on disk (already fsynced) moves into place instead of being copied; on a
  // conflict it is left where it is for the caller to remove.
  const putFile = (source: string, record: InstanceRecord): Promise<StoreOutcome> =>
    putWith(
      record,
      (relative) => files.adopt(source, relative),
      () => rm(source, { force: true }),
    );

  return {
    kind: 'embedded',
    put,
    putFile,
    async query(query: QidoQuery): Promise<DicomJson[]> {
      return runQidoQuery(db, query);
    },
    async instances(studyUid: string, seriesUid?: string): Promise<InstanceRecord[]> {
      return index.instances(studyUid, seriesUid).map(rowToRecord);
    },
    async find(sopUid: string): Promise<InstanceRecord | null> {
      const row = index.find(sopUid);
      return row ? rowToRecord(row) : null;
    },
    async open(sopUid: string): Promise<Readable | null> {
      const path = index.pathOf(sopUid);
      return path === undefined ? null : files.open(path);
    },
    counts: (studyUid, seriesUid) => index.counts(studyUid, seriesUid),
    instanceCount: () => index.instanceCount(),
    listFiles: () => files.listFiles(),
    studyInstitution: (studyUid) => studyOwner.get(studyUid) as string | undefined,
    async close(): Promise<void> {
      await Promise.allSettled([...locks.values()]);
      await files.syncer.close();
      if (db.open) db.close();
    },
  };
}
