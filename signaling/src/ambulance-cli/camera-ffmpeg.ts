// The ffmpeg command line of a vehicle camera: one input (RTSP camera, V4L2 device or synthetic
// test source), encoded for a mobile uplink, sent as plain RTP to the endpoints the server gave.
import type { CameraEndpoints, RtpEndpoint } from '../protocol/index.js';
import type { RtpSourcePorts, SourcePorts } from './camera-ports.js';
import type { StartSeqs } from './camera-seq.js';

export type CameraInput =
  { kind: 'test' } | { kind: 'rtsp'; url: string } | { kind: 'device'; path: string; alsa?: string };

export interface EncodeOptions {
  width: number;
  height: number;
  fps: number;
  /** ffmpeg bitrate, e.g. "500k". */
  videoBitrate: string;
  audioBitrate: string;
  /** Pass an H264 input through untouched (the encoder in the vehicle already did the work). */
  copy: boolean;
}

/** A key frame every 2 s: a viewer joining (nobody can ask ffmpeg for one) waits at most that. */
const KEYFRAME_SECONDS = 2;
/** Below the usual mobile MTU after IP/UDP/RTP headers and some tunnel overhead. */
const PKT_SIZE = 1200;

/** ffmpeg reads -ssrc as a signed 32-bit integer. */
export function ffmpegSsrc(ssrc: number): string {
  return String(ssrc > 0x7fffffff ? ssrc - 0x1_0000_0000 : ssrc);
}

/**
 * ffmpeg 5.1's rtp protocol reads `rtcpport`, `localrtpport` and `localrtcpport` from the URL: the
 * fixed source ports keep the tuple the server's transport locked onto across ffmpeg restarts.
 */
function rtpUrl(ep: RtpEndpoint, from: RtpSourcePorts): string {
  return (
    `rtp://${ep.ip}:${ep.port}?rtcpport=${ep.rtcpPort}` +
    `&localrtpport=${from.rtp}&localrtcpport=${from.rtcp}&pkt_size=${PKT_SIZE}`
  );
}

function inputArgs(input: CameraInput, opts: EncodeOptions, audio: boolean): string[] {
  switch (input.kind) {
    case 'test':
      // -re: the synthetic sources would otherwise run as fast as the CPU allows.
      return [
        '-re',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${opts.width}x${opts.height}:rate=${opts.fps}`,
        ...(audio ? ['-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
      ];
    case 'rtsp':
      // TCP interleaved: UDP from a camera through the vehicle router's NAT is fragile; no buffering.
      return ['-rtsp_transport', 'tcp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-i', input.url];
    case 'device':
      return [
        '-f',
        'v4l2',
        '-framerate',
        String(opts.fps),
        '-video_size',
        `${opts.width}x${opts.height}`,
        '-i',
        input.path,
        ...(audio && input.alsa ? ['-f', 'alsa', '-i', input.alsa] : []),
      ];
  }
}

/** Where the audio comes from: the RTSP stream itself, the lavfi sine, or the ALSA input. */
function audioMap(input: CameraInput): string | null {
  if (input.kind === 'rtsp') return '0:a:0';
  if (input.kind === 'test') return '1:a:0';
  return input.alsa ? '1:a:0' : null;
}

function videoCodecArgs(ep: RtpEndpoint, opts: EncodeOptions): string[] {
  const scale = ['-vf', `scale=${opts.width}:${opts.height},fps=${opts.fps}`, '-pix_fmt', 'yuv420p'];
  const gop = String(opts.fps * KEYFRAME_SECONDS);
  const rate = ['-b:v', opts.videoBitrate, '-maxrate', opts.videoBitrate, '-bufsize', opts.videoBitrate];
  if (ep.codec === 'H264') {
    if (opts.copy) return ['-c:v', 'copy'];
    return [
      ...scale,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-profile:v',
      'baseline',
      '-level',
      '3.1',
      ...rate,
      '-g',
      gop,
      '-bsf:v',
      'h264_mp4toannexb',
    ];
  }
  // VP8 for a live uplink: realtime speed, no look-ahead or alt-ref frames (they add latency),
  // error resilience so a lost packet spoils less.
  return [
    ...scale,
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-lag-in-frames',
    '0',
    '-auto-alt-ref',
    '0',
    '-error-resilient',
    '1',
    ...rate,
    '-g',
    gop,
    '-keyint_min',
    gop,
  ];
}

/** The full ffmpeg argument list for the current endpoints, sent from the CLI's source ports. */
export function cameraFfmpegArgs(
  input: CameraInput,
  ep: CameraEndpoints,
  opts: EncodeOptions,
  ports: SourcePorts,
  seq?: StartSeqs,
): string[] {
  const map = ep.audio ? audioMap(input) : null;
  const args = ['-hide_banner', '-loglevel', 'warning', '-nostdin', ...inputArgs(input, opts, map !== null)];
  args.push(
    '-map',
    '0:v:0',
    ...videoCodecArgs(ep.video, opts),
    '-an',
    '-f',
    'rtp',
    '-payload_type',
    String(ep.video.payloadType),
    '-ssrc',
    ffmpegSsrc(ep.video.ssrc),
    ...(seq ? ['-seq', String(seq.video)] : []),
    rtpUrl(ep.video, ports.video),
  );
  if (ep.audio && map) {
    args.push(
      '-map',
      map,
      '-c:a',
      'libopus',
      '-application',
      'voip',
      '-b:a',
      opts.audioBitrate,
      '-ar',
      '48000',
      '-ac',
      '2',
      '-vn',
      '-f',
      'rtp',
      '-payload_type',
      String(ep.audio.payloadType),
      '-ssrc',
      ffmpegSsrc(ep.audio.ssrc),
      ...(seq ? ['-seq', String(seq.audio)] : []),
      rtpUrl(ep.audio, ports.audio),
    );
  }
  return args;
}

/** Whether this input can carry audio at all (so the camera asks the server for an audio stream). */
export function inputHasAudio(input: CameraInput): boolean {
  return input.kind !== 'device' || input.alsa !== undefined;
}
