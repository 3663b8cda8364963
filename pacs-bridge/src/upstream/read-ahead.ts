// Read-ahead for series retrieval through a PACS: WADO-RS of a series opens its instances one by
// one, in the order `instances()` listed them, and each open is an HTTP round trip to the PACS.
// Starting the next few opens while the current instance streams hides that latency. Prefetched
// streams not taken within `ttlMs` are destroyed, so an abandoned retrieve holds nothing for long.
import type { Readable } from 'node:stream';
import type { InstanceRef } from './upstream-store.js';

interface Pending {
  stream: Promise<Readable | null>;
  timer: NodeJS.Timeout;
}

export class ReadAhead {
  private order = new Map<string, InstanceRef[]>();
  private position = new Map<string, { list: InstanceRef[]; index: number }>();
  private pending = new Map<string, Pending>();

  constructor(
    private readonly open: (ref: InstanceRef) => Promise<Readable | null>,
    private readonly depth = 4,
    private readonly ttlMs = 30_000,
    private readonly maxLists = 64,
  ) {}

  /** Remembers the order a series (or study) was listed in, for the opens that will follow. */
  listed(key: string, refs: InstanceRef[]): void {
    if (refs.length < 2) return;
    this.order.delete(key);
    this.order.set(key, refs);
    if (this.order.size > this.maxLists) this.order.delete(this.order.keys().next().value!);
    this.position.clear();
    for (const list of this.order.values())
      list.forEach((ref, index) => this.position.set(ref.sopInstanceUid, { list, index }));
  }

  /** Opens one instance: a prefetched stream if there is one, then prefetches what follows it. */
  async take(ref: InstanceRef): Promise<Readable | null> {
    const hit = this.pending.get(ref.sopInstanceUid);
    if (hit) {
      clearTimeout(hit.timer);
      this.pending.delete(ref.sopInstanceUid);
    }
    const stream = hit ? hit.stream : this.open(ref);
    const at = this.position.get(ref.sopInstanceUid);
    if (at) for (const next of at.list.slice(at.index + 1, at.index + 1 + this.depth)) this.prefetch(next);
    return stream;
  }

  private prefetch(ref: InstanceRef): void {
    if (this.pending.has(ref.sopInstanceUid)) return;
    const stream = this.open(ref);
    stream.catch(() => undefined); // a failed prefetch surfaces when (if) the instance is taken
    const timer = setTimeout(() => {
      this.pending.delete(ref.sopInstanceUid);
      void stream.then(
        (s) => s?.destroy(),
        () => undefined,
      );
    }, this.ttlMs);
    timer.unref();
    this.pending.set(ref.sopInstanceUid, { stream, timer });
  }

  close(): void {
    for (const { stream, timer } of this.pending.values()) {
      clearTimeout(timer);
      void stream.then(
        (s) => s?.destroy(),
        () => undefined,
      );
    }
    this.pending.clear();
  }
}
