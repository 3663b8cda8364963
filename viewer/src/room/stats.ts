/** What the end-to-end tests (and the quality indicator) read from one consumer's receiver. */
export interface InboundStat {
  peerId: string;
  kind: 'audio' | 'video';
  source: string;
  framesDecoded: number;
  packetsReceived: number;
  bytesReceived: number;
  totalSamplesReceived: number;
  packetsLost: number;
  jitter: number;
  /** Video only: the height being decoded, which shows the simulcast layer received. */
  frameHeight: number;
}

type StatsEntry = { type?: unknown } & Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * The receiver's `inbound-rtp` entry of an RTCStatsReport (passed as its values, so this stays
 * DOM-free). A receiver has one; if a browser reports several, the busiest is the live one.
 */
export function inboundRtpOf(
  entries: Iterable<StatsEntry>,
  meta: { peerId: string; kind: 'audio' | 'video'; source: string },
): InboundStat | null {
  let best: StatsEntry | null = null;
  for (const entry of entries) {
    if (entry.type !== 'inbound-rtp') continue;
    if (!best || num(entry.packetsReceived) > num(best.packetsReceived)) best = entry;
  }
  if (!best) return null;
  return {
    ...meta,
    framesDecoded: num(best.framesDecoded),
    packetsReceived: num(best.packetsReceived),
    bytesReceived: num(best.bytesReceived),
    totalSamplesReceived: num(best.totalSamplesReceived),
    packetsLost: num(best.packetsLost),
    jitter: num(best.jitter),
    frameHeight: num(best.frameHeight),
  };
}

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/**
 * A connection's quality from mediasoup's consumer score (0–10, the worse of what the SFU receives
 * from the sender and what it manages to send us), else from our own packet loss.
 */
export function qualityOf(
  score: number | null,
  loss?: { packetsLost: number; packetsReceived: number },
): Quality {
  if (score !== null) {
    if (score >= 7) return 'good';
    if (score >= 4) return 'fair';
    return 'poor';
  }
  if (!loss || loss.packetsReceived + loss.packetsLost === 0) return 'unknown';
  const ratio = loss.packetsLost / (loss.packetsReceived + loss.packetsLost);
  if (ratio < 0.02) return 'good';
  if (ratio < 0.08) return 'fair';
  return 'poor';
}

/** The worst of several qualities (a peer's audio and video), `unknown` only if all are. */
export function worstQuality(qualities: Quality[]): Quality {
  const order: Quality[] = ['poor', 'fair', 'good'];
  for (const q of order) if (qualities.includes(q)) return q;
  return 'unknown';
}
