// Which ffmpeg to run for RTP ingest and benchmarks.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface FfmpegOptions {
  env?: NodeJS.ProcessEnv;
  /** The `ffmpeg-static` module's path (default: `require('ffmpeg-static')`, or null if absent). */
  ffmpegStaticPath?: string | null;
}

/**
 * `FFMPEG_PATH` if set; else the `ffmpeg-static` binary if it was downloaded and is executable;
 * else `ffmpeg` on `PATH`. Throws if none is found.
 */
export function resolveFfmpeg(opts: FfmpegOptions = {}): string {
  const env = opts.env ?? process.env;
  if (env.FFMPEG_PATH) return env.FFMPEG_PATH;

  const staticPath = opts.ffmpegStaticPath === undefined ? ffmpegStaticModulePath() : opts.ffmpegStaticPath;
  if (staticPath && isExecutableFile(staticPath)) return staticPath;

  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ffmpeg');
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new Error(
    'ffmpeg not found: set FFMPEG_PATH, or install ffmpeg (Debian: `apt-get install ffmpeg`; ' +
      'the optional `ffmpeg-static` package downloads its binary only when its install script may run).',
  );
}

function ffmpegStaticModulePath(): string | null {
  try {
    const path = require('ffmpeg-static') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
