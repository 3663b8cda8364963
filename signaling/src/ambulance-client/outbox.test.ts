import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexedDbJournal } from './indexeddb-journal.js';
import { MemoryJournal } from './memory-journal.js';
import { SampleValidationError, TelemetryOutbox, type JournalEntry, type OutboxJournal } from './outbox.js';

const T0 = Date.UTC(2025, 0, 1);
const idb = { indexedDB, IDBKeyRange };

describe('TelemetryOutbox', () => {
  it('numbers each stream on its own and journals before accepting', async () => {
    const journal = new MemoryJournal();
    const outbox = await TelemetryOutbox.open(journal, 'run-a');
    const accepted: string[] = [];
    outbox.onAccepted((stream, s) => accepted.push(`${stream}${s.seq}`));
    const a = await outbox.record('vitals', { t: T0, hr: 80 });
    const b = await outbox.record('vitals', { t: T0 + 1000, hr: 81 });
    const c = await outbox.record('event', { t: T0, kind: 'note', text: 'loaded' });
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 1]);
    expect(accepted).toEqual(['vitals1', 'vitals2', 'event1']);
    expect((await journal.load()).entries).toHaveLength(3);
  });

  it('refuses an invalid sample before it takes a seq', async () => {
    const outbox = await TelemetryOutbox.open(new MemoryJournal(), 'run-a');
    await expect(outbox.record('vitals', { t: T0, spo2: 140 })).rejects.toBeInstanceOf(SampleValidationError);
    expect((await outbox.record('vitals', { t: T0, spo2: 97 })).seq).toBe(1);
  });

  it('accepts in seq order even when the journal resolves out of order', async () => {
    const resolvers: (() => void)[] = [];
    const inner = new MemoryJournal();
    const slow: OutboxJournal = {
      load: () => inner.load(),
      setRunId: (r) => inner.setRunId(r),
      append: (e: JournalEntry[]) =>
        new Promise<void>((r) => resolvers.push(() => void inner.append(e).then(r))),
      markAcked: (s, q) => inner.markAcked(s, q),
      close: () => inner.close(),
    };
    const outbox = await TelemetryOutbox.open(slow, 'run-a');
    const order: number[] = [];
    outbox.onAccepted((_, s) => order.push(s.seq));
    const p = [1, 2, 3].map((i) => outbox.record('vitals', { t: T0 + i, hr: 60 }));
    resolvers[2]!();
    resolvers[0]!();
    resolvers[1]!();
    await Promise.all(p);
    expect(order).toEqual([1, 2, 3]);
  });

  it('a journal failure stops recording instead of leaving a seq gap', async () => {
    const inner = new MemoryJournal();
    let fail = false;
    const flaky: OutboxJournal = {
      ...inner,
      load: () => inner.load(),
      setRunId: (r) => inner.setRunId(r),
      append: (e) => (fail ? Promise.reject(new Error('disk full')) : inner.append(e)),
      markAcked: (s, q) => inner.markAcked(s, q),
      close: () => inner.close(),
    };
    const outbox = await TelemetryOutbox.open(flaky, 'run-a');
    await outbox.record('vitals', { t: T0, hr: 60 });
    fail = true;
    await expect(outbox.record('vitals', { t: T0 + 1, hr: 60 })).rejects.toThrow(/disk full/);
    fail = false;
    await expect(outbox.record('vitals', { t: T0 + 2, hr: 60 })).rejects.toThrow(/journal failed/);
  });

  it('refuses a journal of another run', async () => {
    const journal = new MemoryJournal();
    await TelemetryOutbox.open(journal, 'run-a');
    await expect(TelemetryOutbox.open(journal, 'run-b')).rejects.toThrow(/another run/);
  });
});

describe('IndexedDbJournal (fake-indexeddb)', () => {
  it('survives a reload: pending samples and the seq counter come back; acked ones are gone', async () => {
    const runId = `run-${Math.random().toString(36).slice(2)}`;
    let outbox = await TelemetryOutbox.open(await IndexedDbJournal.open(runId, idb), runId);
    for (let i = 0; i < 5; i++) await outbox.record('vitals', { t: T0 + i * 1000, hr: 70 + i });
    await outbox.record('position', { t: T0, lat: 31.2, lon: 121.4, speedMps: 12 });
    await outbox.ack('vitals', 3);
    await outbox.close();

    // "Reload": a fresh journal object on the same database.
    outbox = await TelemetryOutbox.open(await IndexedDbJournal.open(runId, idb), runId);
    expect(outbox.acked('vitals')).toBe(3);
    expect(outbox.pendingCount('vitals')).toBe(2);
    expect(outbox.batchFrom('vitals', 4, 10, 10_000).map((s) => [s.seq, (s as { hr: number }).hr])).toEqual([
      [4, 73],
      [5, 74],
    ]);
    expect(outbox.pendingCount('position')).toBe(1);
    // Everything acknowledged: the samples are deleted but numbering continues after them.
    await outbox.ack('vitals', 5);
    await outbox.ack('position', 1);
    await outbox.close();
    outbox = await TelemetryOutbox.open(await IndexedDbJournal.open(runId, idb), runId);
    expect(outbox.pendingCount('vitals')).toBe(0);
    expect((await outbox.record('vitals', { t: T0 + 9000, hr: 90 })).seq).toBe(6);
    expect((await outbox.record('position', { t: T0 + 1, lat: 31.2, lon: 121.4 })).seq).toBe(2);
    await outbox.close();
  });

  it('keeps runs apart', async () => {
    const a = await TelemetryOutbox.open(await IndexedDbJournal.open('run-x', idb), 'run-x');
    const b = await TelemetryOutbox.open(await IndexedDbJournal.open('run-y', idb), 'run-y');
    await a.record('event', { t: T0, kind: 'note', text: 'x' });
    expect((await b.record('event', { t: T0, kind: 'note', text: 'y' })).seq).toBe(1);
    await a.close();
    await b.close();
    const again = await IndexedDbJournal.open('run-y', idb);
    const state = await again.load();
    expect(state.runId).toBe('run-y');
    expect(state.entries.map((e) => (e.sample as { text: string }).text)).toEqual(['y']);
    await again.close();
  });
});
