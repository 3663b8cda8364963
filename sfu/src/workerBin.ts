// Where the mediasoup-worker binary is, and loading mediasoup so that it uses it.
//
// mediasoup reads MEDIASOUP_WORKER_BIN once, when its module is first evaluated, so mediasoup is only
// ever loaded through `loadMediasoup()`, after the variable is set.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Mediasoup from 'mediasoup';
import { sfuLogger } from './logger.js';

const require = createRequire(import.meta.url);

export interface WorkerBinOptions {
  env?: NodeJS.ProcessEnv;
  /** mediasoup's package directory (default: the installed one). */
  mediasoupDir?: string;
}

/** The installed mediasoup package directory (its `package.json` is not in its `exports`). */
export function mediasoupPackageDir(): string {
  // .../node_modules/mediasoup/node/lib/index.js
  return join(dirname(require.resolve('mediasoup')), '..', '..');
}

/** `${TELEMED_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/telemed}`, as infra/mediasoup-worker does. */
export function telemedCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TELEMED_CACHE_DIR) return env.TELEMED_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(xdg, 'telemed');
}

/**
 * The worker binary to use: `MEDIASOUP_WORKER_BIN` if set; else the newest cached build for the
 * installed mediasoup version (`<cache>/mediasoup-worker/<version>-*\/mediasoup-worker`); else
 * mediasoup's own `worker/out/Release/mediasoup-worker`. Throws if none exists.
 */
export function resolveWorkerBin(opts: WorkerBinOptions = {}): string {
  const env = opts.env ?? process.env;
  if (env.MEDIASOUP_WORKER_BIN) return env.MEDIASOUP_WORKER_BIN;

  const msDir = opts.mediasoupDir ?? mediasoupPackageDir();
  const version = (JSON.parse(readFileSync(join(msDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const cacheDir = join(telemedCacheRoot(env), 'mediasoup-worker');
  const cached = listDir(cacheDir)
    .filter((name) => name.startsWith(`${version}-`))
    .map((name) => join(cacheDir, name, 'mediasoup-worker'))
    .filter((bin) => existsSync(bin))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (cached[0]) return cached[0];

  const builtIn = join(msDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (existsSync(builtIn)) return builtIn;

  throw new Error(
    `No mediasoup-worker binary for mediasoup ${version}: MEDIASOUP_WORKER_BIN is not set, ` +
      `${cacheDir}/${version}-*/mediasoup-worker and ${builtIn} do not exist. ` +
      'Run `npm install` (it builds one) or `infra/mediasoup-worker/ensure-worker.sh`.',
  );
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export type MediasoupModule = typeof Mediasoup;
let loading: Promise<MediasoupModule> | undefined;

/** mediasoup, loaded once with `MEDIASOUP_WORKER_BIN` pointing at `resolveWorkerBin()`. */
export function loadMediasoup(): Promise<MediasoupModule> {
  loading ??= (async () => {
    const bin = resolveWorkerBin();
    process.env.MEDIASOUP_WORKER_BIN = bin;
    const mediasoup = await import('mediasoup');
    if (mediasoup.workerBin !== bin) {
      // Someone loaded mediasoup before us: point its Worker module at the right binary.
      const workerModule = require(join(dirname(require.resolve('mediasoup')), 'Worker.js')) as {
        workerBin: string;
      };
      sfuLogger().warn(
        { was: workerModule.workerBin, bin },
        'mediasoup was loaded early; overriding its worker binary',
      );
      workerModule.workerBin = bin;
    }
    mediasoup.setLogEventListeners({
      onwarn: (namespace, log) => sfuLogger().warn({ namespace }, log),
      // A request mediasoup refused as invalid (the client's fault) is not a server error.
      onerror: (namespace, log, error) =>
        /TypeError|UnsupportedError/.test(log)
          ? sfuLogger().debug({ namespace }, log)
          : sfuLogger().error({ namespace, err: error }, log),
    });
    return mediasoup;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
