// Is video RTP arriving at a camera's current endpoints? A comedia plain transport keeps the first
// source address it hears from: if that was an old ffmpeg, or the ambulance's modem before its NAT
// mapping changed, every later packet is dropped and the producer's byte count stays flat forever.
// The count is sampled on the sender's polls; flat for `stallAfterMs` means "stalled", and the
// sender is told to come back for fresh endpoints.

/** Video silence that counts as a stall (and the first wait for a sender's first bytes). */
export const DEFAULT_STALL_MS = 6_000;
/** Ceiling of the growing wait for a sender that keeps not getting through. */
export const MAX_STALL_MS = 60_000;

export type FlowState = 'starting' | 'receiving' | 'stalled';

/**
 * How long endpoints may stay silent before they count as stalled, after `streak` endpoints in a
 * row that never received anything: 6 s, 12 s, 24 s … up to a minute. A camera whose ffmpeg
 * genuinely cannot reach the server (UDP blocked, RTSP source down) so retries slowly instead of
 * churning transports (and the viewers' consumers) every few seconds.
 */
export function stallAfterMs(streak: number, baseMs = DEFAULT_STALL_MS): number {
  return Math.min(Math.max(baseMs, MAX_STALL_MS), baseMs * 2 ** Math.min(streak, 16));
}

export class IngestFlow {
  private bytes = 0;
  /** When the byte count last moved (or the endpoints were handed out). */
  private changedAt: number;
  private stalledOnce = false;

  /**
   * `firstBytesMs`: how long these endpoints may wait for their first bytes (grows while senders
   * keep not getting through); `silenceMs`: how long video may pause once it flowed.
   */
  constructor(
    handedOutAt: number,
    private readonly limits: { firstBytesMs: number; silenceMs: number },
  ) {
    this.changedAt = handedOutAt;
  }

  /** Whether anything has arrived on these endpoints. */
  get received(): boolean {
    return this.bytes > 0;
  }

  /**
   * Records a sample of the video producer's byte count. Returns what changed, for the log: the
   * first bytes, or the first stall verdict, of these endpoints.
   */
  observe(byteCount: number, now: number): 'first-bytes' | 'stalled' | null {
    const first = this.bytes === 0 && byteCount > 0;
    if (byteCount !== this.bytes) {
      this.bytes = byteCount;
      this.changedAt = now;
      this.stalledOnce = false;
      return first ? 'first-bytes' : null;
    }
    if (this.state(now) === 'stalled' && !this.stalledOnce) {
      this.stalledOnce = true;
      return 'stalled';
    }
    return null;
  }

  state(now: number): FlowState {
    const limit = this.bytes > 0 ? this.limits.silenceMs : this.limits.firstBytesMs;
    if (now - this.changedAt >= limit) return 'stalled';
    return this.bytes > 0 ? 'receiving' : 'starting';
  }

  /** Milliseconds since the count last moved (for the log). */
  silentForMs(now: number): number {
    return now - this.changedAt;
  }
}
