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
