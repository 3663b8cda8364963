// The media plane of one server process: a worker pool and the rooms placed on it.
import { EventEmitter } from 'node:events';
import type { Sfu, SfuConfig, SfuEvents, WorkerLoad } from './api.js';
import { setSfuLogger, sfuLogger, type Logger } from './logger.js';
import { RoomMediaImpl } from './RoomMedia.js';
import { WorkerPool } from './WorkerPool.js';

export interface CreateSfuOptions {
  /** pino logger for the SFU (a child `{ module: 'sfu' }` is used); also becomes the default of `sfuLogger()`. */
  logger?: Logger;
}

export class SfuImpl extends EventEmitter<SfuEvents> implements Sfu {
  readonly pool: WorkerPool;
  readonly config: SfuConfig;
  readonly #logger: Logger;
  /** Rooms by id, including ones still being created. */
  readonly #rooms = new Map<string, Promise<RoomMediaImpl>>();
  readonly #settled = new Map<string, RoomMediaImpl>();
  #closed = false;

  constructor(config: SfuConfig, pool: WorkerPool, logger: Logger) {
    super();
    this.config = config;
    this.pool = pool;
    this.#logger = logger;
    pool.on('workerDied', ({ pid, reason }) => this.emit('workerDied', { pid, reason }));
  }

  get ready(): boolean {
    return !this.#closed && this.pool.ready;
  }

  roomMedia(roomId: string): Promise<RoomMediaImpl> {
    if (this.#closed) return Promise.reject(new Error('the SFU is closed'));
    if (typeof roomId !== 'string' || !roomId)
      return Promise.reject(new TypeError('roomId must be a non-empty string'));
    const existing = this.#rooms.get(roomId);
    if (existing) return existing;
    const room = RoomMediaImpl.create({
      roomId,
      pool: this.pool,
      config: this.config,
      logger: this.#logger,
      onClose: (closed) => {
        if (this.#settled.get(roomId) !== closed) return;
        this.#settled.delete(roomId);
        this.#rooms.delete(roomId);
      },
    });
    this.#rooms.set(roomId, room);
    room.then(
      (created) => this.#settled.set(roomId, created),
      () => {
        if (this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
      },
    );
    return room;
  }

  /** Rooms that exist now (settled ones only). */
  async rooms(): Promise<RoomMediaImpl[]> {
    await Promise.allSettled(this.#rooms.values());
    return [...this.#settled.values()].filter((room) => !room.closed);
  }

  loads(): Promise<WorkerLoad[]> {
    return this.pool.loads();
  }

  workerPids(): number[] {
    return this.pool.pids();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const room of await this.rooms()) room.close();
    this.#rooms.clear();
    this.#settled.clear();
    await this.pool.close();
  }
}

/** Starts the configured workers (each with its WebRtcServer) and returns the SFU. */
export function createSfu(config: SfuConfig, opts: CreateSfuOptions = {}): Promise<Sfu> {
  return startSfu(config, opts);
}

/** `createSfu`, typed with the implementation (its pool and rooms), for tests and tools. */
export async function startSfu(config: SfuConfig, opts: CreateSfuOptions = {}): Promise<SfuImpl> {
  if (opts.logger) setSfuLogger(opts.logger);
  const logger = (opts.logger ?? sfuLogger()).child({ module: 'sfu' });
  const pool = await WorkerPool.start(config, logger);
  return new SfuImpl(config, pool, logger);
}
