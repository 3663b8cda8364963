// The SFU's public contract: what signaling (rooms) may ask of the media plane. signaling never
// imports mediasoup itself; everything it needs is here, in the protocol's own terms.
import type { EventEmitter } from 'node:events';

export type MediaKind = 'audio' | 'video';
export type MediaSource = 'mic' | 'camera' | 'screen';

export interface SfuConfig {
  /** mediasoup workers; default: one per CPU core. */
  numWorkers: number;
  logLevel: 'debug' | 'warn' | 'error' | 'none';
  /** Range for RTC ports (UDP/TCP) used by WebRTC transports. */
  rtcMinPort: number;
  rtcMaxPort: number;
  /** Local IP to bind; `0.0.0.0` for all interfaces. */
  listenIp: string;
  /** Address announced in ICE candidates (public IP or DNS name behind NAT); default: listenIp. */
  announcedAddress?: string;
  /** Outgoing bitrate cap per WebRTC transport, bits/s. */
  maxIncomingBitrate: number;
  initialAvailableOutgoingBitrate: number;
}

export interface WorkerLoad {
  pid: number;
  /** Routers (rooms) on this worker. */
  routers: number;
  /** Transports, producers and consumers across its routers. */
  transports: number;
  producers: number;
  consumers: number;
  /** Seconds of CPU (user+system) since start, and resident memory in bytes. */
  cpuSeconds: number;
  memoryBytes: number;
}

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ProducerDescriptor {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface ConsumerDescriptor {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: unknown;
  type: string;
  producerPaused: boolean;
}

/** Events a room's media emits (the room answers them; no transport details leak). */
export interface RoomMediaEvents {
  /** Loudest producer's peer, or null on silence. */
  activeSpeaker: [peerId: string | null];
  /**
   * The worker carrying this room died; the room now lives on another worker with a fresh router.
   * Every PeerMedia of the room was closed; peers must create transports and produce again.
   */
  relocated: [info: { reason: string; rtpCapabilities: unknown }];
}

export interface PeerMediaEvents {
  producerClosed: [producerId: string];
  /** A consumer closed because its producer went away (or its transport closed). */
  consumerClosed: [info: { consumerId: string; producerId: string }];
  consumerPaused: [consumerId: string];
  consumerResumed: [consumerId: string];
  consumerLayersChanged: [
    info: { consumerId: string; spatialLayer: number | null; temporalLayer: number | null },
  ];
  consumerScore: [info: { consumerId: string; score: number; producerScore: number }];
}

/** A room's router: one per consult room, placed on the least-loaded worker. */
export interface RoomMedia extends EventEmitter<RoomMediaEvents> {
  readonly roomId: string;
  readonly rtpCapabilities: unknown;
  /** Media state for one participant; closing it closes all their transports. */
  createPeer(peerId: string): PeerMedia;
  producers(): ProducerDescriptor[];
  close(): void;
  readonly closed: boolean;
}

export interface PeerMedia extends EventEmitter<PeerMediaEvents> {
  readonly peerId: string;
  createTransport(opts: { direction: 'send' | 'recv'; forceTcp?: boolean }): Promise<TransportInfo>;
  connectTransport(transportId: string, dtlsParameters: unknown): Promise<void>;
  restartIce(transportId: string): Promise<{ iceParameters: unknown }>;
  produce(opts: {
    transportId: string;
    kind: MediaKind;
    source: MediaSource;
    rtpParameters: unknown;
  }): Promise<ProducerDescriptor>;
  closeProducer(producerId: string): void;
  pauseProducer(producerId: string): Promise<void>;
  resumeProducer(producerId: string): Promise<void>;
  /** Creates the consumer paused (the client resumes it once its track is wired). */
  consume(opts: {
    transportId: string;
    producerId: string;
    rtpCapabilities: unknown;
  }): Promise<ConsumerDescriptor>;
  pauseConsumer(consumerId: string): Promise<void>;
  resumeConsumer(consumerId: string): Promise<void>;
  setConsumerPreferredLayers(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void>;
  /**
   * A producer fed by plain (unencrypted) RTP, e.g. ffmpeg or a vehicle's on-board encoder: a
   * PlainTransport of this peer that learns the sender's address from its first packet (comedia).
   * Announced like any producer; it closes with the peer and on relocation.
   */
  produceFromRtp(opts: PlainIngestOptions): Promise<PlainIngestEndpoint>;
  /**
   * What one of this peer's producers has received so far, summed over its RTP streams. Zero until
   * the first packet the producer accepts: a plain transport that locked onto another sender's
   * address (comedia) drops everything else, so the count stays flat — the sign of a dead ingest.
   */
  producerStats(producerId: string): Promise<ProducerStats>;
  /** Closes one of this peer's transports with its producers (announced as closed) and consumers. */
  closeTransport(transportId: string): void;
  /** This peer's own producers. */
  producers(): ProducerDescriptor[];
  close(): void;
  readonly closed: boolean;
}

/** RTP a producer received: bytes and packets since it was created. */
export interface ProducerStats {
  byteCount: number;
  packetCount: number;
}

/** Codecs a plain RTP sender may use (the router offers these; H264 as constrained baseline). */
export type PlainIngestCodec = 'VP8' | 'H264' | 'opus';

export interface PlainIngestOptions {
  kind: MediaKind;
  source: MediaSource;
  codec: PlainIngestCodec;
  /** What the sender puts in its RTP headers (ffmpeg: `-payload_type`, `-ssrc`). */
  payloadType: number;
  ssrc: number;
  /**
   * RTP and RTCP on one port. Default false: ffmpeg sends RTCP from a second socket, and a comedia
   * transport on one muxed port would lock onto whichever socket spoke first and drop the other.
   */
  rtcpMux?: boolean;
}

/** Where the sender must send: RTP to `ip:port`, RTCP to `ip:rtcpPort` (absent when muxed). */
export interface PlainIngestEndpoint {
  producer: ProducerDescriptor;
  transportId: string;
  ip: string;
  port: number;
  rtcpPort?: number;
}

/** Media errors carry a code the signaling layer maps to an ack error. */
export class MediaError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'MEDIA_ERROR',
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export interface SfuEvents {
  /** A worker process died; its rooms are being relocated, and a replacement worker is started. */
  workerDied: [info: { pid: number; reason: string }];
}

/** The media plane of one server process. Create with `createSfu(config)`. */
export interface Sfu extends EventEmitter<SfuEvents> {
  /** A router for the room on the least-loaded worker (the same one if it already exists). */
  roomMedia(roomId: string): Promise<RoomMedia>;
  /** Per-worker load, for placement, /metrics and /readyz. */
  loads(): Promise<WorkerLoad[]>;
  /** True while at least one worker is alive. */
  readonly ready: boolean;
  /** Worker process ids (tests kill one to prove recovery). */
  workerPids(): number[];
  close(): Promise<void>;
}
