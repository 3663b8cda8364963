// An in-memory stand-in for the SFU (sfu/src/api.ts) without mediasoup workers: ids instead of
// transports, but the same events and errors. For tests of signaling, and for running the server
// where no worker can start. `relocate()` and `speak()` let a test play the media plane's part.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type {
  ConsumerDescriptor,
  MediaKind,
  MediaSource,
  PeerMedia,
  PeerMediaEvents,
  PlainIngestEndpoint,
  PlainIngestOptions,
  ProducerDescriptor,
  ProducerStats,
  RoomMedia,
  RoomMediaEvents,
  Sfu,
  SfuEvents,
  TransportInfo,
  WorkerLoad,
} from '@telemed/sfu';

/** Same name and codes as the SFU's MediaError (signaling recognises it by shape). */
export class FakeMediaError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'MEDIA_ERROR',
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export const FAKE_RTP_CAPABILITIES = {
  codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
};

interface FakeConsumer {
  id: string;
  producerId: string;
}

export class FakePeerMedia extends EventEmitter<PeerMediaEvents> implements PeerMedia {
  closed = false;
  readonly transports = new Map<string, { direction: 'send' | 'recv'; connected: boolean }>();
  readonly ownProducers = new Map<string, ProducerDescriptor>();
  readonly consumers = new Map<string, FakeConsumer>();
  /** Producer id → the transport it was produced on (closing that transport closes it). */
  private readonly producerTransport = new Map<string, string>();

  constructor(
    readonly peerId: string,
    private readonly room: FakeRoomMedia,
  ) {
    super();
  }

  async createTransport(opts: { direction: 'send' | 'recv'; forceTcp?: boolean }): Promise<TransportInfo> {
    this.assertOpen();
    const id = randomUUID();
    this.transports.set(id, { direction: opts.direction, connected: false });
    return {
      id,
      iceParameters: { usernameFragment: 'u', password: 'p' },
      iceCandidates: [],
      dtlsParameters: { fingerprints: [] },
    };
  }

  async connectTransport(transportId: string): Promise<void> {
    this.transport(transportId).connected = true;
  }

  async restartIce(transportId: string): Promise<{ iceParameters: unknown }> {
    this.transport(transportId);
    return { iceParameters: { usernameFragment: randomUUID(), password: 'p2' } };
  }

  async produce(opts: {
    transportId: string;
    kind: MediaKind;
    source: MediaSource;
    rtpParameters: unknown;
  }): Promise<ProducerDescriptor> {
    if (this.transport(opts.transportId).direction !== 'send')
      throw new FakeMediaError('BAD_REQUEST', 'not a send transport');
    const producer: ProducerDescriptor = {
      producerId: randomUUID(),
      peerId: this.peerId,
      kind: opts.kind,
      source: opts.source,
      paused: false,
    };
    this.ownProducers.set(producer.producerId, producer);
    this.producerTransport.set(producer.producerId, opts.transportId);
    return producer;
  }

  closeProducer(producerId: string): void {
    if (!this.ownProducers.delete(producerId)) throw new FakeMediaError('NOT_FOUND', 'no such producer');
    this.room.producerGone(producerId);
  }

  async pauseProducer(producerId: string): Promise<void> {
    this.producer(producerId).paused = true;
  }

  async resumeProducer(producerId: string): Promise<void> {
    this.producer(producerId).paused = false;
  }

  async consume(opts: {
    transportId: string;
    producerId: string;
    rtpCapabilities: unknown;
  }): Promise<ConsumerDescriptor> {
    if (this.transport(opts.transportId).direction !== 'recv')
      throw new FakeMediaError('BAD_REQUEST', 'not a recv transport');
    const producer = this.room.findProducer(opts.producerId);
    if (!producer) throw new FakeMediaError('NOT_FOUND', 'no such producer');
    const consumer = { id: randomUUID(), producerId: producer.producerId };
    this.consumers.set(consumer.id, consumer);
    return {
      consumerId: consumer.id,
      producerId: producer.producerId,
      peerId: producer.peerId,
      kind: producer.kind,
      source: producer.source,
      rtpParameters: { codecs: [] },
      type: producer.kind === 'video' ? 'simulcast' : 'simple',
      producerPaused: producer.paused,
    };
  }

  async pauseConsumer(consumerId: string): Promise<void> {
    this.consumer(consumerId);
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    this.consumer(consumerId);
  }

  async setConsumerPreferredLayers(consumerId: string): Promise<void> {
    this.consumer(consumerId);
  }

  /** A send transport with a made-up port (nothing listens; signaling tests only need the shape). */
  async produceFromRtp(opts: PlainIngestOptions): Promise<PlainIngestEndpoint> {
    const transport = await this.createTransport({ direction: 'send' });
    const producer = await this.produce({ ...opts, transportId: transport.id, rtpParameters: {} });
    const port = 40_000 + 2 * this.transports.size;
    return { producer, transportId: transport.id, ip: '127.0.0.1', port, rtcpPort: port + 1 };
  }

  /** RTP bytes a producer "received": tests play the sender with `receive()`. */
  readonly received = new Map<string, ProducerStats>();

  async producerStats(producerId: string): Promise<ProducerStats> {
    this.producer(producerId);
    return { ...(this.received.get(producerId) ?? { byteCount: 0, packetCount: 0 }) };
  }

