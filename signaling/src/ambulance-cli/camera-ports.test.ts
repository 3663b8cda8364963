// The source ports the camera CLI gives ffmpeg: distinct, free when probed, and what ffmpeg 5.1
// reports when one was taken in between.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { probeSourcePorts, probeUdpPorts } from './camera-ports.js';
import { isBindFailure } from './ffmpeg-supervisor.js';

const bind = (port: number) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, '0.0.0.0', () => resolve(() => new Promise((done) => s.close(() => done()))));
  });

describe('camera source ports', () => {
  it('four distinct ports (video and audio RTP/RTCP), each free to bind once probed', async () => {
    const ports = await probeSourcePorts();
    const all = [ports.video.rtp, ports.video.rtcp, ports.audio.rtp, ports.audio.rtcp];
    expect(new Set(all).size).toBe(4);
    for (const p of all) expect(p).toBeGreaterThan(1023);
    const closers = await Promise.all(all.map(bind));
    await Promise.all(closers.map((close) => close()));
  });

  it('never hands out a port that is held', async () => {
    const [held] = await probeUdpPorts(1);
    const release = await bind(held!);
    try {
      for (let i = 0; i < 5; i++) expect(await probeUdpPorts(8)).not.toContain(held);
    } finally {
      await release();
    }
  });

  it("recognises ffmpeg's bind failure, and only that", () => {
    expect(
      isBindFailure(
        '[udp @ 0x55bd6d41a540] bind failed: Address already in use\nrtp://…: Input/output error',
      ),
    ).toBe(true);
    expect(isBindFailure('rtsp://cam.local/main: Connection refused')).toBe(false);
    expect(isBindFailure('Conversion failed!')).toBe(false);
  });
});
