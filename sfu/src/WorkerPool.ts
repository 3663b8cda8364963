// mediasoup worker processes: one per configured slot, each with a WebRtcServer on its own fixed
// port (rtcMinPort + index, UDP and TCP), so a firewall only needs N ports open. A worker that dies
// is replaced on the same slot and port; rooms are placed on the least-loaded live worker.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { SfuConfig, WorkerLoad } from './api.js';
import { defaultAnnouncedAddress } from './config.js';
import { readRssBytes, trackLoad, type LoadCounters } from './loadTracker.js';
import type { Logger } from './logger.js';
import { loadMediasoup } from './workerBin.js';

/** A live worker with its WebRtcServer. */
export interface PoolWorker {
  readonly index: number;
  readonly port: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  readonly load: LoadCounters;
}

export interface WorkerPoolEvents {
  /** A worker process died (its routers, transports, producers and consumers are gone). */
  workerDied: [info: { pid: number; reason: string; index: number; worker: types.Worker }];
  /** A worker came up (at start and as a replacement). */
  workerStarted: [info: { pid: number; index: number; port: number }];
  /** Starting a replacement failed (e.g. its port is still bound); it is retried after `retryInMs`. */
  workerStartFailed: [info: { index: number; error: Error; retryInMs: number }];
}

interface Slot {
  index: number;
  port: number;
  live?: PoolWorker;
  restartTimer?: NodeJS.Timeout;
  /** Consecutive failed starts or early deaths (drives the restart backoff). */
  failures: number;
  startedAt: number;
}

const RESTART_BASE_MS = 100;
const RESTART_MAX_MS = 5_000;
const STABLE_AFTER_MS = 30_000;

