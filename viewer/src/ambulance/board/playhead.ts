// Where a live strip's right edge is, in samples. ECG arrives in chunks (a quarter second or so, in
// bursts over a mobile network); drawing up to the newest sample would make the trace jump. The strip
// instead runs on the local clock a little behind the data (a jitter buffer), speeds up or slows down
// by 2 % to keep that margin, waits at the end of the data when it runs dry, and jumps forward after a
// burst (a backlog drained after an outage) rather than replaying it at normal speed.
export class Playhead {
  private head: number | null = null;
  private last = 0;

  advance(total: number, sampleRate: number, chunkS: number, now: number): number {
    const target = Math.max(0.5, 2 * chunkS) * sampleRate;
    if (this.head === null || total - this.head > target + 2 * sampleRate) {
      this.head = total - target;
    } else {
      const lag = total - this.head;
      const rate = lag < target / 2 ? 0.98 : lag > target * 1.5 ? 1.02 : 1;
      this.head = Math.min(total, this.head + ((now - this.last) * sampleRate * rate) / 1000);
    }
    this.last = now;
    return Math.floor(this.head);
  }
}
