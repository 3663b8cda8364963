// A consult room's media: a router on one worker, an active-speaker observer, and the peers' media.
// When the worker dies, the room moves to a fresh router on a live worker, closes every PeerMedia
// (without per-consumer notifications) and emits `relocated`.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { PeerMedia, ProducerDescriptor, RoomMedia, RoomMediaEvents, SfuConfig } from './api.js';
import { mediaCodecs } from './codecs.js';
import type { Generation, ProducerEntry, RoomHooks } from './internal.js';
import type { Logger } from './logger.js';
import { PeerMediaImpl } from './PeerMedia.js';
import { describeProducer } from './transportSetup.js';
import type { PoolWorker, WorkerPool } from './WorkerPool.js';

/** Active-speaker observer interval, ms. */
const SPEAKER_INTERVAL_MS = 300;

export interface RoomMediaOptions {
  roomId: string;
  pool: WorkerPool;
  config: SfuConfig;
  logger: Logger;
  /** Called once when the room closes (the Sfu forgets it). */
  onClose?: (room: RoomMediaImpl) => void;
}

export class RoomMediaImpl extends EventEmitter<RoomMediaEvents> implements RoomMedia, RoomHooks {
  readonly roomId: string;
  readonly config: SfuConfig;
  readonly logger: Logger;
  readonly #pool: WorkerPool;
  readonly #onClose: ((room: RoomMediaImpl) => void) | undefined;
  #gen: Generation;
  /** The generation new peers bind to: the current one, or the one being built while relocating. */
  #next: Promise<Generation>;
  #relocating = false;
  #closed = false;
  readonly #peers = new Map<string, PeerMediaImpl>();
  readonly #producers = new Map<string, ProducerEntry>();
  #dominantProducerId: string | undefined;
  #activeSpeaker: string | null = null;

  private constructor(opts: RoomMediaOptions, gen: Generation) {
    super();
    this.roomId = opts.roomId;
    this.config = opts.config;
    this.logger = opts.logger.child({ roomId: opts.roomId });
    this.#pool = opts.pool;
    this.#onClose = opts.onClose;
    this.#gen = gen;
    this.#next = Promise.resolve(gen);
    this.#bind(gen);
  }