  /** Plays RTP arriving at a producer. */
  receive(producerId: string, bytes = 1200): void {
    const now = this.received.get(producerId) ?? { byteCount: 0, packetCount: 0 };
    this.received.set(producerId, { byteCount: now.byteCount + bytes, packetCount: now.packetCount + 1 });
  }

  closeTransport(transportId: string): void {
    this.transport(transportId);
    this.transports.delete(transportId);
    for (const [id, owner] of [...this.producerTransport]) {
      if (owner !== transportId) continue;
      this.producerTransport.delete(id);
      if (!this.ownProducers.delete(id)) continue;
      this.room.producerGone(id);
      this.emit('producerClosed', id);
    }
  }

  producers(): ProducerDescriptor[] {
    return [...this.ownProducers.values()];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const gone = [...this.ownProducers.keys()];
    this.ownProducers.clear();
    this.consumers.clear();
    this.transports.clear();
    for (const id of gone) this.room.producerGone(id);
  }

  /** A producer elsewhere closed: its consumers here close too (as mediasoup does). */
  producerGone(producerId: string): void {
    for (const c of [...this.consumers.values()]) {
      if (c.producerId !== producerId) continue;
      this.consumers.delete(c.id);
      this.emit('consumerClosed', { consumerId: c.id, producerId });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new FakeMediaError('MEDIA_ERROR', 'peer media closed');
  }

  private transport(id: string) {
    this.assertOpen();
    const t = this.transports.get(id);
    if (!t) throw new FakeMediaError('NOT_FOUND', 'no such transport');
    return t;
  }

  private producer(id: string): ProducerDescriptor {
    this.assertOpen();
    const p = this.ownProducers.get(id);
    if (!p) throw new FakeMediaError('NOT_FOUND', 'no such producer');
    return p;
  }

  private consumer(id: string): FakeConsumer {
    this.assertOpen();
    const c = this.consumers.get(id);
    if (!c) throw new FakeMediaError('NOT_FOUND', 'no such consumer');
    return c;
  }
}

export class FakeRoomMedia extends EventEmitter<RoomMediaEvents> implements RoomMedia {
  closed = false;
  rtpCapabilities: unknown = FAKE_RTP_CAPABILITIES;
  generation = 0;
  readonly peers = new Set<FakePeerMedia>();

  constructor(
    readonly roomId: string,
    private readonly sfu: FakeSfu,
  ) {
    super();
  }

  createPeer(peerId: string): FakePeerMedia {
    if (this.closed) throw new FakeMediaError('MEDIA_ERROR', 'room media closed');
    const peer = new FakePeerMedia(peerId, this);
    this.peers.add(peer);
    return peer;
  }

  producers(): ProducerDescriptor[] {
    return [...this.peers].filter((p) => !p.closed).flatMap((p) => p.producers());
  }

  findProducer(producerId: string): ProducerDescriptor | undefined {
    return this.producers().find((p) => p.producerId === producerId);
  }

  producerGone(producerId: string): void {
    for (const p of this.peers) if (!p.closed) p.producerGone(producerId);
  }

  /** Plays a worker death: every PeerMedia closes, a new router with new capabilities takes over. */
  relocate(reason = 'worker died'): void {
    for (const p of this.peers) {
      p.closed = true;
      p.ownProducers.clear();
      p.consumers.clear();
    }
    this.peers.clear();
    this.generation += 1;
    this.rtpCapabilities = { ...FAKE_RTP_CAPABILITIES, generation: this.generation };
    this.emit('relocated', { reason, rtpCapabilities: this.rtpCapabilities });
  }

  speak(peerId: string | null): void {
    this.emit('activeSpeaker', peerId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.peers) p.close();
    this.peers.clear();
    this.sfu.roomClosed(this);
  }
}

export class FakeSfu extends EventEmitter<SfuEvents> implements Sfu {
  ready = true;
  closed = false;
  readonly rooms = new Map<string, FakeRoomMedia>();
  /** Every RoomMedia ever opened, in order (tests check closing). */
  readonly opened: FakeRoomMedia[] = [];

  async roomMedia(roomId: string): Promise<FakeRoomMedia> {
    if (this.closed || !this.ready) throw new FakeMediaError('MEDIA_ERROR', 'no worker');
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new FakeRoomMedia(roomId, this);
      this.rooms.set(roomId, room);
      this.opened.push(room);
    }
    return room;
  }

  roomClosed(room: FakeRoomMedia): void {
    if (this.rooms.get(room.roomId) === room) this.rooms.delete(room.roomId);
  }

  async loads(): Promise<WorkerLoad[]> {
    const rooms = [...this.rooms.values()];
    const peers = rooms.flatMap((r) => [...r.peers]);
    return [
      {
        pid: process.pid,
        routers: rooms.length,
        transports: peers.reduce((n, p) => n + p.transports.size, 0),
        producers: peers.reduce((n, p) => n + p.ownProducers.size, 0),
        consumers: peers.reduce((n, p) => n + p.consumers.size, 0),
        cpuSeconds: 0,
        memoryBytes: 0,
      },
    ];
  }

  workerPids(): number[] {
    return this.ready ? [process.pid] : [];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ready = false;
    for (const room of [...this.rooms.values()]) room.close();
  }
}
