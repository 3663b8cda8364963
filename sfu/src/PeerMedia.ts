// One participant's media in a room: their transports (each tagged send or recv), producers and
// consumers, on the room's current router. Closed as a whole when the peer leaves or when the room's
// worker dies (then silently: the room announces `relocated` instead).
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import {
  MediaError,
  type ConsumerDescriptor,
  type MediaKind,
  type MediaSource,
  type PeerMedia,
  type PlainIngestEndpoint,
  type PlainIngestOptions,
  type PeerMediaEvents,
  type ProducerDescriptor,
  type ProducerStats,
  type TransportInfo,
} from './api.js';
import { badRequest, notFound, toMediaError } from './errors.js';
import type { Generation, ProducerEntry, RoomHooks } from './internal.js';
import { plainIngestRtpParameters } from './plainCodecs.js';
import {
  checkSourceKind,
  describeProducer,
  logConnectivity,
  plainTransportOptions,
  webRtcTransportOptions,
  type Direction,
  type PlainTransportOptions,
} from './transportSetup.js';

interface TransportEntry {
  readonly transport: types.WebRtcTransport | types.PlainTransport;
  readonly direction: Direction;
}

/** WebRTC transports one peer may hold at once (send + recv, and spares for a client rebuilding them). */
export const MAX_WEBRTC_TRANSPORTS_PER_PEER = 8;
/** The layers a simulcast/SVC consumer asks for first; bandwidth estimation lowers them as needed. */
const PREFERRED_LAYERS = { spatialLayer: 2, temporalLayer: 2 };

export class PeerMediaImpl extends EventEmitter<PeerMediaEvents> implements PeerMedia {
  readonly peerId: string;
  readonly #room: RoomHooks;
  readonly #gen: Promise<Generation>;
  #worker: types.Worker | undefined;
  #closed = false;
  readonly #transports = new Map<string, TransportEntry>();
  readonly #producers = new Map<string, ProducerEntry>();
  readonly #consumers = new Map<string, types.Consumer>();
  /** `${source}/${kind}` of producers being created or alive: one of each per peer. */
  readonly #sourceSlots = new Set<string>();

