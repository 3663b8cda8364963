#!/usr/bin/env node
// `npm run ambulance:camera -- --url … --user … --password … --run <runId> [--test | --input rtsp://… |
// --device /dev/video0]`: a vehicle camera into the run's consult room. The server gives plain RTP
// endpoints; ffmpeg sends there. The camera polls the server (that is its lease, and how it learns
// new endpoints after the media server moved the room), starts a new camera when the server forgot
// it (restart), restarts ffmpeg with backoff when it dies, and stops the camera on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '@telemed/sfu';
import type { CameraEndpoints, StartCameraBody } from '../protocol/index.js';
import { CameraApi, CameraApiError } from './camera-api.js';
import { cameraFfmpegArgs, inputHasAudio, type CameraInput, type EncodeOptions } from './camera-ffmpeg.js';
import { FfmpegSupervisor } from './ffmpeg-supervisor.js';

const USAGE = `Usage: npm run ambulance:camera -- --url http://localhost:8080 --user amb.sun --password … \\
    --run <runId> [--test | --input rtsp://host/stream | --device /dev/video0 [--alsa hw:0]]
    [--size 640x360] [--fps 15] [--bitrate 500k] [--audio-bitrate 32k] [--codec VP8|H264] [--copy]
    [--label "Rear camera"] [--no-audio]
  The password may also come from TELEMED_PASSWORD. ffmpeg: FFMPEG_PATH, else ffmpeg-static, else PATH.`;

class UsageError extends Error {}

