// A live consult room: membership and presence. It seats participants (one seat per user), hands
// seats over to a newer session of the same user, keeps a dropped participant's seat for a grace
// period, and tells everyone what changed. Media requests and chat live in their own modules; this
// class only answers the events its peers and its RoomMedia emit.
import { EventEmitter } from 'node:events';
import type { RoomMedia, RoomMediaEvents } from '@telemed/sfu';
import type {
  IceServer,
  JoinResponse,
  NotificationMethod,
  Notifications,
  ProducerInfo,
  UserInfo,
} from '../protocol/index.js';
import type { ChatRepository } from '../chat/chat-repository.js';
import type { Logger } from '../logger.js';
import { Peer, type PeerConnection } from './peer.js';
import { RoomChat, type Broadcaster } from './room-chat.js';
import type { RoomFeature, RoomFeatureFactory } from './room-features.js';

export interface RoomOptions {
  /** How long a dropped participant keeps the seat. */
  graceMs: number;
  iceServers: IceServer[];
  chat: ChatRepository;
  logger: Logger;
  features?: readonly RoomFeatureFactory[];
}

export interface RoomEvents {
  /** The last participant is gone (grace periods included): the registry closes the room. */
  empty: [];
}

export const TAKEOVER_REASON = 'You joined this room from another window or device';

export class Room extends EventEmitter<RoomEvents> implements Broadcaster {
  readonly chat: RoomChat;
  private readonly peers = new Map<string, Peer>();
  private readonly features: RoomFeature[];
  private readonly logger: Logger;
  private activeSpeakerPeerId: string | null = null;
  private isClosed = false;

