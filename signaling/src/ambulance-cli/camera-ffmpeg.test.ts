import { describe, expect, it } from 'vitest';
import type { CameraEndpoints } from '../protocol/index.js';
import { cameraFfmpegArgs, ffmpegSsrc } from './camera-ffmpeg.js';

const endpoints: CameraEndpoints = {
  peerId: 'cam-1',
  runId: 'run-1',
  roomId: 'room-1',
  label: 'Camera 120-12',
  generation: 1,
  state: 'starting',
  leaseMs: 30_000,
  video: { ip: '10.0.0.5', port: 40010, rtcpPort: 40011, payloadType: 96, ssrc: 1234, codec: 'VP8' },
  audio: { ip: '10.0.0.5', port: 40012, rtcpPort: 40013, payloadType: 111, ssrc: 5678, codec: 'opus' },
};
const ports = { video: { rtp: 50100, rtcp: 50101 }, audio: { rtp: 50200, rtcp: 50201 } };
const encode = { width: 640, height: 360, fps: 15, videoBitrate: '500k', audioBitrate: '32k', copy: false };
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('camera ffmpeg arguments', () => {
  it('test source: testsrc2 and sine, low-latency VP8 and opus to the RTP and RTCP ports, from the given source ports', () => {
    const args = cameraFfmpegArgs({ kind: 'test' }, endpoints, encode, ports);
    expect(args).toContain('testsrc2=size=640x360:rate=15');
    expect(args).toContain('sine=frequency=440:sample_rate=48000');
    expect(after(args, '-c:v')).toBe('libvpx');
    expect(after(args, '-deadline')).toBe('realtime');
    expect(after(args, '-lag-in-frames')).toBe('0');
    expect(after(args, '-b:v')).toBe('500k');
    expect(after(args, '-g')).toBe('30');
    expect(args).toContain(
      'rtp://10.0.0.5:40010?rtcpport=40011&localrtpport=50100&localrtcpport=50101&pkt_size=1200',
    );
    expect(args).toContain(
      'rtp://10.0.0.5:40012?rtcpport=40013&localrtpport=50200&localrtcpport=50201&pkt_size=1200',
    );
    expect(args.filter((a) => a === '-ssrc').length).toBe(2);
    expect(args.join(' ')).toMatch(/-payload_type 96 -ssrc 1234 rtp:\/\/10\.0\.0\.5:40010/);
    expect(args.join(' ')).toMatch(/-payload_type 111 -ssrc 5678 rtp:\/\/10\.0\.0\.5:40012/);
  });

  it('RTSP over TCP; H264 baseline; no audio output without an audio endpoint', () => {
    const { audio: _audio, ...videoOnly } = endpoints;
    const h264 = { ...videoOnly, video: { ...videoOnly.video, codec: 'H264' as const, payloadType: 102 } };
    const args = cameraFfmpegArgs({ kind: 'rtsp', url: 'rtsp://cam.local/main' }, h264, encode, ports);
    expect(after(args, '-rtsp_transport')).toBe('tcp');
    expect(after(args, '-i')).toBe('rtsp://cam.local/main');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-profile:v')).toBe('baseline');
    expect(args).not.toContain('libopus');
    expect(args.filter((a) => a.startsWith('rtp://'))).toEqual([
      'rtp://10.0.0.5:40010?rtcpport=40011&localrtpport=50100&localrtcpport=50101&pkt_size=1200',
    ]);
    expect(
      cameraFfmpegArgs({ kind: 'rtsp', url: 'rtsp://x' }, h264, { ...encode, copy: true }, ports),
    ).toContain('copy');
  });

  it('V4L2 device at the asked size and rate', () => {
    const args = cameraFfmpegArgs({ kind: 'device', path: '/dev/video0' }, endpoints, encode, ports);
    expect(after(args, '-f')).toBe('v4l2');
    expect(after(args, '-video_size')).toBe('640x360');
    expect(after(args, '-i')).toBe('/dev/video0');
    expect(args).not.toContain('libopus'); // no --alsa: no microphone to send
  });

  it('the first sequence numbers, when given, before each RTP output', () => {
    const args = cameraFfmpegArgs({ kind: 'test' }, endpoints, encode, ports, { video: 7000, audio: 900 });
    expect(args.join(' ')).toMatch(/-ssrc 1234 -seq 7000 rtp:\/\/10\.0\.0\.5:40010\?/);
    expect(args.join(' ')).toMatch(/-ssrc 5678 -seq 900 rtp:\/\/10\.0\.0\.5:40012\?/);
    expect(cameraFfmpegArgs({ kind: 'test' }, endpoints, encode, ports)).not.toContain('-seq');
  });

  it('SSRCs above 2^31 are passed as ffmpeg reads them (signed 32-bit)', () => {
    expect(ffmpegSsrc(0x7fffffff)).toBe('2147483647');
    expect(ffmpegSsrc(0xffffffff)).toBe('-1');
  });
});