  /** A room on the pool's least-loaded worker. */
  static async create(opts: RoomMediaOptions): Promise<RoomMediaImpl> {
    const gen = await createGeneration(await opts.pool.acquire());
    return new RoomMediaImpl(opts, gen);
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#gen.router.rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The worker currently carrying the room (the dead one while relocating). */
  get worker(): PoolWorker {
    return this.#gen.worker;
  }

  get routerId(): string {
    return this.#gen.router.id;
  }

  get relocating(): boolean {
    return this.#relocating;
  }

  /** The loudest peer right now, or null. */
  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  /** New media for the peer; a PeerMedia this peer already had in the room is closed first. */
  createPeer(peerId: string): PeerMediaImpl {
    if (this.#closed) throw new Error(`room ${this.roomId} media is closed`);
    if (typeof peerId !== 'string' || !peerId) throw new TypeError('peerId must be a non-empty string');
    this.#peers.get(peerId)?.close();
    const peer = new PeerMediaImpl(this, peerId, this.#next);
    this.#peers.set(peerId, peer);
    return peer;
  }

  /** Every producer in the room. */
  producers(): ProducerDescriptor[] {
    return [...this.#producers.values()].map(describeProducer);
  }

  peers(): PeerMedia[] {
    return [...this.#peers.values()];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of [...this.#peers.values()]) peer.close();
    this.#gen.router.close();
    this.logger.debug('room media closed');
    this.#onClose?.(this);
  }

  // ---- RoomHooks (called by this room's PeerMedia) ----------------------------------------------

  findProducer(producerId: string): ProducerEntry | undefined {
    return this.#producers.get(producerId);
  }

  producerAdded(entry: ProducerEntry): void {
    this.#producers.set(entry.producer.id, entry);
    if (entry.producer.kind === 'audio' && !entry.producer.paused)
      this.#observeSpeaker(entry.producer.id, true);
  }

  producerRemoved(producerId: string): void {
    const entry = this.#producers.get(producerId);
    this.#producers.delete(producerId);
    if (entry?.producer.kind === 'audio') this.#speakerGone(producerId);
  }

  producerPaused(producerId: string, paused: boolean): void {
    const entry = this.#producers.get(producerId);
    if (entry?.producer.kind !== 'audio') return;
    this.#observeSpeaker(producerId, !paused);
    if (paused) this.#speakerGone(producerId);
  }

  peerClosed(peer: object): void {
    for (const [peerId, p] of this.#peers) if (p === peer) this.#peers.delete(peerId);
  }

  // ---- private ----------------------------------------------------------------------------------

  #bind(gen: Generation): void {
    gen.activeSpeaker.on('dominantspeaker', ({ producer }) => {
      const entry = this.#producers.get(producer.id);
      if (!entry) return;
      this.#dominantProducerId = producer.id;
      this.#setActiveSpeaker(entry.peerId);
    });
    // The worker died: the router, its transports, producers and consumers are already closed.
    // Move at once, so that peers created from now on bind to the next router.
    gen.router.once('workerclose', () => this.#relocate(`mediasoup worker ${gen.worker.worker.pid} died`));
  }

  #observeSpeaker(producerId: string, observe: boolean): void {
    const observer = this.#gen.activeSpeaker;
    if (observer.closed) return;
    const request = observe ? observer.addProducer({ producerId }) : observer.removeProducer({ producerId });
    request.catch(() => undefined); // the producer or router closed meanwhile
  }

  #speakerGone(producerId: string): void {
    if (this.#dominantProducerId !== producerId) return;
    this.#dominantProducerId = undefined;
    this.#setActiveSpeaker(null);
  }

  #setActiveSpeaker(peerId: string | null): void {
    if (this.#activeSpeaker === peerId) return;
    this.#activeSpeaker = peerId;
    this.emit('activeSpeaker', peerId);
  }

  #relocate(reason: string): void {
    if (this.#closed || this.#relocating) return;
    this.#relocating = true;
    this.logger.warn({ reason, pid: this.#gen.worker.worker.pid }, 'room media relocating');
    // Every peer's media is gone with the worker: close the PeerMedia objects without notifications.
    for (const peer of [...this.#peers.values()]) peer.close();
    this.#peers.clear();
    this.#producers.clear();
    this.#dominantProducerId = undefined;
    this.#setActiveSpeaker(null);
    const next = this.#buildNext();
    this.#next = next;
    next.then(
      (gen) => {
        if (this.#closed) return;
        this.#gen = gen;
        this.#relocating = false;
        this.#bind(gen);
        this.logger.info({ pid: gen.worker.worker.pid }, 'room media relocated');
        this.emit('relocated', { reason, rtpCapabilities: gen.router.rtpCapabilities });
      },
      (err: unknown) => {
        if (this.#closed) return;
        this.logger.error({ err }, 'room media could not be relocated; closing it');
        this.close();
      },
    );
  }

  /** A router on a live worker, retrying while workers die under us, until the pool closes. */
  async #buildNext(): Promise<Generation> {
    for (;;) {
      if (this.#closed) throw new Error('room closed');
      const worker = await this.#pool.acquire();
      try {
        const gen = await createGeneration(worker);
        if (this.#closed) {
          gen.router.close();
          throw new Error('room closed');
        }
        if (!gen.router.closed) return gen;
      } catch (err) {
        if (this.#closed || this.#pool.closed) throw err;
        this.logger.warn(
          { err, pid: worker.worker.pid },
          'router creation failed while relocating; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

async function createGeneration(worker: PoolWorker): Promise<Generation> {
  const router = await worker.worker.createRouter({ mediaCodecs });
  try {
    const activeSpeaker = await router.createActiveSpeakerObserver({ interval: SPEAKER_INTERVAL_MS });
    return { router, activeSpeaker, worker };
  } catch (err) {
    router.close();
    throw err;
  }
}
