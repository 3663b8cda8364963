import { Device } from 'mediasoup-client';
import type {
  Consumer,
  Producer,
  RtpCapabilities,
  RtpParameters,
  Transport,
  TransportOptions,
} from 'mediasoup-client/types';
import type {
  IceServer,
  MediaKind,
  MediaSource,
  ProducerInfo,
  RequestData,
  TransportOptions as WireTransportOptions,
} from '@telemed/signaling/protocol';
import type { SignalingClient } from '../api/signaling.js';
import type { SpatialLayer } from './layers.js';
import type { LocalMedia } from './LocalMedia.js';
import { DEFAULT_MEDIA_PROFILE, type MediaProfile } from './mediaProfile.js';
import { inboundRtpOf, type InboundStat } from './stats.js';

export interface ConsumerAppData extends Record<string, unknown> {
  peerId: string;
  source: MediaSource;
  producerId: string;
}

export interface RemoteConsumer {
  consumer: Consumer<ConsumerAppData>;
  peerId: string;
  source: MediaSource;
  kind: MediaKind;
  /** `simulcast`, `simple`, …: only simulcast consumers have layers to choose from. */
  type: string;
  /** Paused by the SFU (the sender paused) — distinct from our own pause of a hidden tile. */
  producerPaused: boolean;
  pausedByUs: boolean;
  score: number | null;
  layer: SpatialLayer | null;
}

/** ICE that dropped may come back by itself; give it this long before restarting it. */
const DISCONNECTED_GRACE_MS = 2_000;

/**
 * One generation of this browser's media in the room: a Device loaded with the router's
 * capabilities, a send and a receive transport, our producers and our consumers. A media reset or
 * reconnection closes it and builds a new one; every await re-checks `closed`, because an answer
 * about the old generation is worthless and must not touch the new one.
 */
export class MediaSession {
  private device: Device | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  private readonly producers = new Map<MediaSource, Producer>();
  private readonly consumers = new Map<string, RemoteConsumer>();
  private readonly pending = new Set<string>();
  /**
   * Producers and consumers the server closed while our consume of them was still being built:
   * the notification came before the consumer existed here, so the consumer is dropped on arrival.
   */
  private readonly closedWhilePending = new Set<string>();
  private readonly publishing = new Set<MediaSource>();
  private closed = false;

