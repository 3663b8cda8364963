// Shared fsyncs: callers queued together share one; a caller arriving after it started gets a new
// one (an fsync that began before a write does not cover it). New directories come out durable.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoalescedSync, DurableDirs } from './durability.js';

const dir = mkdtempSync(join(tmpdir(), 'durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CoalescedSync', () => {
  it('shares a queued fsync and queues a new one once it has started', async () => {
    const sync = new CoalescedSync();
    const a = sync.sync(dir);
    const b = sync.sync(dir);
    expect(a).toBe(b);
    await a;
    const c = sync.sync(dir);
    expect(c).not.toBe(a);
    await c;
  });

  it('keeps a held file open across fsyncs and falls back when it cannot be opened', async () => {
    const sync = new CoalescedSync();
    const file = join(dir, 'held');
    writeFileSync(file, 'x');
    sync.hold(file);
    await sync.sync(file);
    await sync.sync(file);
    sync.hold(join(dir, 'missing'));
    await expect(sync.sync(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await sync.close();
  });
});

describe('DurableDirs', () => {
  it('creates nested directories once and again after being told one was removed', async () => {
    const dirs = new DurableDirs(new CoalescedSync());
    const deep = join(dir, 'study', 'series');
    await Promise.all([dirs.ensure(deep), dirs.ensure(deep)]);
    expect(existsSync(deep)).toBe(true);
    rmSync(join(dir, 'study'), { recursive: true });
    await dirs.ensure(deep); // remembered: no mkdir
    expect(existsSync(deep)).toBe(false);
    dirs.forget(deep);
    await dirs.ensure(deep);
    expect(existsSync(deep)).toBe(true);
  });
});
