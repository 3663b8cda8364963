import { describe, expect, it } from 'vitest';
import { inboundRtpOf, qualityOf, worstQuality } from './stats.js';

const meta = { peerId: 'p1', kind: 'video' as const, source: 'camera' };

describe('inboundRtpOf', () => {
  it('reads the inbound-rtp entry of a receiver report and ignores the rest', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['T01', { type: 'transport', bytesReceived: 999_999 }],
      ['CP1', { type: 'candidate-pair', packetsReceived: 5000 }],
      [
        'IT01',
        {
          type: 'inbound-rtp',
          kind: 'video',
          framesDecoded: 120,
          packetsReceived: 400,
          bytesReceived: 350_000,
          packetsLost: 2,
          jitter: 0.004,
          frameHeight: 360,
        },
      ],
    ]);
    expect(inboundRtpOf(report.values(), meta)).toEqual({
      ...meta,
      framesDecoded: 120,
      packetsReceived: 400,
      bytesReceived: 350_000,
      totalSamplesReceived: 0,
      packetsLost: 2,
      jitter: 0.004,
      frameHeight: 360,
    });
  });

  it('takes audio samples and defaults what a kind does not report to zero', () => {
    const stat = inboundRtpOf(
      [{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, totalSamplesReceived: 48_000 }],
      {
        ...meta,
        kind: 'audio',
        source: 'mic',
      },
    );
    expect(stat).toMatchObject({
      totalSamplesReceived: 48_000,
      framesDecoded: 0,
      bytesReceived: 0,
      frameHeight: 0,
    });
  });

  it('prefers the busiest entry when a browser reports several', () => {
    const stat = inboundRtpOf(
      [
        { type: 'inbound-rtp', packetsReceived: 3, framesDecoded: 1 },
        { type: 'inbound-rtp', packetsReceived: 300, framesDecoded: 90 },
      ],
      meta,
    );
    expect(stat?.framesDecoded).toBe(90);
  });

  it('is null before the receiver has any inbound-rtp entry', () => {
    expect(inboundRtpOf([{ type: 'codec' }], meta)).toBeNull();
  });

  it('does not pass non-numbers through', () => {
    expect(
      inboundRtpOf([{ type: 'inbound-rtp', packetsReceived: 'many', bytesReceived: Number.NaN }], meta),
    ).toMatchObject({
      packetsReceived: 0,
      bytesReceived: 0,
    });
  });
});

describe('qualityOf', () => {
  it('maps the SFU score', () => {
    expect(qualityOf(10)).toBe('good');
    expect(qualityOf(7)).toBe('good');
    expect(qualityOf(5)).toBe('fair');
    expect(qualityOf(2)).toBe('poor');
    expect(qualityOf(0)).toBe('poor');
  });

  it('falls back to packet loss without a score', () => {
    expect(qualityOf(null)).toBe('unknown');
    expect(qualityOf(null, { packetsLost: 0, packetsReceived: 0 })).toBe('unknown');
    expect(qualityOf(null, { packetsLost: 1, packetsReceived: 999 })).toBe('good');
    expect(qualityOf(null, { packetsLost: 5, packetsReceived: 95 })).toBe('fair');
    expect(qualityOf(null, { packetsLost: 20, packetsReceived: 80 })).toBe('poor');
  });

  it('a peer is as good as its worst stream', () => {
    expect(worstQuality(['good', 'fair'])).toBe('fair');
    expect(worstQuality(['unknown', 'good'])).toBe('good');
    expect(worstQuality(['good', 'poor', 'unknown'])).toBe('poor');
    expect(worstQuality([])).toBe('unknown');
  });
});
