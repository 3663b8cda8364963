import type { VitalsSample } from '@telemed/signaling/protocol';
import { describe, expect, it } from 'vitest';
import { BACKFILL, BoardModel, latestVitals, MAX_ECG_FILL } from './boardModel.js';
import { chunk, run, T0 } from './testkit.js';

const vitals = (seq: number, spo2 = 97): VitalsSample => ({ seq, t: T0 + seq * 1000, hr: 80, spo2 });

describe('board model', () => {
  it('applies each sample once, in order, and reports a skip ahead as a gap', () => {
    const m = new BoardModel();
    m.setRuns([run('a')]);
    expect(m.apply('a', 'vitals', [vitals(1), vitals(2)], T0)).toBe(false);
    // A repeat (a resent notification, or a history page overlapping live data) changes nothing.
    expect(m.apply('a', 'vitals', [vitals(1), vitals(2)], T0)).toBe(false);
    expect(m.runs.get('a')!.vitals.map((v) => v.seq)).toEqual([1, 2]);
    // 3 and 4 were missed in a blip: 5 is not applied, the caller fills from history.
    expect(m.apply('a', 'vitals', [vitals(5)], T0)).toBe(true);
    expect(m.runs.get('a')!.seq.vitals).toBe(2);
    expect(m.apply('a', 'vitals', [vitals(2), vitals(3), vitals(4), vitals(5)], T0)).toBe(false);
    expect(m.runs.get('a')!.vitals.map((v) => v.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(latestVitals(m.runs.get('a')!)?.seq).toBe(5);
  });

  it('keeps the last cuff pressure between measurements', () => {
    const m = new BoardModel();
    m.setRuns([run('a')]);
    m.apply('a', 'vitals', [{ ...vitals(1), nibp: { sys: 85, dia: 50 } }, vitals(2), vitals(3)], T0);
    const shown = latestVitals(m.runs.get('a')!)!;
    expect(shown.seq).toBe(3);
    expect(shown.nibp).toEqual({ sys: 85, dia: 50 });
    expect(m.runs.get('a')!.nibp?.t).toBe(T0 + 1000);
  });

  it('applies the contiguous part of a batch before a gap', () => {
    const m = new BoardModel();
    m.setRuns([run('a')]);
    expect(m.apply('a', 'vitals', [vitals(1), vitals(2), vitals(4)], T0)).toBe(true);
    expect(m.runs.get('a')!.seq.vitals).toBe(2);
  });

  it('fills a new run with recent history only, and finds the streams that are behind', () => {
    const m = new BoardModel();
    const behind = m.setRuns([run('a', { acked: { vitals: 1000, position: 3, event: 0, ecg: 5000 } })]);
    expect(m.runs.get('a')!.seq).toEqual({
      vitals: 1000 - BACKFILL.vitals,
      position: 0,
      event: 0,
      ecg: 5000 - BACKFILL.ecg,
    });
    expect(behind.map((b) => b.stream).sort()).toEqual(['ecg', 'position', 'vitals']);
  });

  it('after a long outage skips ECG ahead but keeps every vitals sample', () => {
    const m = new BoardModel();
    m.setRuns([run('a')]);
    m.apply('a', 'ecg', [chunk(1, ['II'], 125)], T0);
    m.apply('a', 'vitals', [vitals(1)], T0);
    const later = run('a', { acked: { vitals: 400, position: 0, event: 0, ecg: 1 + MAX_ECG_FILL + 10 } });
    const behind = m.setRuns([later]);
    expect(m.runs.get('a')!.seq.ecg).toBe(later.acked.ecg - BACKFILL.ecg);
    expect(m.runs.get('a')!.seq.vitals).toBe(1);
    expect(behind.map((b) => b.stream).sort()).toEqual(['ecg', 'vitals']);
  });

  it('drops arrived runs and runs no longer listed', () => {
    const m = new BoardModel();
    m.setRuns([run('a'), run('b'), run('c')]);
    m.upsertRun(run('a', { status: 'arrived' }));
    expect([...m.runs.keys()]).toEqual(['b', 'c']);
    m.setRuns([run('c')]);
    expect([...m.runs.keys()]).toEqual(['c']);
    expect(m.apply('a', 'vitals', [vitals(1)], T0)).toBe(false);
  });

  it('sorts by ETA, unknown last, then oldest first', () => {
    const m = new BoardModel();
    m.setRuns([
      run('x', { createdAt: new Date(T0 + 3).toISOString() }),
      run('y', { createdAt: new Date(T0 + 1).toISOString() }),
      run('z', { createdAt: new Date(T0 + 2).toISOString() }),
      run('w', { createdAt: new Date(T0).toISOString() }),
    ]);
    const eta: Record<string, number | null> = { x: 300, y: null, z: 60, w: null };
    expect(m.sorted((l) => eta[l.run.id]!).map((l) => l.run.id)).toEqual(['z', 'x', 'w', 'y']);
  });

  it('dates the stale indicator by device time, so a drained backlog still reads as old', () => {
    const m = new BoardModel();
    m.setRuns([run('a')]);
    m.apply('a', 'vitals', [vitals(1)], T0 + 60_000);
    expect(m.runs.get('a')!.vitalsAt).toBe(T0 + 1000);
    m.apply('a', 'vitals', [{ ...vitals(2), t: T0 + 120_000 }], T0 + 61_000);
    expect(m.runs.get('a')!.vitalsAt).toBe(T0 + 61_000); // a monitor clock ahead is capped at now
  });
});
