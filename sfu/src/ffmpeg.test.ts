import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from './ffmpeg.js';

const dir = mkdtempSync(join(tmpdir(), 'sfu-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(sub: string, executable: boolean): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const path = join(dir, sub, 'ffmpeg');
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

describe('resolveFfmpeg', () => {
  const staticBin = fakeBinary('static', true);
  const notExecutable = fakeBinary('noexec', false);
  const onPath = fakeBinary('bin', true);
  const PATH = [join(dir, 'missing'), join(dir, 'noexec'), join(dir, 'bin')].join(':');

  it('prefers FFMPEG_PATH over everything', () => {
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: '/opt/ff/ffmpeg', PATH }, ffmpegStaticPath: staticBin })).toBe(
      '/opt/ff/ffmpeg',
    );
  });

  it('then the ffmpeg-static binary when it exists and is executable', () => {
    expect(resolveFfmpeg({ env: { PATH }, ffmpegStaticPath: staticBin })).toBe(staticBin);
  });

  it('skips an ffmpeg-static path that was never downloaded or is not executable, and searches PATH', () => {
    expect(resolveFfmpeg({ env: { PATH }, ffmpegStaticPath: join(dir, 'static', 'absent') })).toBe(onPath);
    expect(resolveFfmpeg({ env: { PATH }, ffmpegStaticPath: notExecutable })).toBe(onPath);
    expect(resolveFfmpeg({ env: { PATH }, ffmpegStaticPath: null })).toBe(onPath);
  });

  it('says how to get one when there is none', () => {
    expect(() => resolveFfmpeg({ env: { PATH: join(dir, 'noexec') }, ffmpegStaticPath: null })).toThrow(
      /ffmpeg not found: set FFMPEG_PATH/,
    );
  });

  it('finds an ffmpeg on this machine with the real ffmpeg-static module', () => {
    const env = { ...process.env, FFMPEG_PATH: '' };
    expect(resolveFfmpeg({ env })).toMatch(/ffmpeg$/);
  });
});
