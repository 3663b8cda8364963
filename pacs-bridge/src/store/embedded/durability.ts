// fsync, shared. Many instances arrive at once (several STOW-RS requests, C-STOREs, a series at a
// time), and each needs its directory entry and its index row on disk before it is reported stored.
// A caller that asks for an fsync of a path while one is queued but not started joins it; once an
// fsync has started it may not cover writes made after, so later callers queue the next one.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export class CoalescedSync {
  private readonly queued = new Map<string, Promise<void>>();
  /** Paths kept open between fsyncs (the index WAL: one fsync per batch instead of open+fsync+close). */
  private readonly held = new Map<string, Promise<FileHandle>>();

  /**
   * Keeps `path` open for its fsyncs. Only for a file that is never replaced while we run — SQLite's
   * WAL is reset in place, never unlinked, while its connection is open.
   */
  hold(path: string): void {
    if (!this.held.has(path)) this.held.set(path, open(path, 'r'));
  }

  async close(): Promise<void> {
    const handles = [...this.held.values()];
    this.held.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close()));
  }

  /** Resolves when an fsync of `path` that started after this call has completed. */
  sync(path: string): Promise<void> {
    const waiting = this.queued.get(path);
    if (waiting) return waiting;
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.queued.delete(path);
      const held = await this.held.get(path)?.catch(() => undefined);
      if (held) return held.sync();
      this.held.delete(path); // could not be kept open: fall back to open, fsync, close
      await fsyncPath(path);
    });
    this.queued.set(path, run);
    return run;
  }
}

/**
 * Directories made durable: `ensure` creates a directory and, for every level it created, fsyncs
 * the parent so the new entry survives power loss (a file fsync'd inside a directory whose own
 * entry was lost is lost too). Known directories are remembered, saving a mkdir per instance.
 */
export class DurableDirs {
  private readonly known = new Set<string>();
  private readonly creating = new Map<string, Promise<void>>();

  constructor(
    private readonly syncer: CoalescedSync,
    private readonly maxKnown = 50_000,
  ) {}

  async ensure(dir: string): Promise<void> {
    if (this.known.has(dir)) return;
    const pending = this.creating.get(dir);
    if (pending) return pending;
    const run = (async () => {
      const first = await mkdir(dir, { recursive: true });
      if (first !== undefined) {
        const parents: string[] = [];
        for (let d = dir; ; d = dirname(d)) {
          parents.push(dirname(d));
          if (d === first || dirname(d) === d) break;
        }
        await Promise.all(parents.map((p) => this.syncer.sync(p)));
      }
      if (this.known.size >= this.maxKnown) this.known.clear();
      this.known.add(dir);
    })();
    this.creating.set(dir, run);
    try {
      await run;
    } finally {
      this.creating.delete(dir);
    }
  }

  /** A directory removed behind our back (operator, tests) must be created again. */
  forget(dir: string): void {
    this.known.delete(dir);
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