  constructor(
    readonly id: string,
    readonly media: RoomMedia,
    private readonly options: RoomOptions,
  ) {
    super();
    this.logger = options.logger.child({ roomId: id });
    this.chat = new RoomChat(id, options.chat, this);
    media.on('activeSpeaker', this.onActiveSpeaker);
    media.on('relocated', this.onRelocated);
    this.features = (options.features ?? []).map((create) => create(this));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Seats (including those in their grace period). */
  get size(): number {
    return this.peers.size;
  }

  peer(peerId: string): Peer | undefined {
    return this.peers.get(peerId);
  }

  feature<F extends RoomFeature>(name: string): F | undefined {
    return this.features.find((f) => f.name === name) as F | undefined;
  }

  /**
   * Seats the user: a new seat, or their existing one (taken over from another connection, or
   * restored inside the grace period). Either way the connection gets fresh media.
   */
  join(user: UserInfo, connection: PeerConnection): JoinResponse {
    if (this.isClosed) throw new Error('room is closed');
    const existing = this.peers.get(user.id);
    if (existing) {
      this.reseat(existing, connection);
      return this.snapshotFor(existing);
    }
    const peer = new Peer(user, connection);
    this.wire(peer);
    this.peers.set(peer.id, peer);
    peer.useMedia(this.media.createPeer(peer.id));
    this.logger.info({ peerId: peer.id, peers: this.peers.size }, 'peer joined');
    this.broadcast('peerJoined', { peer: peer.info() }, peer.id);
    for (const f of this.features) f.peerJoined?.(peer);
    return this.snapshotFor(peer);
  }

  /** An explicit leave. Ignored if the connection no longer holds the seat. */
  leave(peerId: string, connection: PeerConnection): void {
    const peer = this.peers.get(peerId);
    if (!peer || peer.connection !== connection) return;
    this.remove(peer, 'left');
  }

  /**
   * The connection dropped: its media closes at once (nobody should watch a frozen picture) and the
   * seat waits `graceMs` for the same user to come back.
   */
  disconnected(peerId: string, connection: PeerConnection): void {
    const peer = this.peers.get(peerId);
    if (!peer || peer.connection !== connection) return;
    peer.connection = null;
    if (this.options.graceMs <= 0) {
      this.remove(peer, 'disconnected');
      return;
    }
    peer.status = 'reconnecting';
    peer.closeMedia();
    this.broadcast('peerUpdated', { peer: peer.info() }, peer.id);
    peer.graceTimer = setTimeout(() => {
      peer.graceTimer = null;
      if (this.peers.get(peer.id) === peer && peer.status === 'reconnecting')
        this.remove(peer, 'grace expired');
    }, this.options.graceMs);
    this.logger.info({ peerId, graceMs: this.options.graceMs }, 'peer reconnecting');
  }

  /** Removes a participant who may no longer be here (invitation withdrawn). */
  kick(peerId: string, reason: string): boolean {
    const peer = this.peers.get(peerId);
    if (!peer) return false;
    const connection = peer.connection;
    peer.connection = null;
    connection?.notify('kicked', { reason });
    connection?.detach(reason);
    this.remove(peer, 'kicked');
    return true;
  }

  broadcast<M extends NotificationMethod>(method: M, data: Notifications[M], exceptPeerId?: string): void {
    for (const peer of this.peers.values()) {
      if (peer.id !== exceptPeerId) peer.notify(method, data);
    }
  }

  counts(): { peers: number; connected: number } {
    let connected = 0;
    for (const p of this.peers.values()) if (p.status === 'connected') connected += 1;
    return { peers: this.peers.size, connected };
  }

  /** Ends the live call without telling anyone (the server is stopping). */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const peer of this.peers.values()) {
      if (peer.graceTimer) clearTimeout(peer.graceTimer);
      peer.graceTimer = null;
      peer.forgetMedia();
      peer.removeAllListeners();
      peer.connection?.detach('room closed');
      peer.connection = null;
    }
    this.peers.clear();
    for (const f of this.features) f.close?.();
    this.media.off('activeSpeaker', this.onActiveSpeaker);
    this.media.off('relocated', this.onRelocated);
    if (!this.media.closed) this.media.close();
    this.logger.info('room closed');
  }

  private reseat(peer: Peer, connection: PeerConnection): void {
    if (peer.graceTimer) clearTimeout(peer.graceTimer);
    peer.graceTimer = null;
    const previous = peer.connection;
    if (previous && previous !== connection) {
      previous.notify('kicked', { reason: TAKEOVER_REASON });
      previous.detach(TAKEOVER_REASON);
    }
    // The previous session's transports go; the others hear producerClosed for its producers.
    peer.closeMedia();
    peer.connection = connection;
    peer.status = 'connected';
    peer.useMedia(this.media.createPeer(peer.id));
    this.logger.info({ peerId: peer.id, takeover: Boolean(previous) }, 'peer reseated');
    this.broadcast('peerUpdated', { peer: peer.info() }, peer.id);
  }

  private remove(peer: Peer, why: string): void {
    if (peer.graceTimer) clearTimeout(peer.graceTimer);
    peer.graceTimer = null;
    peer.closeMedia();
    peer.removeAllListeners();
    peer.connection?.detach(why);
    peer.connection = null;
    this.peers.delete(peer.id);
    this.logger.info({ peerId: peer.id, why, peers: this.peers.size }, 'peer left');
    this.broadcast('peerLeft', { peerId: peer.id });
    for (const f of this.features) f.peerLeft?.(peer.id);
    if (this.activeSpeakerPeerId === peer.id) this.activeSpeakerPeerId = null;
    if (this.peers.size === 0) this.emit('empty');
  }

  private wire(peer: Peer): void {
    peer.on('producerAdded', (producer) => this.broadcast('producerAdded', { producer }, peer.id));
    peer.on('producerClosed', (info) => this.broadcast('producerClosed', info, peer.id));
    peer.on('producerPaused', (info) => this.broadcast('producerPaused', info, peer.id));
    peer.on('producerResumed', (info) => this.broadcast('producerResumed', info, peer.id));
  }

  private snapshotFor(self: Peer): JoinResponse {
    const others = [...this.peers.values()].filter((p) => p !== self);
    const producers: ProducerInfo[] = this.media
      .producers()
      .filter((p) => p.peerId !== self.id && this.peers.has(p.peerId))
      .map((p) => ({
        producerId: p.producerId,
        peerId: p.peerId,
        kind: p.kind,
        source: p.source,
        paused: p.paused,
      }));
    return {
      self: self.info(),
      peers: others.map((p) => p.info()),
      producers,
      chat: this.chat.history(),
      routerRtpCapabilities: this.media.rtpCapabilities,
      iceServers: this.options.iceServers,
      activeSpeakerPeerId: this.activeSpeakerPeerId,
    };
  }

  private readonly onActiveSpeaker = (...[peerId]: RoomMediaEvents['activeSpeaker']): void => {
    const known = peerId !== null && this.peers.has(peerId) ? peerId : null;
    if (known === this.activeSpeakerPeerId) return;
    this.activeSpeakerPeerId = known;
    this.broadcast('activeSpeaker', { peerId: known });
  };

  /**
   * The worker died and the room now has a fresh router elsewhere. The SFU already closed every
   * PeerMedia; connected peers get new ones and are told to build their media again.
   */
  private readonly onRelocated = (...[info]: RoomMediaEvents['relocated']): void => {
    this.logger.warn({ reason: info.reason, peers: this.peers.size }, 'room media relocated');
    this.activeSpeakerPeerId = null;
    for (const peer of this.peers.values()) {
      peer.forgetMedia();
      if (!peer.connection) continue;
      peer.useMedia(this.media.createPeer(peer.id));
      peer.notify('mediaReset', { reason: info.reason, routerRtpCapabilities: info.rtpCapabilities });
    }
    for (const f of this.features) f.mediaReset?.();
  };
}
