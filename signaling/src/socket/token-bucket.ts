// Per-connection request budget: a burst for the join/produce/consume rush at the start of a call,
// then a steady rate. A flood is answered RATE_LIMITED without reaching the room.
export interface BucketOptions {
  burst: number;
  perSecond: number;
}

export const DEFAULT_REQUEST_BUDGET: BucketOptions = { burst: 50, perSecond: 20 };
/**
 * A presenter's view changes (scroll, W/L drag) stream at up to ~30 a second; they get their own
 * bucket so a drag neither starves the call's requests nor is cut to the general rate.
 */
export const VIEWING_STATE_BUDGET: BucketOptions = { burst: 60, perSecond: 40 };

/**
 * Telemetry pushes: steady traffic is a few a second per run, but after an outage the sender drains
 * its backlog as fast as acks return (a 30 s outage of 12-lead ECG is ~12 full pushes, a long tunnel
 * many more); its own bucket so the drain neither hits the general limit nor starves other requests.
 */
export const TELEMETRY_BUDGET: BucketOptions = { burst: 200, perSecond: 100 };

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: BucketOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.options.burst,
      this.tokens + ((now - this.last) / 1000) * this.options.perSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
