import type {
  ChatMessage,
  IceServer,
  JoinResponse,
  PeerInfo,
  ProducerInfo,
} from '@telemed/signaling/protocol';
import { ApiError } from '../api/errors.js';
import type { SignalingClient } from '../api/signaling.js';
import { Emitter } from '../util/emitter.js';
import { LayerPlanner } from './LayerPlanner.js';
import type { SpatialLayer, TileSize } from './layers.js';
import { LocalMedia } from './LocalMedia.js';
import { MediaSession, MediaSessionClosed } from './MediaSession.js';
import { DEFAULT_MEDIA_PROFILE, type MediaProfile } from './mediaProfile.js';
import { buildSnapshot } from './snapshot.js';
import type { RoomPhase, RoomSnapshot } from './roomState.js';
import type { InboundStat } from './stats.js';

/**
 * A receive-only visit (the arrival board's inline video): no camera or microphone is asked for or
 * sent, only the producers `accept` lets through are consumed, and every simulcast camera is asked
 * for one fixed layer whatever its tile size.
 */
export interface WatchOptions {
  accept(producer: ProducerInfo, peer: PeerInfo | undefined): boolean;
  layer: SpatialLayer;
}

/** The previous room's leave must reach the server before the next join (one seat per socket). */
let previousClose: Promise<void> = Promise.resolve();

/** How long to wait for the mediaReset that should follow a MEDIA_ERROR before re-joining. */
const MEDIA_RESYNC_MS = 5_000;

/**
 * One visit to a consult room: membership (join, re-join after a reconnection), the roster, chat,
 * and the current MediaSession. React reads it through `getSnapshot()` and the `change` event;
 * nothing here knows about React.
 */
