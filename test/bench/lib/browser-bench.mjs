// What the browser benchmarks share: the platform on loopback (a temp data dir, one worker, no DIMSE,
// a login limit fit for repeated runs) and Debian's chromium with the e2e tests' flags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startPlatform } from '@telemed/signaling';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromium.mjs';

export const BENCH_PASSWORD = 'bench-password';

/** Headless Debian chromium (CHROMIUM_PATH overrides). */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * The whole platform for one benchmark; `close()` also removes its data. WebRTC ports come from a
 * random block below the ephemeral range, so a benchmark can run beside the tests.
 */
export async function startBenchPlatform({ name, workers = 1, ...options } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `telemed-bench-${name ?? 'run'}-`));
  const rtcMinPort = 20_000 + Math.floor(Math.random() * 500) * 20;
  const platform = await startPlatform({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    demoPassword: BENCH_PASSWORD,
    logLevel: 'error',
    // Benchmarks log the same users in again and again; the default limit (10 a minute) is for people.
    loginLimit: { max: 10_000, windowMs: 60_000 },
    dicomPort: null,
    ...options,
    sfuConfig: {
      numWorkers: workers,
      listenIp: '127.0.0.1',
      announcedAddress: '127.0.0.1',
      rtcMinPort,
      rtcMaxPort: rtcMinPort + 19,
      logLevel: 'error',
      ...options.sfuConfig,
    },
  });
  return {
    platform,
    url: platform.url,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An access token for a demo user, through the real login API. */
export async function apiLogin(baseUrl, username, password = BENCH_PASSWORD) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status}`);
  return res.json();
}
