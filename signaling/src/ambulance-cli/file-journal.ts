// The CLI's outbox journal: an append-only JSON-lines file, fsync'd per write batch (appends arriving
// while a write is on disk are written together: group commit). A kill -9 or power cut can leave the
// last line half written; it is dropped on open (its sample was never acknowledged to the caller)
// and the file truncated, so the next append starts on a clean line. When most lines are
// acknowledged samples the file is rewritten with only what is pending (write a temp file, fsync,
// rename, fsync the directory). A lock file keeps a second process off the same journal.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TELEMETRY_STREAMS, type TelemetryStream } from '../protocol/ambulance.js';
import {
  zeroAcks,
  type AnySample,
  type JournalEntry,
  type JournalState,
  type OutboxJournal,
} from '../ambulance-client/outbox.js';

/** One line of the file. */
type Line =
  | { run: string; last?: Record<TelemetryStream, number>; acked?: Record<TelemetryStream, number> }
  | { s: TelemetryStream; x: AnySample }
  | { a: TelemetryStream; q: number };

export class JournalCorruptError extends Error {
  constructor(path: string, lineNo: number) {
    super(`${path}: line ${lineNo} is damaged and is not the last line; the journal needs a look by hand`);
    this.name = 'JournalCorruptError';
  }
}

export interface FileJournalOptions {
  /** Rewrite the file once this many acknowledged lines are in it (and they outnumber the pending). */
  compactAfterLines?: number;
}

export class FileJournal implements OutboxJournal {
  private fh: FileHandle | null = null;
  private runId: string | null = null;
  private readonly lastSeq = zeroAcks();
  private readonly acked = zeroAcks();
  /** Pending samples' lines per stream, for compaction. */
  private readonly pending = new Map<TelemetryStream, Map<number, string>>(
    TELEMETRY_STREAMS.map((s) => [s, new Map()]),
  );
  private deadLines = 0;
  private queue: { text: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;
  private draining = false;
  private readonly compactAfter: number;
  private released = false;

  private constructor(
    readonly path: string,
    options: FileJournalOptions,
  ) {
    this.compactAfter = options.compactAfterLines ?? 2000;
  }

  /** Opens (creating it and its folder if needed) and locks the journal at `path`. */
  static async open(path: string, options: FileJournalOptions = {}): Promise<FileJournal> {
    await mkdir(dirname(path), { recursive: true });
    lockFile(`${path}.lock`);
    return new FileJournal(path, options);
  }

  /** What a journal file holds, without opening it for writing: its run and how much is unsent. */
  static async inspect(path: string): Promise<{ runId: string | null; pending: number } | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const probe = new FileJournal(path, {});
    for (const line of parseLines(path, bytes).lines) probe.apply(line.value, line.text);
    return { runId: probe.runId, pending: probe.pendingCount() };
  }

