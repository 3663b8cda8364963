import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexedDbJournal } from './indexeddb-journal.js';
import { MemoryJournal } from './memory-journal.js';
import {
  SampleValidationError,
  TelemetryOutbox,
  zeroAcks,
  type JournalEntry,
  type OutboxJournal,
} from './outbox.js';

const T0 = Date.UTC(2025, 0, 1);
const idb = { indexedDB, IDBKeyRange };
/** A run this device just created: the server holds nothing yet. */
const NEW_RUN = { baseline: zeroAcks() };

describe('TelemetryOutbox', () => {
  it('numbers each stream on its own and journals before accepting', async () => {
    const journal = new MemoryJournal();
    const outbox = await TelemetryOutbox.open(journal, 'run-a', NEW_RUN);
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
    const outbox = await TelemetryOutbox.open(new MemoryJournal(), 'run-a', NEW_RUN);
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
    const outbox = await TelemetryOutbox.open(slow, 'run-a', NEW_RUN);
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
    const outbox = await TelemetryOutbox.open(flaky, 'run-a', NEW_RUN);
    await outbox.record('vitals', { t: T0, hr: 60 });
    fail = true;
    await expect(outbox.record('vitals', { t: T0 + 1, hr: 60 })).rejects.toThrow(/disk full/);
    fail = false;
    await expect(outbox.record('vitals', { t: T0 + 2, hr: 60 })).rejects.toThrow(/journal failed/);
  });

  it('a fresh journal numbers nothing before it knows the server acked, then numbers held samples in order', async () => {
    const journal = new MemoryJournal();
    const outbox = await TelemetryOutbox.open(journal, 'run-a');
    const seqs: number[] = [];
    const held = [1, 2, 3].map((i) =>
      outbox.record('vitals', { t: T0 + i, hr: 60 + i }).then((v) => void seqs.push(v.seq)),
    );
    // Refused at once even while the stream waits: validation does not need the seq.
    await expect(outbox.record('vitals', { t: T0, spo2: 140 })).rejects.toBeInstanceOf(SampleValidationError);
    await outbox.flush();
    expect(seqs).toEqual([]);
    expect(outbox.pendingCount('vitals')).toBe(3);
    expect((await journal.load()).entries).toEqual([]);
    // The stream the server has data for continues after it; the other starts at 1.
    await outbox.learnBaseline({ vitals: 41, position: 0, event: 0, ecg: 0 });
    const later = outbox.record('vitals', { t: T0 + 9, hr: 70 });
    await Promise.all(held);
    expect(seqs).toEqual([42, 43, 44]);
    expect((await later).seq).toBe(45);
    expect((await outbox.record('event', { t: T0, kind: 'note', text: 'x' })).seq).toBe(1);
    expect((await journal.load()).entries.map((e) => e.sample.seq)).toEqual([42, 43, 44, 45, 1]);
    expect(outbox.acked('vitals')).toBe(41);
  });

  it('opened with the run as read, a fresh journal numbers at once after its acked', async () => {
    const outbox = await TelemetryOutbox.open(new MemoryJournal(), 'run-a', {
      baseline: { vitals: 0, position: 7, event: 2, ecg: 0 },
    });
    expect((await outbox.record('event', { t: T0, kind: 'note', text: 'x' })).seq).toBe(3);
    expect((await outbox.record('position', { t: T0, lat: 30, lon: 120 })).seq).toBe(8);
  });

  it('keeps samples outstanding when the server reports more: the server must confirm them', async () => {
    const outbox = await TelemetryOutbox.open(new MemoryJournal(), 'run-a', NEW_RUN);
    await outbox.record('vitals', { t: T0, hr: 60 });
    await outbox.record('vitals', { t: T0 + 1, hr: 61 });
    // Another sender stored 1..5: our 1 and 2 might be its, so they are not dropped on resume's word.
    await outbox.learnBaseline({ vitals: 5, position: 0, event: 0, ecg: 0 });
    expect(outbox.pendingCount('vitals')).toBe(2);
    expect(outbox.acked('vitals')).toBe(0);
    expect((await outbox.record('vitals', { t: T0 + 2, hr: 62 })).seq).toBe(3);
    // Nothing outstanding: numbering moves on after what the server holds.
    await outbox.ack('vitals', 3);
    await outbox.learnBaseline({ vitals: 9, position: 0, event: 0, ecg: 0 });
    expect((await outbox.record('vitals', { t: T0 + 3, hr: 63 })).seq).toBe(10);
  });

  it('journals the sample as the schema parses it (event text trimmed, as the server stores it)', async () => {
    const journal = new MemoryJournal();
    const outbox = await TelemetryOutbox.open(journal, 'run-a', NEW_RUN);
    const sample = await outbox.record('event', { t: T0, kind: 'note', text: '  IV access \n' });
    expect(sample.text).toBe('IV access');
    expect((await journal.load()).entries[0]!.sample).toEqual({
      seq: 1,
      t: T0,
      kind: 'note',
      text: 'IV access',
    });
  });

  it('a held sample is refused, not kept, when the outbox closes first', async () => {
    const outbox = await TelemetryOutbox.open(new MemoryJournal(), 'run-a');
    const held = outbox.record('event', { t: T0, kind: 'note', text: 'x' });
    await outbox.close();
    await expect(held).rejects.toThrow(/closed before/);
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
    let outbox = await TelemetryOutbox.open(await IndexedDbJournal.open(runId, idb), runId, NEW_RUN);
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
    const a = await TelemetryOutbox.open(await IndexedDbJournal.open('run-x', idb), 'run-x', NEW_RUN);
    const b = await TelemetryOutbox.open(await IndexedDbJournal.open('run-y', idb), 'run-y', NEW_RUN);
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
