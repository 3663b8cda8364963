// RTP sequence numbers across ffmpeg restarts. A restarted ffmpeg keeps its source ports (and so
// its transport and the viewers' consumers), but it would start its sequence numbers afresh at
// random, and mediasoup forwards them with a constant offset: a jump backwards looks like old,
// replayed packets to the browser (SRTP replay window, packet buffer), which drops the picture
// until the numbers climb past the dead process's last one — seconds to minutes. So the CLI gives
// every ffmpeg its first sequence number (`-seq`): past the most the previous one can have sent.
// That bound grows with the previous process's life; once it could exceed half the number space
// (ahead would read as behind), the restart takes fresh endpoints instead (new consumers).

export interface StartSeqs {
  video: number;
  audio: number;
}

export interface SeqStart {
  seq: StartSeqs;
  /** Whether `seq` is surely ahead of everything the previous process sent. */
  ahead: boolean;
}

/** Room for packets the bound misses (bursts, rounding); the gap reads as loss, a key frame follows. */
const MARGIN = 500;
/** Ahead means less than half the 16-bit space ahead (RFC 3550 arithmetic, SRTP index guess). */
const HALF = 0x8000;

/**
 * Packets per second a stream cannot exceed: every frame is at least one packet, and packets are
 * on average at least half full (a frame is split into ≤ 1200-byte packets), so bitrate / (8·600).
 */
export function maxPacketsPerSecond(bitrateBps: number, fps: number): number {
  return Math.ceil(bitrateBps / 8 / 600 + fps * 1.5);
}

/** "500k" / "1.5M" / "64000" as bits per second. */
export function parseBitrate(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kM]?)$/.exec(value);
  if (!m) throw new Error(`not a bitrate: ${value}`);
  return Number(m[1]) * (m[2] === 'M' ? 1_000_000 : m[2] === 'k' ? 1_000 : 1);
}

export class SeqPlan {
  private last: { seq: StartSeqs; at: number } | null = null;

  constructor(
    private readonly maxPps: StartSeqs,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The first sequence numbers of the next ffmpeg (recorded as its start). */
  next(): SeqStart {
    const at = this.now();
    const last = this.last;
    let start: SeqStart;
    if (!last) {
      // Low in the space, as ffmpeg itself picks, so the first wrap is far off.
      const pick = () => Math.floor(this.random() * 0x1000);
      start = { seq: { video: pick(), audio: pick() }, ahead: true };
    } else {
      const lifeS = Math.max(0, at - last.at) / 1000;
      const skip = (pps: number) => Math.ceil(lifeS * pps) + MARGIN;
      const video = skip(this.maxPps.video);
      const audio = skip(this.maxPps.audio);
      start = {
        seq: { video: (last.seq.video + video) & 0xffff, audio: (last.seq.audio + audio) & 0xffff },
        ahead: video < HALF - MARGIN && audio < HALF - MARGIN,
      };
    }
    this.last = { seq: start.seq, at };
    return start;
  }
}
