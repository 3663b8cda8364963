import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform } from '@telemed/signaling';
import { DEMO_PASSWORD } from './api.js';
import { freePortBlock } from './ports.js';

export interface TestPlatform {
  url: string;
  demoPassword: string;
  platform: Platform;
  sfu: Platform['sfu'];
  close(): Promise<void>;
}

/**
 * The real server (real mediasoup workers, real database in a temp dir), bound to loopback on a free
 * port. WebRTC ports come from a probed free block (support/ports.ts).
 * Nodes of one cluster share `dataDir` (the embedded database) and `redisUrl`.
 */
export async function startTestPlatform(
  /** `port`: listen on this one (a restart on the same address); default a free one. */
  opts: { workers?: number; dataDir?: string; redisUrl?: string; port?: number } = {},
): Promise<TestPlatform> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'telemed-e2e-'));
  const rtcMinPort = await freePortBlock(20);
  const platform = await startPlatform({
    port: opts.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    demoPassword: DEMO_PASSWORD,
    redisUrl: opts.redisUrl,
    dicomPort: 0,
    dicomHost: '127.0.0.1',
    logLevel: (process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn',
    sfuConfig: {
      numWorkers: opts.workers ?? 2,
      listenIp: '127.0.0.1',
      announcedAddress: '127.0.0.1',
      rtcMinPort,
      rtcMaxPort: rtcMinPort + 19,
      logLevel: 'warn',
    },
  });
  return {
    url: platform.url,
    demoPassword: DEMO_PASSWORD,
    platform,
    sfu: platform.sfu,
    async close() {
      await platform.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