function backoff(failures: number): number {
  return Math.min(RESTART_BASE_MS * 2 ** failures, RESTART_MAX_MS);
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #config: SfuConfig;
  readonly #logger: Logger;
  readonly #slots: Slot[];
  #closed = false;
  #waiters: Array<{ resolve: (w: PoolWorker) => void; reject: (e: Error) => void }> = [];

  private constructor(config: SfuConfig, logger: Logger) {
    super();
    this.#config = config;
    this.#logger = logger;
    this.#slots = Array.from({ length: config.numWorkers }, (_, index) => ({
      index,
      port: config.rtcMinPort + index,
      failures: 0,
      startedAt: 0,
    }));
  }

  /** Starts every worker; fails (closing what started) if any of them cannot start. */
  static async start(config: SfuConfig, logger: Logger): Promise<WorkerPool> {
    if (config.numWorkers < 1) throw new Error('SfuConfig.numWorkers must be at least 1');
    if (config.rtcMaxPort - config.rtcMinPort + 1 < config.numWorkers) {
      throw new Error(`rtcMinPort..rtcMaxPort must hold one port per worker (${config.numWorkers})`);
    }
    const pool = new WorkerPool(config, logger);
    const results = await Promise.allSettled(pool.#slots.map((slot) => pool.#startSlot(slot)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return pool;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while at least one worker is alive. */
  get ready(): boolean {
    return !this.#closed && this.#slots.some((s) => s.live);
  }

  /** Live workers. */
  live(): PoolWorker[] {
    return this.#slots.flatMap((s) => (s.live ? [s.live] : []));
  }

  pids(): number[] {
    return this.live().map((w) => w.worker.pid);
  }

  /** The live worker carrying the fewest producers+consumers, then the fewest routers. */
  leastLoaded(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const w of this.live()) {
      if (w.worker.closed) continue;
      if (!best || compareLoad(w.load, best.load) < 0) best = w;
    }
    return best;
  }

  /** The least-loaded live worker, waiting for one to (re)start if none is alive. */
  acquire(): Promise<PoolWorker> {
    if (this.#closed) return Promise.reject(new Error('worker pool is closed'));
    const best = this.leastLoaded();
    if (best) return Promise.resolve(best);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async loads(): Promise<WorkerLoad[]> {
    const loads = await Promise.all(
      this.live().map(async ({ worker, load }): Promise<WorkerLoad | undefined> => {
        try {
          const usage = await worker.getResourceUsage();
          const rss = await readRssBytes(worker.pid);
          return {
            pid: worker.pid,
            ...load,
            cpuSeconds: (usage.ru_utime + usage.ru_stime) / 1000,
            memoryBytes: rss ?? usage.ru_maxrss * 1024,
          };
        } catch {
          return undefined; // died while asked
        }
      }),
    );
    return loads.filter((l): l is WorkerLoad => l !== undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('worker pool is closed'));
    const exits: Promise<unknown>[] = [];
    for (const slot of this.#slots) {
      clearTimeout(slot.restartTimer);
      const worker = slot.live?.worker;
      slot.live = undefined;
      if (worker && !worker.closed) {
        if (!worker.subprocessClosed) {
          exits.push(new Promise<void>((resolve) => worker.once('subprocessclose', () => resolve())));
        }
        worker.close();
      }
    }
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 3_000).unref())]);
  }

  async #startSlot(slot: Slot): Promise<PoolWorker> {
    const mediasoup = await loadMediasoup();
    const config = this.#config;
    const worker = await mediasoup.createWorker({
      logLevel: config.logLevel,
      logTags: ['ice', 'dtls'],
      appData: { index: slot.index },
    });
    const load = trackLoad(worker);
    let webRtcServer: types.WebRtcServer;
    try {
      const announcedAddress = config.announcedAddress ?? defaultAnnouncedAddress(config.listenIp);
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
          protocol,
          ip: config.listenIp,
          announcedAddress,
          port: slot.port,
        })),
      });
    } catch (err) {
      worker.close();
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `mediasoup worker ${slot.index} could not listen on port ${slot.port} (UDP+TCP): ${reason}`,
      );
    }
    if (this.#closed) {
      worker.close();
      throw new Error('worker pool is closed');
    }
    const live: PoolWorker = { index: slot.index, port: slot.port, worker, webRtcServer, load };
    slot.live = live;
    worker.once('died', (error) => this.#onDied(slot, live, error));
    this.#logger.info({ pid: worker.pid, index: slot.index, port: slot.port }, 'mediasoup worker started');
    this.emit('workerStarted', { pid: worker.pid, index: slot.index, port: slot.port });
    slot.startedAt = Date.now();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(this.leastLoaded() ?? live);
    return live;
  }

  #onDied(slot: Slot, live: PoolWorker, error: Error): void {
    if (slot.live === live) slot.live = undefined;
    if (this.#closed) return;
    const pid = live.worker.pid;
    this.#logger.error(
      { pid, index: slot.index, reason: error.message },
      'mediasoup worker died; replacing it',
    );
    this.emit('workerDied', { pid, reason: error.message, index: slot.index, worker: live.worker });
    // Restart at once, unless this slot keeps dying soon after starting (then back off).
    if (Date.now() - slot.startedAt > STABLE_AFTER_MS) slot.failures = 0;
    const delay = slot.failures === 0 ? 0 : backoff(slot.failures);
    slot.failures++;
    this.#scheduleRestart(slot, delay);
  }

  #scheduleRestart(slot: Slot, delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(slot.restartTimer);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.#closed || slot.live) return;
      this.#startSlot(slot).catch((err: unknown) => {
        if (this.#closed) return;
        const error = err instanceof Error ? err : new Error(String(err));
        const retryInMs = backoff(slot.failures);
        slot.failures++;
        this.#logger.warn({ index: slot.index, retryInMs, reason: error.message }, 'worker restart failed');
        this.emit('workerStartFailed', { index: slot.index, error, retryInMs });
        this.#scheduleRestart(slot, retryInMs);
      });
    }, delayMs);
  }
}

function compareLoad(a: LoadCounters, b: LoadCounters): number {
  return a.producers + a.consumers - (b.producers + b.consumers) || a.routers - b.routers;
}
