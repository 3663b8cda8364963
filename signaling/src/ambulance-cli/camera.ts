#!/usr/bin/env node
// `npm run ambulance:camera -- --url … --user … --password … --run <runId> [--test | --input rtsp://… |
// --device /dev/video0]`: a vehicle camera into the run's consult room. The server gives plain RTP
// endpoints; ffmpeg sends there from source ports the CLI picks once (camera-ports.ts), so an
// ffmpeg restarted after a crash is still the sender the server's transport knows. The camera polls the server (its lease; see camera-loop.ts for
// new endpoints after the room moved or the video stalled, and a server that forgot the camera),
// restarts ffmpeg with backoff when it dies, and stops the camera on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '@telemed/sfu';
import type { CameraEndpoints, StartCameraBody } from '../protocol/index.js';
import { CameraApi, explainCameraError } from './camera-api.js';
import { cameraFfmpegArgs, inputHasAudio, type CameraInput, type EncodeOptions } from './camera-ffmpeg.js';
import { CameraLoop } from './camera-loop.js';
import { probeSourcePorts, type SourcePorts } from './camera-ports.js';
import { maxPacketsPerSecond, parseBitrate, SeqPlan } from './camera-seq.js';
import { FfmpegSupervisor } from './ffmpeg-supervisor.js';

const USAGE = `Usage: npm run ambulance:camera -- --url http://localhost:8080 --user amb.sun --password … \\
    --run <runId> [--test | --input rtsp://host/stream | --device /dev/video0 [--alsa hw:0]]
    [--size 640x360] [--fps 15] [--bitrate 500k] [--audio-bitrate 32k] [--codec VP8|H264] [--copy]
    [--label "Rear camera"] [--no-audio] [--poll-ms 2000]
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
      'poll-ms': { type: 'string', default: '2000' },
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
    pollMs: Math.max(200, Number(values['poll-ms']) || 2000),
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
  let ports: SourcePorts = await probeSourcePorts();
  const logPorts = () =>
    log(
      `sending from UDP ports ${ports.video.rtp}/${ports.video.rtcp} (video RTP/RTCP)` +
        (opts.audio ? `, ${ports.audio.rtp}/${ports.audio.rtcp} (audio)` : ''),
    );
  logPorts();
  const supervisor = new FfmpegSupervisor(ffmpeg, {
    log,
    // Another program took a port between the probe and this ffmpeg: other ports, and endpoints
    // whose transports have not locked onto the old ones.
    portsTaken: () => {
      void probeSourcePorts()
        .then(
          (fresh) => {
            ports = fresh;
            logPorts();
          },
          // Try the same ports again with the next endpoints (the holder may be gone by then).
          (err: unknown) => log(`cannot find free UDP ports (${(err as Error).message})`),
        )
        .then(() => loop.requestEndpoints('ffmpeg needs to send from other ports'));
    },
  });
  // Passed through (--copy), the vehicle encoder's rate is unknown: bound it generously.
  const videoBps = parseBitrate(opts.encode.videoBitrate);
  const seqPlan = new SeqPlan({
    video: opts.encode.copy
      ? maxPacketsPerSecond(Math.max(videoBps, 8_000_000), Math.max(opts.encode.fps, 30))
      : maxPacketsPerSecond(videoBps, opts.encode.fps),
    audio: 60, // opus in 20 ms frames: 50 a second
  });
  const ffmpegArgs = (c: CameraEndpoints) => (restart: boolean) => {
    const { seq, ahead } = seqPlan.next();
    if (restart && !ahead) loop.requestEndpoints('ffmpeg ran too long to continue its sequence numbers');
    return cameraFfmpegArgs(opts.input, c, opts.encode, ports, seq);
  };
  const loop = new CameraLoop({
    api,
    sender: {
      send: (c) => supervisor.run(ffmpegArgs(c)),
      halt: () => supervisor.halt(),
    },
    body,
    pollMs: opts.pollMs,
    log,
  });
  let camera: CameraEndpoints;
  try {
    await api.login();
    camera = await loop.begin();
  } catch (err) {
    log(`cannot start the camera: ${explainCameraError(err)}`);
    await supervisor.stop();
    return 1;
  }
  // Machine-readable line for scripts and tests.
  process.stdout.write(
    `${JSON.stringify({ event: 'started', peerId: camera.peerId, roomId: camera.roomId })}\n`,
  );

  const stopped = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        log(`${signal}: stopping the camera`);
        void loop
          .stop()
          .then(() => supervisor.stop())
          .then(() => resolve(0));
      });
  });
  const ended = loop.run().then(async (code) => {
    await supervisor.stop();
    return code;
  });
  return Promise.race([ended, stopped]);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[camera] ${explainCameraError(err)}`);
    process.exit(1);
  },
);
