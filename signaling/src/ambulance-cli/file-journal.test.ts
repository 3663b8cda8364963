import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TelemetryOutbox, zeroAcks } from '../ambulance-client/outbox.js';
import { FileJournal, JournalCorruptError } from './file-journal.js';

const T0 = Date.UTC(2025, 0, 1);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'sub', 'amb.journal');
}

async function openOutbox(path: string, runId = 'run-1', baseline = zeroAcks()) {
  // By default a new run (the server holds nothing): the journal numbers from 1.
  return TelemetryOutbox.open(await FileJournal.open(path, { compactAfterLines: 50 }), runId, { baseline });
}

describe('FileJournal', () => {
  it('brings back pending samples and the counters after a restart', async () => {
    const path = tempPath();
    let outbox = await openOutbox(path);
    for (let i = 0; i < 10; i++) await outbox.record('vitals', { t: T0 + i * 1000, hr: 60 + i });
    await outbox.record('event', { t: T0, kind: 'medication', text: 'aspirin 300 mg' });
    await outbox.ack('vitals', 7);
    await outbox.close();

    outbox = await openOutbox(path);
    expect(outbox.acked('vitals')).toBe(7);
    expect(outbox.batchFrom('vitals', 8, 100, 1e6).map((s) => s.seq)).toEqual([8, 9, 10]);
    expect(outbox.pendingCount('event')).toBe(1);
    expect((await outbox.record('vitals', { t: T0 + 10_000, hr: 99 })).seq).toBe(11);
    await outbox.close();
  });

  it('a fresh journal on a run with telemetry numbers after the server (writes queued back to back)', async () => {
    const path = tempPath();
    // Binding the run and recording the baseline are writes issued as the previous one resolves.
    let outbox = await openOutbox(path, 'run-1', { vitals: 41, position: 0, event: 3, ecg: 0 });
    expect((await outbox.record('vitals', { t: T0, hr: 70 })).seq).toBe(42);
    expect((await outbox.record('event', { t: T0, kind: 'note', text: 'x' })).seq).toBe(4);
    await outbox.close();
    outbox = await openOutbox(path);
    expect(outbox.acked('vitals')).toBe(41);
    expect(outbox.batchFrom('vitals', 42, 10, 1e6).map((s) => s.seq)).toEqual([42]);
    await outbox.close();
  });

  it('compacts acknowledged lines away and keeps numbering after them', async () => {
    const path = tempPath();
    let outbox = await openOutbox(path);
    for (let i = 0; i < 200; i++) {
      await outbox.record('position', { t: T0 + i * 1000, lat: 30, lon: 120 + i / 1e4 });
      if (i % 10 === 9) await outbox.ack('position', i + 1 - 2); // the last two stay pending
    }
    await outbox.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(100); // 200 samples + 20 acks written; most rewritten away
    outbox = await openOutbox(path);
    expect(outbox.acked('position')).toBe(198);
    expect(outbox.batchFrom('position', 199, 10, 1e6).map((s) => s.seq)).toEqual([199, 200]);
    expect((await outbox.record('position', { t: T0 + 1e6, lat: 30, lon: 121 })).seq).toBe(201);
    await outbox.close();
  });

  it('ignores a torn last line (kill -9 mid-write) and appends cleanly after it', async () => {
    const path = tempPath();
    let outbox = await openOutbox(path);
    for (let i = 0; i < 3; i++) await outbox.record('vitals', { t: T0 + i, spo2: 95 });
    await outbox.close();
    appendFileSync(path, '{"s":"vitals","x":{"seq":4,"t":1735689600003,"sp'); // torn write
    outbox = await openOutbox(path);
    expect(outbox.lastSeq('vitals')).toBe(3);
    expect((await outbox.record('vitals', { t: T0 + 3, spo2: 94 })).seq).toBe(4);
    await outbox.close();
    outbox = await openOutbox(path);
    expect(outbox.batchFrom('vitals', 1, 10, 1e6).map((s) => [s.seq, (s as { spo2: number }).spo2])).toEqual([
      [1, 95],
      [2, 95],
      [3, 95],
      [4, 94],
    ]);
    await outbox.close();
  });

  it('refuses a journal damaged in the middle rather than guessing', async () => {
    const path = tempPath();
    const outbox = await openOutbox(path);
    await outbox.record('vitals', { t: T0, hr: 70 });
    await outbox.close();
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}garbage\n${text.split('\n')[1]}\n`);
    await expect(openOutbox(path)).rejects.toBeInstanceOf(JournalCorruptError);
  });
  // A real kill -9 of a recording process: test/e2e/ambulance-telemetry.test.ts (the simulator).
});