interface CliOptions {
  url: string;
  user: string;
  password: string;
  runId: string;
  input: CameraInput;
  encode: EncodeOptions;
  codec: 'VP8' | 'H264';
  audio: boolean;
  label?: string;
  /** Poll interval ceiling (the lease decides too). */
  pollMs: number;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://localhost:8080' },
      user: { type: 'string' },
      password: { type: 'string' },
      run: { type: 'string' },
      input: { type: 'string' },
      device: { type: 'string' },
      alsa: { type: 'string' },
      test: { type: 'boolean', default: false },
      size: { type: 'string', default: '640x360' },
      fps: { type: 'string', default: '15' },
      bitrate: { type: 'string', default: '500k' },
      'audio-bitrate': { type: 'string', default: '32k' },
      codec: { type: 'string', default: 'VP8' },
      copy: { type: 'boolean', default: false },
      label: { type: 'string' },
      'no-audio': { type: 'boolean', default: false },
      'poll-ms': { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  const password = values.password ?? process.env.TELEMED_PASSWORD;
  if (!values.user || !password || !values.run)
    throw new UsageError('--user, --password and --run are required');
  const sources = [values.test, values.input !== undefined, values.device !== undefined].filter(Boolean);
  if (sources.length !== 1) throw new UsageError('give exactly one of --test, --input or --device');
  const input: CameraInput = values.test
    ? { kind: 'test' }
    : values.input !== undefined
      ? { kind: 'rtsp', url: values.input }
      : { kind: 'device', path: values.device!, ...(values.alsa ? { alsa: values.alsa } : {}) };
  const size = /^(\d{2,4})x(\d{2,4})$/.exec(values.size);
  if (!size) throw new UsageError('--size must look like 640x360');
  const fps = Number(values.fps);
  if (!Number.isInteger(fps) || fps < 1 || fps > 60) throw new UsageError('--fps must be 1..60');
  if (values.codec !== 'VP8' && values.codec !== 'H264') throw new UsageError('--codec must be VP8 or H264');
  if (values.copy && values.codec !== 'H264') throw new UsageError('--copy needs --codec H264');
  for (const [name, v] of [
    ['--bitrate', values.bitrate],
    ['--audio-bitrate', values['audio-bitrate']],
  ]) {
    if (!/^\d+(\.\d+)?[kM]?$/.test(v!)) throw new UsageError(`${name} must look like 500k`);
  }
  return {
    url: values.url,
    user: values.user,
    password,
    runId: values.run,
    input,
    encode: {
      width: Number(size[1]),
      height: Number(size[2]),
      fps,
      videoBitrate: values.bitrate,
      audioBitrate: values['audio-bitrate'],
      copy: values.copy,
    },
    codec: values.codec,
    audio: !values['no-audio'] && inputHasAudio(input),
    ...(values.label ? { label: values.label } : {}),
    pollMs: Math.max(200, Number(values['poll-ms']) || 5000),
  };
}

/** Which ffmpeg, and why that one. */
function findFfmpeg(log: (line: string) => void): string {
  const path = resolveFfmpeg();
  const origin = process.env.FFMPEG_PATH
    ? 'FFMPEG_PATH'
    : /ffmpeg-static/.test(path)
      ? 'the ffmpeg-static package'
      : 'PATH';
  log(`using ffmpeg ${path} (from ${origin})`);
  return path;
}

function explain(err: unknown): string {
  if (err instanceof CameraApiError) {
    if (err.code === 'NOT_FOUND') return `run not found (or no such camera): ${err.message}`;
    if (err.code === 'FORBIDDEN') return `forbidden: ${err.message}`;
    if (err.status === 401) return `login failed: ${err.message}`;
    return `${err.code}: ${err.message}`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'the server is not reachable (connection refused)';
  if (cause?.message) return `${(err as Error).message}: ${cause.message}`;
  return err instanceof Error ? err.message : String(err);
}

const isGone = (err: unknown) => err instanceof CameraApiError && err.code === 'NOT_FOUND';
const isFatal = (err: unknown) =>
  err instanceof CameraApiError &&
  (err.code === 'FORBIDDEN' || err.code === 'CONFLICT' || err.code === 'BAD_REQUEST' || err.status === 401);

async function main(): Promise<number> {
  const log = (line: string) => console.error(`[camera] ${line}`);
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`error: ${err.message}`);
      console.error(USAGE);
      return err.message ? 2 : 0;
    }
    throw err;
  }
  let ffmpeg: string;
  try {
    ffmpeg = findFfmpeg(log);
  } catch (err) {
    log((err as Error).message);
    return 3;
  }

  const api = new CameraApi({ url: opts.url, user: opts.user, password: opts.password, runId: opts.runId });
  const body: StartCameraBody = {
    video: { codec: opts.codec },
    audio: opts.audio,
    ...(opts.label ? { label: opts.label } : {}),
  };
  let camera: CameraEndpoints;
  try {
    await api.login();
    camera = await api.start(body);
  } catch (err) {
    log(`cannot start the camera: ${explain(err)}`);
    return 1;
  }
  const supervisor = new FfmpegSupervisor(ffmpeg, { log });
  const sendTo = (c: CameraEndpoints) => {
    log(
      `camera ${c.peerId} (generation ${c.generation}): video ${c.video.codec} → ${c.video.ip}:${c.video.port}` +
        (c.audio ? `, audio opus → ${c.audio.ip}:${c.audio.port}` : ''),
    );
    supervisor.run(cameraFfmpegArgs(opts.input, c, opts.encode));
  };
  sendTo(camera);
  // Machine-readable line for scripts and tests.
  process.stdout.write(
    `${JSON.stringify({ event: 'started', peerId: camera.peerId, roomId: camera.roomId })}\n`,
  );

  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    wake?.();
    log(`${why}: stopping the camera`);
    await supervisor.stop();
    await api.stop(camera.peerId).catch((err: unknown) => log(`could not stop the camera: ${explain(err)}`));
  };
  const stopped = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void stop(signal).then(() => resolve(0)));
  });

  // The poll loop: renews the lease and follows the endpoints.
  const loop = (async (): Promise<number> => {
    while (!stopping) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(opts.pollMs, camera.leaseMs / 3));
      });
      if (stopping) break;
      try {
        const now = await api.poll(camera.peerId);
        if (stopping) break;
        if (now.generation !== camera.generation) {
          log('the media server moved the room; new endpoints');
          camera = now;
          sendTo(camera);
        }
      } catch (err) {
        if (stopping) break;
        if (isGone(err)) {
          // The server restarted or dropped the camera (lease): start a new one.
          log('the server no longer knows this camera; starting it again');
          try {
            camera = await api.start(body);
            sendTo(camera);
          } catch (again) {
            if (isFatal(again)) {
              log(`cannot start the camera again: ${explain(again)}`);
              await supervisor.stop();
              return 1;
            }
            log(`cannot start the camera again yet: ${explain(again)}`);
          }
        } else if (err instanceof CameraApiError && err.code === 'CONFLICT') {
          log(`${err.message}; exiting`);
          await supervisor.stop();
          return 0;
        } else if (isFatal(err)) {
          log(`giving up: ${explain(err)}`);
          await supervisor.stop();
          return 1;
        } else {
          // Network trouble: ffmpeg keeps sending; try again next round.
          log(`poll failed (${explain(err)}); retrying`);
        }
      }
    }
    return stopped;
  })();
  return Promise.race([loop, stopped]);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[camera] ${explain(err)}`);
    process.exit(1);
  },
);
