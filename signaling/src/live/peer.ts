// One seat in a live room (peerId = user id). A Peer owns its current PeerMedia, forwards that
// media's consumer events to its own connection, and emits the producer events the Room answers by
// telling everyone else.
import { EventEmitter } from 'node:events';
import type { PeerMedia, PeerMediaEvents, ProducerDescriptor } from '@telemed/sfu';
import type {
  NotificationMethod,
  Notifications,
  PeerInfo,
  ProducerInfo,
  UserInfo,
} from '../protocol/index.js';

/** The live end of a participant: the Socket.IO adapter implements it; tests use a recorder. */
export interface PeerConnection {
  notify<M extends NotificationMethod>(method: M, data: Notifications[M]): void;
  /** The room let go of this connection (seat taken over, kicked, room closed): it is no longer joined. */
  detach(reason: string): void;
}

export interface PeerEvents {
  producerAdded: [producer: ProducerInfo];
  producerClosed: [info: { producerId: string; peerId: string }];
  producerPaused: [info: { producerId: string; peerId: string }];
  producerResumed: [info: { producerId: string; peerId: string }];
}

type Listener = [keyof PeerMediaEvents, (...args: never[]) => void];

export class Peer extends EventEmitter<PeerEvents> {
  status: PeerInfo['status'] = 'connected';
  connection: PeerConnection | null;
  /** Running while a dropped peer keeps its seat. */
  graceTimer: NodeJS.Timeout | null = null;
  private currentMedia: PeerMedia | null = null;
  private mediaListeners: Listener[] = [];
  /** Producers announced to the others; closing is announced once, whoever notices first. */
  private readonly announced = new Set<string>();

  constructor(
    readonly user: UserInfo,
    connection: PeerConnection,
  ) {
    super();
    this.connection = connection;
  }

  get id(): string {
    return this.user.id;
  }

  /** Null while the peer is reconnecting (its media was closed when it dropped). */
  get media(): PeerMedia | null {
    return this.currentMedia;
  }

  info(): PeerInfo {
    return {
      peerId: this.user.id,
      displayName: this.user.displayName,
      role: this.user.role,
      institution: this.user.institution.name,
      status: this.status,
    };
  }

  notify<M extends NotificationMethod>(method: M, data: Notifications[M]): void {
    this.connection?.notify(method, data);
  }

  /** Gives the peer fresh media (join, takeover, reconnection, relocation). */
  useMedia(media: PeerMedia): void {
    this.closeMedia();
    this.currentMedia = media;
    const on = <E extends keyof PeerMediaEvents>(event: E, fn: (...args: PeerMediaEvents[E]) => void) => {
      media.on(event as never, fn as never);
      this.mediaListeners.push([event, fn as unknown as Listener[1]]);
    };
    on('producerClosed', (producerId) => this.producerEnded(producerId));
    on('consumerClosed', (info) => this.notify('consumerClosed', info));
    on('consumerPaused', (consumerId) => this.notify('consumerPaused', { consumerId }));
    on('consumerResumed', (consumerId) => this.notify('consumerResumed', { consumerId }));
    on('consumerLayersChanged', (info) => this.notify('consumerLayersChanged', info));
    on('consumerScore', (info) => this.notify('consumerScore', info));
  }

  /** Closes the peer's transports; the others are told its producers are gone. */
  closeMedia(): void {
    const media = this.releaseMedia();
    for (const producerId of [...this.announced]) this.producerEnded(producerId);
    if (media && !media.closed) media.close();
  }

  /**
   * The SFU already closed this media (worker death): nothing to close, and nothing to announce,
   * since every peer is told to reset its media anyway.
   */
  forgetMedia(): void {
    this.releaseMedia();
    this.announced.clear();
  }

  producerOpened(p: ProducerDescriptor): void {
    this.announced.add(p.producerId);
    this.emit('producerAdded', {
      producerId: p.producerId,
      peerId: this.id,
      kind: p.kind,
      source: p.source,
      paused: p.paused,
    });
  }

  producerEnded(producerId: string): void {
    if (this.announced.delete(producerId)) this.emit('producerClosed', { producerId, peerId: this.id });
  }

  producerPauseChanged(producerId: string, paused: boolean): void {
    if (!this.announced.has(producerId)) return;
    this.emit(paused ? 'producerPaused' : 'producerResumed', { producerId, peerId: this.id });
  }

  private releaseMedia(): PeerMedia | null {
    const media = this.currentMedia;
    if (media) for (const [event, fn] of this.mediaListeners) media.off(event as never, fn as never);
    this.mediaListeners = [];
    this.currentMedia = null;
    return media;
  }
}
