// Paces what the presenter sends: per key (the view state, each annotation) at most one message per
// animation frame and ~30 Hz, one request in flight at a time, and only the newest value of a key is
// ever sent — a drag that produced 120 states in a second sends ≤30, and the last one always goes. A
// shared token bucket keeps a long drag under the server's per-connection request budget (20/s
// steady) with room to spare for media requests.
export interface PacerClock {
  now(): number;
  /** Next animation frame (or a timer outside the browser). */
  frame(fn: () => void): void;
  after(ms: number, fn: () => void): void;
}

export interface PacerOptions {
  minIntervalMs: number;
  burst: number;
  perSecond: number;
}

export const DEFAULT_PACER: PacerOptions = { minIntervalMs: 33, burst: 30, perSecond: 14 };

export const browserClock: PacerClock = {
  now: () => performance.now(),
  frame: (fn) =>
    typeof requestAnimationFrame === 'function'
      ? void requestAnimationFrame(() => fn())
      : void setTimeout(fn, 16),
  after: (ms, fn) => void setTimeout(fn, ms),
};

export class Pacer<T> {
  private readonly pending = new Map<string, T>();
  private readonly lastSent = new Map<string, number>();
  private scheduled = false;
  private inFlight = false;
  private tokens: number;
  private tokensAt: number;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly send: (key: string, value: T) => Promise<void>,
    private readonly clock: PacerClock = browserClock,
    private readonly options: PacerOptions = DEFAULT_PACER,
  ) {
    this.tokens = options.burst;
    this.tokensAt = clock.now();
  }

  /** Replaces whatever is waiting under this key with the newer value. */
  push(key: string, value: T): void {
    this.pending.set(key, value);
    this.schedule();
  }

  /** Drops everything waiting (presenting ended). */
  clear(): void {
    this.pending.clear();
    this.settle();
  }

  get idle(): boolean {
    return this.pending.size === 0 && !this.inFlight;
  }

  /** Resolves once everything pushed so far has been sent (or dropped). */
  drained(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.pending.size === 0) return;
    this.scheduled = true;
    this.clock.frame(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.inFlight || this.pending.size === 0) return;
    const now = this.clock.now();
    let key: string | null = null;
    let wait = Infinity;
    for (const k of this.pending.keys()) {
      const w = (this.lastSent.get(k) ?? -Infinity) + this.options.minIntervalMs - now;
      if (w <= 1) {
        key = k;
        break;
      }
      wait = Math.min(wait, w);
    }
    const tokenWait = this.tokenWait(now);
    if (key === null || tokenWait > 1) {
      this.scheduled = true;
      this.clock.after(Math.max(key === null ? wait : 0, tokenWait), () => this.flush());
      return;
    }
    const value = this.pending.get(key) as T;
    this.pending.delete(key);
    this.tokens -= 1;
    this.lastSent.set(key, now);
    this.inFlight = true;
    void this.send(key, value)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        this.schedule();
        this.settle();
      });
  }

  private settle(): void {
    if (!this.idle) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Milliseconds until a token is available (0 if one is). */
  private tokenWait(now: number): number {
    this.tokens = Math.min(
      this.options.burst,
      this.tokens + ((now - this.tokensAt) / 1000) * this.options.perSecond,
    );
    this.tokensAt = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.options.perSecond) * 1000;
  }
}
