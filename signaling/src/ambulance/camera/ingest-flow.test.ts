// The stall watchdog's arithmetic: first bytes, receiving, the stall verdict once, the growing wait.
import { describe, expect, it } from 'vitest';
import { IngestFlow, MAX_STALL_MS, stallAfterMs } from './ingest-flow.js';

describe('ingest flow', () => {
  it('starting until the first bytes, receiving while the count moves, stalled after the silence', () => {
    const flow = new IngestFlow(0, { firstBytesMs: 10_000, silenceMs: 6_000 });
    expect(flow.observe(0, 1_000)).toBeNull();
    expect(flow.state(1_000)).toBe('starting');
    expect(flow.observe(1200, 2_000)).toBe('first-bytes');
    expect(flow.state(2_000)).toBe('receiving');
    expect(flow.observe(2400, 4_000)).toBeNull();
    expect(flow.observe(2400, 9_999)).toBeNull();
    expect(flow.state(9_999)).toBe('receiving');
    expect(flow.observe(2400, 10_000)).toBe('stalled');
    expect(flow.observe(2400, 11_000)).toBeNull(); // reported once
    expect(flow.state(11_000)).toBe('stalled');
    expect(flow.silentForMs(11_000)).toBe(7_000);
    // It may recover by itself before the sender acts (a short outage).
    expect(flow.observe(3600, 12_000)).toBeNull();
    expect(flow.state(12_000)).toBe('receiving');
    expect(flow.received).toBe(true);
  });

  it('waits firstBytesMs for endpoints that never received anything', () => {
    const flow = new IngestFlow(1_000, { firstBytesMs: 24_000, silenceMs: 6_000 });
    expect(flow.state(24_999)).toBe('starting');
    expect(flow.observe(0, 25_000)).toBe('stalled');
    expect(flow.received).toBe(false);
  });

  it('the wait doubles per fruitless try, up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => stallAfterMs(n, 6_000))).toEqual([
      6_000,
      12_000,
      24_000,
      48_000,
      MAX_STALL_MS,
      MAX_STALL_MS,
      MAX_STALL_MS,
    ]);
    expect(stallAfterMs(3, 100_000)).toBe(100_000);
  });
});