  constructor(
    private readonly signaling: SignalingClient,
    private readonly local: LocalMedia,
    /** Consumers were added, removed or changed state. */
    private readonly onChange: () => void,
    private readonly profile: MediaProfile = DEFAULT_MEDIA_PROFILE,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Loads the device and creates both transports; after this the session is usable. */
  async open(routerRtpCapabilities: unknown, iceServers: IceServer[]): Promise<void> {
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as RtpCapabilities });
    this.assertOpen();
    this.device = device;
    const [send, recv] = await Promise.all([
      this.signaling.request('createTransport', { direction: 'send' }),
      this.signaling.request('createTransport', { direction: 'recv' }),
    ]);
    this.assertOpen();
    this.sendTransport = this.wire(device.createSendTransport(this.transportOptions(send, iceServers)));
    this.recvTransport = this.wire(device.createRecvTransport(this.transportOptions(recv, iceServers)));
    this.sendTransport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const data: RequestData<'produce'> = {
        transportId: this.sendTransport!.id,
        kind,
        source: appData.source as MediaSource,
        rtpParameters: rtpParameters as RequestData<'produce'>['rtpParameters'],
      };
      this.signaling.request('produce', data).then(({ producerId }) => callback({ id: producerId }), errback);
    });
  }

  /** Sends a local source if it has a track, and keeps it paused if the user muted it. */
  async publish(source: MediaSource): Promise<void> {
    const track = this.local.track(source);
    const transport = this.sendTransport;
    if (!track || !transport || this.producers.has(source) || this.publishing.has(source) || this.closed)
      return;
    if (!this.device?.canProduce(track.kind as MediaKind)) return;
    this.publishing.add(source);
    try {
      await this.produce(source, track, transport);
    } finally {
      this.publishing.delete(source);
    }
  }

  private async produce(source: MediaSource, track: MediaStreamTrack, transport: Transport): Promise<void> {
    const producer = await transport.produce({
      track,
      // The tracks belong to LocalMedia and are produced again after a reset.
      stopTracks: false,
      appData: { source },
      ...(source === 'camera'
        ? {
            encodings: this.profile.cameraEncodings,
            codecOptions: { videoGoogleStartBitrate: this.profile.cameraStartBitrate },
          }
        : {}),
      ...(source === 'mic'
        ? {
            codecOptions: {
              opusDtx: true,
              opusFec: true,
              ...(this.profile.opusMaxAverageBitrate
                ? { opusMaxAverageBitrate: this.profile.opusMaxAverageBitrate }
                : {}),
            },
          }
        : {}),
    });
    if (this.closed) {
      producer.close();
      return;
    }
    if (source === 'camera' && this.profile.degradationPreference)
      await setDegradationPreference(producer.rtpSender, this.profile.degradationPreference);
    this.producers.set(source, producer);
    if (source !== 'screen' && !this.local.isOn(source)) await this.setProducerPaused(source, true);
  }

  async unpublish(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    await this.signaling.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  async setProducerPaused(source: MediaSource, paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer || producer.paused === paused) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.signaling.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  hasConsumerFor(producerId: string): boolean {
    return (
      this.pending.has(producerId) ||
      [...this.consumers.values()].some((c) => c.consumer.producerId === producerId)
    );
  }

  /** Receives a remote producer: the SFU creates the consumer paused; we resume once it is built. */
  async consume(info: ProducerInfo, startPaused: boolean): Promise<void> {
    const transport = this.recvTransport;
    const device = this.device;
    if (!transport || !device || this.closed || this.hasConsumerFor(info.producerId)) return;
    this.pending.add(info.producerId);
    try {
      const answer = await this.signaling.request('consume', {
        transportId: transport.id,
        producerId: info.producerId,
        rtpCapabilities: device.recvRtpCapabilities as RequestData<'consume'>['rtpCapabilities'],
      });
      this.assertOpen();
      const consumer = await transport.consume<ConsumerAppData>({
        id: answer.consumerId,
        producerId: answer.producerId,
        kind: answer.kind,
        rtpParameters: answer.rtpParameters as RtpParameters,
        // One stream per peer keeps its audio and video in lip sync.
        streamId: `${answer.peerId}-${answer.source === 'screen' ? 'screen' : 'av'}`,
        appData: { peerId: answer.peerId, source: answer.source, producerId: answer.producerId },
      });
      if (
        this.closed ||
        this.closedWhilePending.has(answer.producerId) ||
        this.closedWhilePending.has(consumer.id)
      ) {
        consumer.close();
        return;
      }
      const pauseIt = startPaused && answer.kind === 'video';
      this.consumers.set(consumer.id, {
        consumer,
        peerId: answer.peerId,
        source: answer.source,
        kind: answer.kind,
        type: answer.type,
        producerPaused: answer.producerPaused,
        pausedByUs: pauseIt,
        score: null,
        layer: null,
      });
      consumer.on('transportclose', () => this.forget(consumer.id));
      this.onChange();
      if (pauseIt) consumer.pause();
      else await this.signaling.request('resumeConsumer', { consumerId: consumer.id });
    } finally {
      this.pending.delete(info.producerId);
      if (this.pending.size === 0) this.closedWhilePending.clear();
    }
  }

  consumerList(): RemoteConsumer[] {
    return [...this.consumers.values()];
  }

  /** The producer went away (or the SFU closed our consumer of it). */
  closeConsumersOf(producerId: string): void {
    if (this.pending.has(producerId)) this.closedWhilePending.add(producerId);
    for (const c of this.consumers.values())
      if (c.consumer.producerId === producerId) this.forget(c.consumer.id);
  }

  closeConsumer(consumerId: string): void {
    if (!this.consumers.has(consumerId) && this.pending.size > 0) this.closedWhilePending.add(consumerId);
    this.forget(consumerId);
  }

  closeConsumersOfPeer(peerId: string): void {
    for (const c of this.consumers.values()) if (c.peerId === peerId) this.forget(c.consumer.id);
  }

  /** The SFU paused or resumed a consumer (its producer did). */
  markProducerPaused(consumerId: string, paused: boolean): void {
    const c = this.consumers.get(consumerId);
    if (!c || c.producerPaused === paused) return;
    c.producerPaused = paused;
    this.onChange();
  }

  setScore(consumerId: string, score: number): void {
    const c = this.consumers.get(consumerId);
    if (!c || c.score === score) return;
    c.score = score;
    this.onChange();
  }

  /** Hiding a tile stops its video at the SFU: no bandwidth for what nobody looks at. */
  async setPausedByUs(consumerId: string, paused: boolean): Promise<void> {
    const c = this.consumers.get(consumerId);
    if (!c || c.pausedByUs === paused) return;
    c.pausedByUs = paused;
    if (paused) c.consumer.pause();
    else c.consumer.resume();
    this.onChange();
    await this.signaling.request(paused ? 'pauseConsumer' : 'resumeConsumer', { consumerId });
  }

  async setPreferredLayer(consumerId: string, layer: SpatialLayer): Promise<void> {
    const c = this.consumers.get(consumerId);
    if (!c || c.type !== 'simulcast' || c.layer === layer) return;
    c.layer = layer;
    await this.signaling.request('setConsumerPreferredLayers', { consumerId, spatialLayer: layer });
  }

  /** Stats of every live consumer's receiver, labelled with whose media it is. */
  async inboundStats(): Promise<InboundStat[]> {
    const live = [...this.consumers.values()].filter((c) => !c.consumer.closed);
    const stats = await Promise.all(
      live.map(async (c) => {
        try {
          const report = await c.consumer.getStats();
          return inboundRtpOf(report.values() as Iterable<{ type?: unknown } & Record<string, unknown>>, {
            peerId: c.peerId,
            kind: c.kind,
            source: c.source,
          });
        } catch {
          return null;
        }
      }),
    );
    return stats.filter((s): s is InboundStat => s !== null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Closing a transport closes its producers and consumers without stopping LocalMedia's tracks.
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.producers.clear();
    this.consumers.clear();
    this.pending.clear();
    this.device = null;
    this.onChange();
  }

  private forget(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (!c) return;
    this.consumers.delete(consumerId);
    if (!c.consumer.closed) c.consumer.close();
    this.onChange();
  }

  private transportOptions(wire: WireTransportOptions, iceServers: IceServer[]): TransportOptions {
    return {
      id: wire.id,
      iceParameters: wire.iceParameters as TransportOptions['iceParameters'],
      iceCandidates: wire.iceCandidates as TransportOptions['iceCandidates'],
      dtlsParameters: wire.dtlsParameters as TransportOptions['dtlsParameters'],
      iceServers: iceServers.length > 0 ? iceServers : undefined,
    };
  }

  private wire(transport: Transport): Transport {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling
        .request('connectTransport', {
          transportId: transport.id,
          dtlsParameters: dtlsParameters as RequestData<'connectTransport'>['dtlsParameters'],
        })
        .then(() => callback(), errback);
    });
    let disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
    transport.on('connectionstatechange', (state) => {
      if (disconnectedTimer) clearTimeout(disconnectedTimer);
      disconnectedTimer = null;
      if (state === 'failed') void this.restartIce(transport);
      if (state === 'disconnected') {
        disconnectedTimer = setTimeout(() => {
          if (transport.connectionState === 'disconnected') void this.restartIce(transport);
        }, DISCONNECTED_GRACE_MS);
      }
    });
    return transport;
  }

  private async restartIce(transport: Transport): Promise<void> {
    if (this.closed || transport.closed) return;
    try {
      const { iceParameters } = await this.signaling.request('restartIce', { transportId: transport.id });
      if (!this.closed && !transport.closed) {
        await transport.restartIce({ iceParameters: iceParameters as TransportOptions['iceParameters'] });
      }
    } catch (err) {
      // The transport may be gone at the SFU (a media reset is then on its way).
      console.warn('ICE restart failed', err);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaSessionClosed();
  }
}

/** Best effort: a browser without the setting keeps its default (balanced). */
async function setDegradationPreference(
  sender: RTCRtpSender | undefined,
  preference: RTCDegradationPreference,
): Promise<void> {
  if (!sender) return;
  try {
    const params = sender.getParameters();
    await sender.setParameters({ ...params, degradationPreference: preference });
  } catch (err) {
    console.warn('degradationPreference not applied', err);
  }
}

/** Thrown out of an await whose session was closed meanwhile; callers ignore it. */
export class MediaSessionClosed extends Error {
  constructor() {
    super('media session closed');
    this.name = 'MediaSessionClosed';
  }
}
