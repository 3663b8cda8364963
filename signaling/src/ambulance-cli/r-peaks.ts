// Heart rate from the ECG the simulator actually plays, as a monitor derives it: a streaming QRS
// detector in the spirit of Pan–Tompkins (slope, squared, 150 ms moving integration, adaptive
// threshold, 250 ms refractory period), then 60 / the median of the last RR intervals.

export class RPeakDetector {
  private readonly lag = 4;
  private readonly history: number[] = [];
  private readonly window: number[] = [];
  private windowSum = 0;
  private peak = 0;
  private above = false;
  private lastBeatIndex = -Infinity;
  private index = 0;
  private readonly rr: number[] = [];

  constructor(private readonly sampleRate: number) {}

  /** Feeds samples (any unit); returns the sample indices (since the first push) of new beats. */
  push(samples: ArrayLike<number>): number[] {
    const beats: number[] = [];
    const integration = Math.round(0.15 * this.sampleRate);
    const refractory = Math.round(0.25 * this.sampleRate);
    // The threshold's reference decays to half in ~2 s, so it follows amplitude changes.
    const decay = Math.pow(0.5, 1 / (2 * this.sampleRate));
    for (let i = 0; i < samples.length; i++, this.index++) {
      const x = samples[i]!;
      this.history.push(x);
      if (this.history.length <= this.lag) continue;
      const slope = x - this.history.shift()!;
      const e = slope * slope;
      this.window.push(e);
      this.windowSum += e;
      if (this.window.length > integration) this.windowSum -= this.window.shift()!;
      const level = this.windowSum / this.window.length;
      this.peak = Math.max(level, this.peak * decay);
      const threshold = 0.3 * this.peak;
      if (!this.above && level > threshold && this.index - this.lastBeatIndex > refractory && this.peak > 0) {
        this.above = true;
        if (Number.isFinite(this.lastBeatIndex)) {
          this.rr.push(this.index - this.lastBeatIndex);
          if (this.rr.length > 8) this.rr.shift();
        }
        this.lastBeatIndex = this.index;
        beats.push(this.index);
      } else if (this.above && level < threshold * 0.5) this.above = false;
    }
    return beats;
  }

  /** Beats per minute from the median of the last (up to 8) RR intervals; undefined before 2 beats. */
  heartRate(): number | undefined {
    if (this.rr.length === 0) return undefined;
    // A beat long overdue (asystole, a lead off) must not keep showing the last rate.
    if (this.index - this.lastBeatIndex > 3 * this.sampleRate) return 0;
    const sorted = [...this.rr].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return Math.round((60 * this.sampleRate) / median);
  }
}
