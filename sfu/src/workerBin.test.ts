import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkerBin, telemedCacheRoot } from './workerBin.js';

const dir = mkdtempSync(join(tmpdir(), 'sfu-workerbin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const msDir = join(dir, 'node_modules', 'mediasoup');
mkdirSync(msDir, { recursive: true });
writeFileSync(join(msDir, 'package.json'), JSON.stringify({ name: 'mediasoup', version: '9.9.9' }));

function fakeWorker(path: string, mtimeSeconds: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, mtimeSeconds, mtimeSeconds);
  return path;
}

describe('resolveWorkerBin', () => {
  const cache = join(dir, 'cache');
  const older = fakeWorker(join(cache, 'mediasoup-worker', '9.9.9-aaaa', 'mediasoup-worker'), 1_000_000);
  const newer = fakeWorker(join(cache, 'mediasoup-worker', '9.9.9-bbbb', 'mediasoup-worker'), 2_000_000);
  fakeWorker(join(cache, 'mediasoup-worker', '9.9.8-cccc', 'mediasoup-worker'), 3_000_000); // other version
  mkdirSync(join(cache, 'mediasoup-worker', '9.9.9-empty'), { recursive: true });

  it('uses MEDIASOUP_WORKER_BIN when set', () => {
    expect(
      resolveWorkerBin({
        env: { MEDIASOUP_WORKER_BIN: '/x/worker', TELEMED_CACHE_DIR: cache },
        mediasoupDir: msDir,
      }),
    ).toBe('/x/worker');
  });

  it('else the newest cached build for the installed mediasoup version', () => {
    expect(resolveWorkerBin({ env: { TELEMED_CACHE_DIR: cache }, mediasoupDir: msDir })).toBe(newer);
    utimesSync(older, 4_000_000, 4_000_000);
    expect(resolveWorkerBin({ env: { TELEMED_CACHE_DIR: cache }, mediasoupDir: msDir })).toBe(older);
  });

  it("else mediasoup's own worker/out/Release binary", () => {
    const own = fakeWorker(join(msDir, 'worker', 'out', 'Release', 'mediasoup-worker'), 1_000_000);
    expect(
      resolveWorkerBin({ env: { TELEMED_CACHE_DIR: join(dir, 'empty-cache') }, mediasoupDir: msDir }),
    ).toBe(own);
    rmSync(own);
  });

  it('else fails, naming npm install and ensure-worker.sh', () => {
    expect(() =>
      resolveWorkerBin({ env: { TELEMED_CACHE_DIR: join(dir, 'empty-cache') }, mediasoupDir: msDir }),
    ).toThrow(
      /No mediasoup-worker binary for mediasoup 9\.9\.9.*npm install.*infra\/mediasoup-worker\/ensure-worker\.sh/,
    );
  });

  it('computes the cache root like infra/mediasoup-worker/ensure-worker.sh', () => {
    expect(telemedCacheRoot({ TELEMED_CACHE_DIR: '/c' })).toBe('/c');
    expect(telemedCacheRoot({ XDG_CACHE_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/telemed');
    expect(telemedCacheRoot({ HOME: '/h' })).toBe('/h/.cache/telemed');
  });

  it('finds a real worker binary on this machine', () => {
    const env = { ...process.env, MEDIASOUP_WORKER_BIN: '' };
    expect(existsSync(resolveWorkerBin({ env }))).toBe(true);
  });
});
