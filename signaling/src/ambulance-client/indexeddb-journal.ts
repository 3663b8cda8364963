// The browser's outbox journal: IndexedDB, so a reload, a crashed tab or a flat tablet battery loses
// nothing that was accepted. One database for all runs; samples keyed [runId, stream, seq], the
// counters in a meta store keyed [runId, stream]. Writes use `durability: 'strict'` so a transaction
// completes only once the data is on disk (browsers default to relaxed, which can lose the last
// seconds on a power cut). Only the few IndexedDB calls used are typed here: the server package
// compiles without the DOM library.
import { TELEMETRY_STREAMS, type TelemetryStream } from '../protocol/ambulance.js';
import {
  zeroAcks,
  type AnySample,
  type JournalEntry,
  type JournalState,
  type OutboxJournal,
} from './outbox.js';

interface Req<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenReq extends Req<Db> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface Store {
  put(value: unknown): Req<unknown>;
  get(key: unknown): Req<unknown>;
  delete(range: unknown): Req<unknown>;
  getAll(range: unknown): Req<unknown[]>;
}
interface Tx {
  objectStore(name: string): Store;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface Db {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { keyPath: string[] }): unknown;
  transaction(stores: string[], mode: 'readonly' | 'readwrite', options?: { durability: 'strict' }): Tx;
  close(): void;
}
interface Factory {
  open(name: string, version: number): OpenReq;
}
interface KeyRangeStatic {
  bound(lower: unknown, upper: unknown): unknown;
}

const DB_NAME = 'telemed-telemetry';
const SAMPLES = 'samples';
const META = 'meta';
const RUN = 'run';

interface SampleRow {
  runId: string;
  stream: TelemetryStream;
  seq: number;
  sample: AnySample;
}
interface MetaRow {
  runId: string;
  stream: TelemetryStream | typeof RUN;
  lastSeq: number;
  acked: number;
}

const done = (tx: Tx) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error instanceof Error ? tx.error : new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error instanceof Error ? tx.error : new Error('IndexedDB write aborted'));
  });

const result = <T>(req: Req<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error instanceof Error ? req.error : new Error('IndexedDB read failed'));
  });

export interface IndexedDbJournalOptions {
  /** The IndexedDB factory and key range class; default the browser's (`indexedDB`, `IDBKeyRange`). */
  indexedDB?: unknown;
  IDBKeyRange?: unknown;
}

export class IndexedDbJournal implements OutboxJournal {
  private constructor(
    private readonly db: Db,
    private readonly keyRange: KeyRangeStatic,
    private readonly runId: string,
  ) {}

  /** The journal of one run (a run is bound on first use; see TelemetryOutbox.open). */
  static async open(runId: string, options: IndexedDbJournalOptions = {}): Promise<IndexedDbJournal> {
    const g = globalThis as Record<string, unknown>;
    const factory = (options.indexedDB ?? g.indexedDB) as Factory | undefined;
    const keyRange = (options.IDBKeyRange ?? g.IDBKeyRange) as KeyRangeStatic | undefined;
    if (!factory || !keyRange) throw new Error('IndexedDB is not available here');
    const req = factory.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(SAMPLES))
        db.createObjectStore(SAMPLES, { keyPath: ['runId', 'stream', 'seq'] });
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: ['runId', 'stream'] });
    };
    const db = await new Promise<Db>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error instanceof Error ? req.error : new Error('IndexedDB open failed'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab holding an older version'));
    });
    return new IndexedDbJournal(db, keyRange, runId);
  }

  private streamRange(stream: TelemetryStream, from: number, to: number): unknown {
    return this.keyRange.bound([this.runId, stream, from], [this.runId, stream, to]);
  }

  async load(): Promise<JournalState> {
    const tx = this.db.transaction([SAMPLES, META], 'readonly');
    const metaRows = (await result(
      tx.objectStore(META).getAll(this.keyRange.bound([this.runId, ''], [this.runId, '\uffff'])),
    )) as MetaRow[];
    const lastSeq = zeroAcks();
    const acked = zeroAcks();
    let bound = false;
    for (const m of metaRows) {
      if (m.stream === RUN) bound = true;
      else {
        lastSeq[m.stream] = m.lastSeq;
        acked[m.stream] = m.acked;
      }
    }
    const entries: JournalEntry[] = [];
    for (const stream of TELEMETRY_STREAMS) {
      const rows = (await result(
        tx.objectStore(SAMPLES).getAll(this.streamRange(stream, acked[stream] + 1, Number.MAX_SAFE_INTEGER)),
      )) as SampleRow[];
      for (const r of rows) {
        entries.push({ stream, sample: r.sample });
        lastSeq[stream] = Math.max(lastSeq[stream], r.seq);
      }
    }
    return { runId: bound ? this.runId : null, entries, lastSeq, acked };
  }

  async setRunId(runId: string): Promise<void> {
    if (runId !== this.runId) throw new Error('an IndexedDB journal is opened for one run');
    const tx = this.db.transaction([META], 'readwrite', { durability: 'strict' });
    tx.objectStore(META).put({ runId, stream: RUN, lastSeq: 0, acked: 0 } satisfies MetaRow);
    await done(tx);
  }

  async append(entries: JournalEntry[]): Promise<void> {
    const tx = this.db.transaction([SAMPLES], 'readwrite', { durability: 'strict' });
    const store = tx.objectStore(SAMPLES);
    for (const e of entries)
      store.put({
        runId: this.runId,
        stream: e.stream,
        seq: e.sample.seq,
        sample: e.sample,
      } satisfies SampleRow);
    await done(tx);
  }

  async markAcked(stream: TelemetryStream, seq: number): Promise<void> {
    const tx = this.db.transaction([SAMPLES, META], 'readwrite', { durability: 'strict' });
    const meta = tx.objectStore(META);
    const old = (await result(meta.get([this.runId, stream]))) as MetaRow | undefined;
    // The counter survives the samples it counted: lastSeq is at least what was acknowledged.
    meta.put({
      runId: this.runId,
      stream,
      lastSeq: Math.max(old?.lastSeq ?? 0, seq),
      acked: Math.max(old?.acked ?? 0, seq),
    } satisfies MetaRow);
    tx.objectStore(SAMPLES).delete(this.streamRange(stream, 0, seq));
    await done(tx);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