  constructor(room: RoomHooks, peerId: string, gen: Promise<Generation>) {
    super();
    this.peerId = peerId;
    this.#room = room;
    this.#gen = gen;
    gen.then(
      (g) => (this.#worker = g.worker.worker),
      () => undefined,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  async createTransport(opts: { direction: 'send' | 'recv'; forceTcp?: boolean }): Promise<TransportInfo> {
    const direction = opts.direction;
    if (direction !== 'send' && direction !== 'recv') throw badRequest('direction must be send or recv');
    const { router, worker } = await this.#live();
    const webrtc = [...this.#transports.values()].filter((t) => t.transport.type === 'webrtc').length;
    if (webrtc >= MAX_WEBRTC_TRANSPORTS_PER_PEER) {
      throw badRequest(`at most ${MAX_WEBRTC_TRANSPORTS_PER_PEER} transports per peer`);
    }
    const { config } = this.#room;
    let transport: types.WebRtcTransport;
    try {
      transport = await router.createWebRtcTransport(
        webRtcTransportOptions(config, worker, { direction, forceTcp: !!opts.forceTcp, peerId: this.peerId }),
      );
      if (direction === 'send') await transport.setMaxIncomingBitrate(config.maxIncomingBitrate);
    } catch (err) {
      throw toMediaError(err, 'createTransport');
    }
    this.#adoptTransport(transport, direction);
    const { logger, roomId } = this.#room;
    logConnectivity(
      transport,
      logger.child({ roomId, peerId: this.peerId, transportId: transport.id, direction }),
    );
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: unknown): Promise<void> {
    const transport = this.#webRtcTransport(transportId);
    if (transport.dtlsState !== 'new') throw badRequest(`transport ${transportId} is already connected`);
    try {
      await transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
    } catch (err) {
      throw toMediaError(err, 'connectTransport');
    }
  }

  async restartIce(transportId: string): Promise<{ iceParameters: unknown }> {
    const transport = this.#webRtcTransport(transportId);
    try {
      return { iceParameters: await transport.restartIce() };
    } catch (err) {
      throw toMediaError(err, 'restartIce');
    }
  }

  async produce(opts: {
    transportId: string;
    kind: MediaKind;
    source: MediaSource;
    rtpParameters: unknown;
  }): Promise<ProducerDescriptor> {
    const { transportId, kind, source } = opts;
    checkSourceKind(kind, source);
    const entry = this.#transportEntry(transportId);
    if (entry.direction !== 'send')
      throw badRequest(`transport ${transportId} is a recv transport; produce on send`);
    const slot = `${source}/${kind}`;
    if (this.#sourceSlots.has(slot)) throw badRequest(`already producing ${kind} from ${source}`);
    this.#sourceSlots.add(slot);
    let producer: types.Producer;
    try {
      producer = await entry.transport.produce({
        kind,
        rtpParameters: opts.rtpParameters as types.RtpParameters,
        appData: { peerId: this.peerId, source },
      });
    } catch (err) {
      this.#sourceSlots.delete(slot);
      throw toMediaError(err, 'produce');
    }
    if (this.#closed) {
      producer.close();
      throw this.#closedError();
    }
    const produced: ProducerEntry = { peerId: this.peerId, source, producer };
    this.#producers.set(producer.id, produced);
    producer.observer.once('close', () => {
      this.#sourceSlots.delete(slot);
      if (!this.#producers.delete(producer.id)) return;
      this.#room.producerRemoved(producer.id);
      if (this.#notifying()) this.emit('producerClosed', producer.id);
    });
    this.#room.producerAdded(produced);
    return describeProducer(produced);
  }

  closeProducer(producerId: string): void {
    this.#producer(producerId).producer.close();
  }

  async pauseProducer(producerId: string): Promise<void> {
    const { producer } = this.#producer(producerId);
    try {
      await producer.pause();
    } catch (err) {
      throw toMediaError(err, 'pauseProducer');
    }
    this.#room.producerPaused(producerId, true);
  }

  async resumeProducer(producerId: string): Promise<void> {
    const { producer } = this.#producer(producerId);
    try {
      await producer.resume();
    } catch (err) {
      throw toMediaError(err, 'resumeProducer');
    }
    this.#room.producerPaused(producerId, false);
  }

  async consume(opts: {
    transportId: string;
    producerId: string;
    rtpCapabilities: unknown;
  }): Promise<ConsumerDescriptor> {
    const { transportId, producerId } = opts;
    const entry = this.#transportEntry(transportId);
    if (entry.direction !== 'recv')
      throw badRequest(`transport ${transportId} is a send transport; consume on recv`);
    const target = this.#room.findProducer(producerId);
    if (!target) throw notFound('producer', producerId);
    if (target.peerId === this.peerId) throw badRequest('cannot consume your own producer');
    const { router } = await this.#live();
    const rtpCapabilities = opts.rtpCapabilities as types.RtpCapabilities;
    let canConsume = false;
    try {
      canConsume = router.canConsume({ producerId, rtpCapabilities });
    } catch {
      canConsume = false;
    }
    if (!canConsume) throw badRequest(`these rtpCapabilities cannot receive producer ${producerId}`);
    const layered = target.producer.kind === 'video' && target.producer.type !== 'simple';
    let consumer: types.Consumer;
    try {
      consumer = await entry.transport.consume({
        producerId,
        rtpCapabilities,
        paused: true,
        ...(layered ? { preferredLayers: PREFERRED_LAYERS } : {}),
        appData: { peerId: target.peerId, source: target.source },
      });
    } catch (err) {
      throw toMediaError(err, 'consume');
    }
    if (this.#closed) {
      consumer.close();
      throw this.#closedError();
    }
    this.#adoptConsumer(consumer);
    return {
      consumerId: consumer.id,
      producerId,
      peerId: target.peerId,
      kind: consumer.kind,
      source: target.source,
      rtpParameters: consumer.rtpParameters,
      type: consumer.type,
      producerPaused: consumer.producerPaused,
    };
  }

  async pauseConsumer(consumerId: string): Promise<void> {
    const consumer = this.#consumer(consumerId);
    try {
      await consumer.pause();
    } catch (err) {
      throw toMediaError(err, 'pauseConsumer');
    }
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.#consumer(consumerId);
    try {
      await consumer.resume();
    } catch (err) {
      throw toMediaError(err, 'resumeConsumer');
    }
  }

  async setConsumerPreferredLayers(
    consumerId: string,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    const consumer = this.#consumer(consumerId);
    if (!Number.isInteger(spatialLayer) || spatialLayer < 0)
      throw badRequest('spatialLayer must be an integer ≥ 0');
    if (temporalLayer !== undefined && (!Number.isInteger(temporalLayer) || temporalLayer < 0)) {
      throw badRequest('temporalLayer must be an integer ≥ 0');
    }
    try {
      await consumer.setPreferredLayers({
        spatialLayer,
        ...(temporalLayer !== undefined ? { temporalLayer } : {}),
      });
    } catch (err) {
      throw toMediaError(err, 'setConsumerPreferredLayers');
    }
  }

  async produceFromRtp(opts: PlainIngestOptions): Promise<PlainIngestEndpoint> {
    checkSourceKind(opts.kind, opts.source);
    const rtpParameters = plainIngestRtpParameters(opts);
    const transport = await this.createPlainTransport('send', {
      comedia: true,
      rtcpMux: opts.rtcpMux ?? false,
    });
    try {
      const producer = await this.produce({
        transportId: transport.id,
        kind: opts.kind,
        source: opts.source,
        rtpParameters,
      });
      return {
        producer,
        transportId: transport.id,
        ip: transport.tuple.localAddress,
        port: transport.tuple.localPort,
        ...(transport.rtcpTuple ? { rtcpPort: transport.rtcpTuple.localPort } : {}),
      };
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  async producerStats(producerId: string): Promise<ProducerStats> {
    const { producer } = this.#producer(producerId);
    let stats: types.ProducerStat[];
    try {
      stats = await producer.getStats();
    } catch (err) {
      throw toMediaError(err, 'producerStats');
    }
    // An empty list: no RTP stream yet (nothing accepted, or only packets with an unknown SSRC).
    return stats.reduce(
      (sum, s) => ({ byteCount: sum.byteCount + s.byteCount, packetCount: sum.packetCount + s.packetCount }),
      { byteCount: 0, packetCount: 0 },
    );
  }

  producers(): ProducerDescriptor[] {
    return [...this.#producers.values()].map(describeProducer);
  }

  closeTransport(transportId: string): void {
    this.#transportEntry(transportId).transport.close();
  }

  /** Closes every transport (and so every producer and consumer); emits nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { transport } of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#consumers.clear();
    this.#producers.clear();
    this.#room.peerClosed(this);
  }

  // ---- internal: used by PlainIngest and tests --------------------------------------------------

  /** A PlainTransport registered as one of this peer's transports (`send` = ingest, `recv` = egress). */
  async createPlainTransport(
    direction: Direction,
    opts: PlainTransportOptions = {},
  ): Promise<types.PlainTransport> {
    const { router } = await this.#live();
    let transport: types.PlainTransport;
    try {
      transport = await router.createPlainTransport(
        plainTransportOptions(this.#room.config, { ...opts, direction, peerId: this.peerId }),
      );
    } catch (err) {
      throw toMediaError(err, 'createPlainTransport');
    }
    this.#adoptTransport(transport, direction);
    return transport;
  }

  /** The mediasoup consumer behind a consumer id (tests and diagnostics). */
  mediasoupConsumer(consumerId: string): types.Consumer {
    return this.#consumer(consumerId);
  }

  // ---- private ----------------------------------------------------------------------------------

  async #live(): Promise<Generation> {
    if (this.#closed) throw this.#closedError();
    const gen = await this.#gen;
    if (this.#closed || gen.router.closed) throw this.#closedError();
    return gen;
  }

  #closedError(): MediaError {
    return new MediaError(
      'NOT_FOUND',
      `media of peer ${this.peerId} is closed (left, or the room's media was reset)`,
    );
  }

  /** Whether closures are news: not after close(), and not when the worker died (the room relocates). */
  #notifying(): boolean {
    return !this.#closed && !this.#worker?.died;
  }

  #adoptTransport(transport: types.WebRtcTransport | types.PlainTransport, direction: Direction): void {
    if (this.#closed) {
      transport.close();
      throw this.#closedError();
    }
    this.#transports.set(transport.id, { transport, direction });
    const observer: types.TransportObserver = transport.observer;
    observer.once('close', () => this.#transports.delete(transport.id));
  }

  #adoptConsumer(consumer: types.Consumer): void {
    const consumerId = consumer.id;
    this.#consumers.set(consumerId, consumer);
    consumer.observer.once('close', () => {
      if (!this.#consumers.delete(consumerId)) return;
      if (this.#notifying()) this.emit('consumerClosed', { consumerId, producerId: consumer.producerId });
    });
    consumer.on('producerpause', () => this.emit('consumerPaused', consumerId));
    consumer.on('producerresume', () => this.emit('consumerResumed', consumerId));
    consumer.on('layerschange', (layers) =>
      this.emit('consumerLayersChanged', {
        consumerId,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      }),
    );
    consumer.on('score', (s) =>
      this.emit('consumerScore', { consumerId, score: s.score, producerScore: s.producerScore }),
    );
  }

  #transportEntry(transportId: string): TransportEntry {
    if (this.#closed) throw this.#closedError();
    const entry = this.#transports.get(transportId);
    if (!entry || entry.transport.closed) throw notFound('transport', transportId);
    return entry;
  }

  #webRtcTransport(transportId: string): types.WebRtcTransport {
    const { transport } = this.#transportEntry(transportId);
    if (transport.type !== 'webrtc') throw badRequest(`transport ${transportId} is not a WebRTC transport`);
    return transport;
  }

  #producer(producerId: string): ProducerEntry {
    if (this.#closed) throw this.#closedError();
    const entry = this.#producers.get(producerId);
    if (!entry) throw notFound('producer', producerId);
    return entry;
  }

  #consumer(consumerId: string): types.Consumer {
    if (this.#closed) throw this.#closedError();
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw notFound('consumer', consumerId);
    return consumer;
  }
}