export class RoomClient extends Emitter<{ change: [] }> {
  readonly local: LocalMedia;
  private phase: RoomPhase = 'joining';
  private error: RoomSnapshot['error'] = null;
  private notice: string | null = null;
  private deviceWarning: string | null = null;
  private self: PeerInfo | null = null;
  private readonly peers = new Map<string, PeerInfo>();
  /** Remote producers we should be consuming (join answer + producerAdded − producerClosed). */
  private readonly remoteProducers = new Map<string, ProducerInfo>();
  private readonly chat = new Map<string, ChatMessage>();
  private activeSpeakerPeerId: string | null = null;
  private readonly hidden = new Set<string>();
  private readonly layers: LayerPlanner;
  private media: MediaSession | null = null;
  private iceServers: IceServer[] = [];
  private seated = false;
  private joining = false;
  private joinAttempt = 0;
  private joinInFlight: Promise<unknown> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private snapshot: RoomSnapshot;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    readonly roomId: string,
    /** Public for the room's features (shared viewing) that speak their own requests. */
    readonly signaling: SignalingClient,
    /** Capture and sending (the crew page uses the low-bandwidth one). */
    private readonly profile: MediaProfile = DEFAULT_MEDIA_PROFILE,
    private readonly watch: WatchOptions | null = null,
  ) {
    super();
    this.layers = new LayerPlanner(() => this.media, watch?.layer);
    this.local = new LocalMedia(profile);
    this.snapshot = this.build();
    this.local.on('change', () => this.changed());
    this.local.on('screenEnded', () => void this.media?.unpublish('screen'));
  }

  getSnapshot = (): RoomSnapshot => this.snapshot;

  subscribe = (fn: () => void): (() => void) => this.on('change', fn);

  /** Starts the visit: asks for camera and microphone while joining. */
  async start(): Promise<void> {
    const waitForPrevious = previousClose;
    const devices = (this.watch ? Promise.resolve(null) : this.local.acquire()).then((warning) => {
      this.deviceWarning = warning;
      this.changed();
    });
    await waitForPrevious;
    if (this.closed) return;
    this.listen();
    if (this.signaling.connected) void this.join();
    // Media is published once both the tracks and the transports exist, whichever comes last.
    await devices;
    if (this.media && !this.media.isClosed) void this.publishAll(this.media);
  }

  /** Leaves the room (server seat included) and releases camera and microphone. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    previousClose = this.closing;
    return this.closing;
  }

  async toggleMic(): Promise<void> {
    await this.setOn('mic', !this.local.isOn('mic'));
  }

  async toggleCamera(): Promise<void> {
    await this.setOn('camera', !this.local.isOn('camera'));
  }

  async toggleScreen(): Promise<void> {
    if (this.local.isOn('screen')) {
      this.local.stopScreen();
      await this.media?.unpublish('screen');
      return;
    }
    try {
      await this.local.startScreen();
    } catch {
      this.notice = 'room.noticeScreenRefused';
      this.changed();
      return;
    }
    await this.media?.publish('screen').catch((err: unknown) => this.mediaFailed(err));
  }

  async sendChat(text: string): Promise<void> {
    const { message } = await this.signaling.request('chat', { text });
    this.addChat(message);
  }

  /** Hidden tiles are not sent at all; shown ones resume. */
  setHidden(peerId: string, hidden: boolean): void {
    if (hidden) this.hidden.add(peerId);
    else this.hidden.delete(peerId);
    for (const c of this.media?.consumerList() ?? []) {
      if (c.peerId === peerId && c.kind === 'video')
        void this.media?.setPausedByUs(c.consumer.id, hidden).catch(() => undefined);
    }
    this.changed();
  }

  /** The tile's size on screen decides which simulcast layer we ask for. */
  setTileSize(peerId: string, size: TileSize): void {
    this.layers.setTileSize(peerId, size);
  }

  peerList(): PeerInfo[] {
    return [...this.peers.values()];
  }

  inboundStats(): Promise<InboundStat[]> {
    return this.media?.inboundStats() ?? Promise.resolve([]);
  }

  private listen(): void {
    const s = this.signaling;
    this.unsubscribe.push(
      s.onState((state) => {
        if (state === 'connected') void this.join();
        else if (state === 'disconnected') this.lostConnection();
        else if (state === 'unauthorized')
          this.fail(new ApiError('UNAUTHORIZED', 'Your session has expired; log in again'));
      }),
      s.on('peerJoined', ({ peer }) => this.putPeer(peer)),
      s.on('peerUpdated', ({ peer }) => this.putPeer(peer)),
      s.on('peerLeft', ({ peerId }) => {
        this.peers.delete(peerId);
        this.hidden.delete(peerId);
        this.layers.forget(peerId);
        for (const [id, p] of this.remoteProducers) if (p.peerId === peerId) this.remoteProducers.delete(id);
        this.media?.closeConsumersOfPeer(peerId);
        this.changed();
      }),
      s.on('producerAdded', ({ producer }) => {
        this.remoteProducers.set(producer.producerId, producer);
        if (this.media) void this.consume(this.media, producer);
        this.changed();
      }),
      s.on('producerClosed', ({ producerId }) => {
        this.remoteProducers.delete(producerId);
        this.media?.closeConsumersOf(producerId);
        this.changed();
      }),
      s.on('producerPaused', ({ producerId }) => this.setProducerPaused(producerId, true)),
      s.on('producerResumed', ({ producerId }) => this.setProducerPaused(producerId, false)),
      s.on('consumerClosed', ({ consumerId }) => this.media?.closeConsumer(consumerId)),
      s.on('consumerPaused', ({ consumerId }) => this.media?.markProducerPaused(consumerId, true)),
      s.on('consumerResumed', ({ consumerId }) => this.media?.markProducerPaused(consumerId, false)),
      s.on('consumerScore', ({ consumerId, score }) => this.media?.setScore(consumerId, score)),
      s.on('activeSpeaker', ({ peerId }) => {
        this.activeSpeakerPeerId = peerId;
        this.changed();
      }),
      s.on('chatMessage', ({ message }) => this.addChat(message)),
      s.on('mediaReset', ({ routerRtpCapabilities }) => {
        if (!this.seated) return;
        // Everyone's media is gone with the old router; the others produce again and we hear
        // producerAdded for each, so nothing known about remote producers is still valid.
        this.remoteProducers.clear();
        this.setPhase('reconnecting', 'room.noticeMediaServerRestarted');
        void this.startMedia(routerRtpCapabilities);
      }),
      s.on('kicked', ({ reason }) => {
        this.seated = false;
        this.fail(new ApiError('KICKED', reason));
      }),
    );
  }

  private async join(): Promise<void> {
    if (this.closed || this.phase === 'error' || this.seated || this.joining) return;
    this.joining = true;
    const attempt = ++this.joinAttempt;
    const request = this.signaling.request('join', { roomId: this.roomId });
    this.joinInFlight = request.catch(() => undefined);
    let answer: JoinResponse;
    try {
      answer = await request;
    } catch (err) {
      if (attempt !== this.joinAttempt || this.closed) return;
      this.joining = false;
      const error = ApiError.from(err);
      // Without a connection the next `connected` state joins again.
      if (error.code !== 'NETWORK') this.fail(error);
      return;
    }
    if (attempt !== this.joinAttempt || this.closed) return;
    this.joining = false;
    this.seated = true;
    this.applySnapshot(answer);
    await this.startMedia(answer.routerRtpCapabilities);
  }

  private applySnapshot(answer: JoinResponse): void {
    this.self = answer.self;
    this.iceServers = answer.iceServers ?? [];
    this.peers.clear();
    for (const p of answer.peers) this.peers.set(p.peerId, p);
    this.remoteProducers.clear();
    for (const p of answer.producers) this.remoteProducers.set(p.producerId, p);
    for (const m of answer.chat) this.chat.set(m.id, m);
    this.activeSpeakerPeerId = answer.activeSpeakerPeerId ?? null;
    this.changed();
  }

  private async startMedia(routerRtpCapabilities: unknown): Promise<void> {
    this.media?.close();
    const media = new MediaSession(
      this.signaling,
      this.local,
      () => {
        this.changed();
        // Fewer or more remote cameras change what each tile should receive.
        this.layers.schedule();
      },
      this.profile,
    );
    this.media = media;
    try {
      await media.open(routerRtpCapabilities, this.iceServers);
    } catch (err) {
      if (this.media !== media || this.closed || err instanceof MediaSessionClosed) return;
      if (ApiError.from(err).code === 'MEDIA_ERROR') {
        // Normally a mediaReset is already on its way and replaces this session; if none comes,
        // the room's media is in a state we cannot repair from here: sit down again.
        setTimeout(() => {
          if (this.media === media && !this.closed) void this.resync();
        }, MEDIA_RESYNC_MS);
        return;
      }
      this.mediaFailed(err);
      return;
    }
    if (media.isClosed) return;
    this.setPhase('joined', null);
    await Promise.all([
      this.publishAll(media),
      ...[...this.remoteProducers.values()].map((p) => this.consume(media, p)),
    ]);
  }

  private async publishAll(media: MediaSession): Promise<void> {
    for (const source of ['mic', 'camera', 'screen'] as const) {
      await media.publish(source).catch((err: unknown) => this.mediaFailed(err));
    }
  }

  private async consume(media: MediaSession, producer: ProducerInfo): Promise<void> {
    if (this.watch && !this.watch.accept(producer, this.peers.get(producer.peerId))) return;
    try {
      await media.consume(producer, this.hidden.has(producer.peerId));
      this.layers.schedule();
    } catch (err) {
      this.mediaFailed(err);
    }
  }

  private async setOn(source: 'mic' | 'camera', on: boolean): Promise<void> {
    this.local.setOn(source, on);
    await this.media?.setProducerPaused(source, !on).catch((err: unknown) => this.mediaFailed(err));
  }

  /** A media step failed: stale answers are dropped, anything else is shown without ending the call. */
  private mediaFailed(err: unknown): void {
    if (err instanceof MediaSessionClosed || this.closed) return;
    const error = ApiError.from(err);
    // A reset or reconnection is already replacing this media.
    if (error.code === 'NETWORK' || error.code === 'MEDIA_ERROR') return;
    console.warn('media step failed', err);
    if (this.phase !== 'joined') this.fail(error);
  }

  /** Leaves and joins again: the join answer is a fresh, complete picture of the room's media. */
  private async resync(): Promise<void> {
    if (this.closed || !this.seated) return;
    this.media?.close();
    this.media = null;
    this.seated = false;
    this.setPhase('reconnecting', 'room.noticeReconnectingMedia');
    await this.signaling.request('leave', {}).catch(() => undefined);
    await this.join();
  }

  private lostConnection(): void {
    if (this.closed || this.phase === 'error') return;
    this.seated = false;
    this.joining = false;
    this.joinAttempt += 1;
    // The server closes our media the moment the socket drops; ours is useless until we re-join.
    this.media?.close();
    this.media = null;
    this.remoteProducers.clear();
    this.setPhase('reconnecting', 'room.noticeConnectionLost');
  }

  private putPeer(peer: PeerInfo): void {
    this.peers.set(peer.peerId, peer);
    this.changed();
  }

  private setProducerPaused(producerId: string, paused: boolean): void {
    const p = this.remoteProducers.get(producerId);
    if (!p) return;
    this.remoteProducers.set(producerId, { ...p, paused });
    this.changed();
  }

  private addChat(message: ChatMessage): void {
    if (this.chat.has(message.id)) return;
    this.chat.set(message.id, message);
    this.changed();
  }

  private setPhase(phase: RoomPhase, notice: string | null): void {
    this.phase = phase;
    this.notice = notice;
    this.changed();
  }

  private fail(error: ApiError): void {
    this.error = { code: error.code, message: error.message };
    this.media?.close();
    this.media = null;
    this.local.stopAll();
    this.setPhase('error', null);
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    this.layers.stop();
    for (const off of this.unsubscribe.splice(0)) off();
    this.media?.close();
    this.media = null;
    this.local.stopAll();
    this.phase = this.phase === 'error' ? 'error' : 'left';
    // A join still in flight would seat us after we left: wait for it, then leave.
    await this.joinInFlight;
    if (this.signaling.connected) await this.signaling.request('leave', {}).catch(() => undefined);
    this.seated = false;
    this.changed();
    this.removeAllListeners();
  }

  private changed(): void {
    this.snapshot = this.build();
    this.emit('change');
  }

  private build(): RoomSnapshot {
    return buildSnapshot({
      roomId: this.roomId,
      phase: this.phase,
      error: this.error,
      notice: this.notice ?? this.deviceWarning,
      self: this.self,
      peers: [...this.peers.values()],
      remoteProducers: this.remoteProducers,
      consumers: this.media?.consumerList() ?? [],
      chat: [...this.chat.values()],
      activeSpeakerPeerId: this.activeSpeakerPeerId,
      hidden: this.hidden,
      local: this.local.view(),
    });
  }
}
