// First sequence numbers of restarted ffmpegs: ahead of all the previous process can have sent,
// and "not ahead" once that bound could pass half the 16-bit space.
import { describe, expect, it } from 'vitest';
import { maxPacketsPerSecond, parseBitrate, SeqPlan } from './camera-seq.js';

describe('camera RTP sequence plan', () => {
  it('bounds the packet rate from bitrate and frame rate; parses ffmpeg bitrates', () => {
    expect(parseBitrate('500k')).toBe(500_000);
    expect(parseBitrate('1.5M')).toBe(1_500_000);
    expect(parseBitrate('64000')).toBe(64_000);
    expect(() => parseBitrate('fast')).toThrow();
    // 500 kbit/s in ≥ 600-byte packets on average, plus small frames: ≈ 127 a second (real ≈ 50).
    expect(maxPacketsPerSecond(500_000, 15)).toBe(127);
  });

  it('starts low; each restart starts past what the last can have sent; wraps at 2^16', () => {
    let now = 1_000_000;
    const plan = new SeqPlan(
      { video: 100, audio: 60 },
      () => now,
      () => 0.5,
    );
    expect(plan.next()).toEqual({ seq: { video: 2048, audio: 2048 }, ahead: true });
    now += 10_000; // ran 10 s: at most 1000 video and 600 audio packets
    expect(plan.next()).toEqual({ seq: { video: 2048 + 1000 + 500, audio: 2048 + 600 + 500 }, ahead: true });
    now += 200_000; // 200 s: 20 000 video packets at most
    const far = plan.next();
    expect(far.seq.video).toBe((3548 + 20_000 + 500) & 0xffff);
    expect(far.ahead).toBe(true);
    now += 400_000; // 400 s: the bound (40 000) is past half the space: ahead would read as behind
    const tooFar = plan.next();
    expect(tooFar.seq.video).toBe((far.seq.video + 40_000 + 500) & 0xffff);
    expect(tooFar.ahead).toBe(false);
  });
});