  async load(): Promise<JournalState> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      bytes = Buffer.alloc(0);
    }
    const { lines, goodBytes } = parseLines(this.path, bytes);
    if (goodBytes < bytes.length) await truncate(this.path, goodBytes);
    for (const line of lines) this.apply(line.value, line.text);
    this.fh = await open(this.path, 'a');
    const entries: JournalEntry[] = [];
    for (const stream of TELEMETRY_STREAMS)
      for (const text of this.pending.get(stream)!.values())
        entries.push({ stream, sample: (JSON.parse(text) as { x: AnySample }).x });
    return { runId: this.runId, entries, lastSeq: { ...this.lastSeq }, acked: { ...this.acked } };
  }

  private apply(line: Line, text: string): void {
    if ('run' in line) {
      this.runId = line.run;
      for (const s of TELEMETRY_STREAMS) {
        this.lastSeq[s] = Math.max(this.lastSeq[s], line.last?.[s] ?? 0);
        this.acked[s] = Math.max(this.acked[s], line.acked?.[s] ?? 0);
      }
    } else if ('s' in line) {
      const seq = line.x.seq;
      this.lastSeq[line.s] = Math.max(this.lastSeq[line.s], seq);
      if (seq > this.acked[line.s]) this.pending.get(line.s)!.set(seq, text);
      else this.deadLines++;
    } else {
      this.dropThrough(line.a, line.q);
      this.deadLines++;
    }
  }

  private dropThrough(stream: TelemetryStream, seq: number): void {
    if (seq <= this.acked[stream]) return;
    this.acked[stream] = seq;
    this.lastSeq[stream] = Math.max(this.lastSeq[stream], seq);
    const map = this.pending.get(stream)!;
    for (const s of map.keys()) {
      if (s > seq) break; // insertion order is seq order
      map.delete(s);
      this.deadLines++;
    }
  }

  setRunId(runId: string): Promise<void> {
    this.runId = runId;
    return this.write([JSON.stringify({ run: runId } satisfies Line)]);
  }

  append(entries: JournalEntry[]): Promise<void> {
    const lines = entries.map((e) => {
      const text = JSON.stringify({ s: e.stream, x: e.sample } satisfies Line);
      this.lastSeq[e.stream] = Math.max(this.lastSeq[e.stream], e.sample.seq);
      this.pending.get(e.stream)!.set(e.sample.seq, text);
      return text;
    });
    return this.write(lines);
  }

  markAcked(stream: TelemetryStream, seq: number): Promise<void> {
    if (seq <= this.acked[stream]) return Promise.resolve();
    this.dropThrough(stream, seq);
    this.deadLines++;
    return this.write([JSON.stringify({ a: stream, q: seq } satisfies Line)]);
  }

  private write(lines: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text: lines.map((l) => `${l}\n`).join(''), resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.writing = this.drain();
      }
    });
  }

  /**
   * Writes whatever is queued, one write + fdatasync per round, until the queue is empty. `draining`
   * is cleared in the same synchronous step that finds the queue empty: cleared any later (a
   * `.finally()` of this promise), a caller resumed by the last batch's resolve could queue a line in
   * between that no drain would ever write — its promise never settling.
   */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.fh) throw new Error('journal is not open (call load first)');
        await this.fh.write(batch.map((b) => b.text).join(''));
        await this.fh.datasync();
        if (this.deadLines >= this.compactAfter && this.deadLines > this.pendingCount()) await this.compact();
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.draining = false;
  }

  private pendingCount(): number {
    let n = 0;
    for (const m of this.pending.values()) n += m.size;
    return n;
  }

  /** Rewrites the file with the counters and the pending samples only. */
  private async compact(): Promise<void> {
    const header: Line = { run: this.runId ?? '', last: { ...this.lastSeq }, acked: { ...this.acked } };
    const body = [JSON.stringify(header)];
    for (const m of this.pending.values()) body.push(...m.values());
    const tmp = `${this.path}.tmp`;
    const out = await open(tmp, 'w');
    try {
      await out.write(`${body.join('\n')}\n`);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    await this.fh?.close();
    this.fh = await open(this.path, 'a');
    this.deadLines = 0;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.fh?.close();
    this.fh = null;
    if (!this.released) {
      this.released = true;
      try {
        unlinkSync(`${this.path}.lock`);
      } catch {
        // already gone
      }
    }
  }
}

/** Complete, parsable lines; a damaged tail (a torn last write) is left out of `goodBytes`. */
function parseLines(
  path: string,
  bytes: Buffer,
): { lines: { value: Line; text: string }[]; goodBytes: number } {
  const lines: { value: Line; text: string }[] = [];
  let start = 0;
  let goodBytes = 0;
  let lineNo = 0;
  let damagedAt = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    lineNo++;
    const text = bytes.subarray(start, end).toString('utf8');
    let value: Line | null = null;
    if (nl !== -1 && text.trim() !== '') {
      try {
        value = JSON.parse(text) as Line;
      } catch {
        value = null;
      }
    }
    if (value === null && text.trim() !== '') damagedAt ||= lineNo;
    else if (value !== null) {
      // Only a damaged *tail* is a torn write; damage followed by good lines is corruption.
      if (damagedAt) throw new JournalCorruptError(path, damagedAt);
      lines.push({ value, text });
      goodBytes = nl + 1;
    } else if (!damagedAt) goodBytes = nl === -1 ? goodBytes : nl + 1;
    if (nl === -1) break;
    start = nl + 1;
  }
  return { lines, goodBytes };
}

/** An exclusive lock file holding our pid; a lock left by a dead process (kill -9) is taken over. */
function lockFile(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        throw new Error(`journal ${lockPath.replace(/\.lock$/, '')} is in use by process ${pid}`);
      unlinkSync(lockPath);
    }
  }
  throw new Error(`cannot lock ${lockPath}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
