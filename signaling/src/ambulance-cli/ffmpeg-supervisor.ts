// Keeps one ffmpeg running: restarts it with a growing delay when it exits on its own (camera
// rebooting, RTSP dropped), and at once when the arguments change (new endpoints). An ffmpeg that
// could not bind its local ports is not restarted with them: the owner picks others.
import { spawn, type ChildProcess } from 'node:child_process';

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A run this long counts as healthy: the next failure starts the backoff from the bottom again. */
const HEALTHY_MS = 30_000;
const KILL_GRACE_MS = 3_000;

/** How ffmpeg reports a local port somebody else holds (udp.c: "bind failed: Address already in use"). */
const BIND_FAILURE = /bind failed|address already in use/i;

/** Whether ffmpeg's output says it could not bind its local ports. */
export function isBindFailure(output: string): boolean {
  return BIND_FAILURE.test(output);
}

/**
 * The arguments of one start; `restart` is true when the previous process with these same
 * arguments exited on its own (a crash), false for the first start with them.
 */
export type FfmpegArgs = string[] | ((restart: boolean) => string[]);

export interface SupervisorEvents {
  log(line: string): void;
  /**
   * ffmpeg exited because a local port it was told to send from is taken. The supervisor is
   * halted (the same arguments would fail again) until the next `run()` with other ports.
   */
  portsTaken?(): void;
}

export class FfmpegSupervisor {
  private child: ChildProcess | null = null;
  private args: FfmpegArgs | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastSpawned: FfmpegArgs | null = null;
  /** Starts so far (the first one included). */
  starts = 0;

  constructor(
    private readonly ffmpeg: string,
    private readonly events: SupervisorEvents,
  ) {}

  /** Runs ffmpeg with these arguments (restarting it if it runs with others). */
  run(args: FfmpegArgs): void {
    this.args = args;
    this.backoffMs = MIN_BACKOFF_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const running = this.child;
    if (running) {
      // Its exit handler starts the new one.
      this.kill(running);
      return;
    }
    this.spawn();
  }

  /**
   * Stops ffmpeg until the next `run()`; resolves when it has exited, so not one more packet leaves
   * for the old endpoints (the server may hand out the very same ports again).
   */
  async halt(): Promise<void> {
    this.args = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child) return;
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      this.child = null; // never started (spawn error) or already gone
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.kill(child);
    await exited;
  }

  /** Stops ffmpeg for good; resolves when it has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.halt();
  }

  /** Whether an ffmpeg process is alive now (not between restarts, not halted). */
  get running(): boolean {
    return this.child !== null;
  }

  /** The running ffmpeg's pid. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  private spawn(): void {
    if (this.stopped || !this.args) return;
    const args = this.args;
    const restart = this.lastSpawned === args;
    this.lastSpawned = args;
    const started = Date.now();
    const argv = typeof args === 'function' ? args(restart) : args;
    const child = spawn(this.ffmpeg, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.starts += 1;
    if (child.pid !== undefined) this.events.log(`ffmpeg started (pid ${child.pid})`);
    let tail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-2000);
      for (const line of chunk.split('\n')) if (line.trim()) this.events.log(`ffmpeg: ${line.trim()}`);
    });
    child.once('error', (err) => this.events.log(`ffmpeg could not start: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopped || this.args === null) return;
      if (this.args !== args) {
        this.spawn(); // new endpoints: start again at once
        return;
      }
      if (code !== 0 && isBindFailure(tail)) {
        this.args = null;
        this.events.log('ffmpeg cannot bind its source ports (taken by another program)');
        this.events.portsTaken?.();
        return;
      }
      if (Date.now() - started > HEALTHY_MS) this.backoffMs = MIN_BACKOFF_MS;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
      this.events.log(
        `ffmpeg exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(0)} s` +
          (tail.trim() ? `; last output: ${tail.trim().split('\n').pop()}` : ''),
      );
      this.timer = setTimeout(() => {
        this.timer = null;
        this.spawn();
      }, delay);
    });
  }

  private kill(child: ChildProcess): void {
    child.kill('SIGTERM');
    // A stopped process (SIGSTOP, a debugger, a frozen container) keeps SIGTERM pending until it
    // is continued: continue it so it exits now rather than after the SIGKILL grace.
    child.kill('SIGCONT');
    const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    force.unref();
    child.once('exit', () => clearTimeout(force));
  }
}
