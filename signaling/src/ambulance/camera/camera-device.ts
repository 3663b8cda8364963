// One vehicle camera seated in a run's consult room. It is a participant without a socket: the
// room seats it like a browser (peerJoined), its plain RTP producers are announced like a browser's
// (producerAdded), and it answers the room's notifications itself. Its seat never enters a grace
// period (its "connection" never drops), so it keeps the live room open while the camera runs, even
// with nobody else in it.
//
// Plain transports are made only when the sender asks for endpoints, with its ffmpeg stopped
// (`renew()`): a comedia transport keeps the first source address it hears from, so one created
// while an old ffmpeg still sends — after the room moved to a worker that got the same ports —
// would lock that ffmpeg in and the new one out for good. After a media reset the camera therefore
// waits for its sender ("awaiting-sender"); a video stream that stays silent is reported "stalled"
// (see ingest-flow.ts) so the sender comes back for fresh transports.
import { randomInt } from 'node:crypto';
import type { PeerMedia, PlainIngestCodec, PlainIngestEndpoint } from '@telemed/sfu';
import {
  ProtocolError,
  type CameraEndpoints,
  type CameraStatus,
  type NotificationMethod,
  type RtpEndpoint,
  type UserInfo,
} from '../../protocol/index.js';
import type { Logger } from '../../logger.js';
import type { PeerConnection } from '../../live/peer.js';
import type { Room } from '../../live/room.js';
import { IngestFlow, stallAfterMs } from './ingest-flow.js';

/** Dynamic payload types the sender is told to use (any in 96..127 would do). */
const VIDEO_PT: Record<'VP8' | 'H264', number> = { VP8: 96, H264: 102 };
const AUDIO_PT = 111;

export interface CameraDeviceOptions {
  runId: string;
  label: string;
  videoCodec: 'VP8' | 'H264';
  audio: boolean;
  leaseMs: number;
  /** First stall verdict after this much video silence (it grows while a sender never gets through). */
  stallMs: number;
  logger: Logger;
  /** The camera is gone for good (stopped, kicked, room closed). */
  onGone(device: CameraDevice): void;
}

interface Stream {
  transportId: string;
  producerId: string;
  rtp: RtpEndpoint;
}

/** The endpoints handed out last, while their transports live. */
interface Ingest {
  video: Stream;
  audio?: Stream;
  flow: IngestFlow;
}

export class CameraDevice implements PeerConnection {
  /** Bumped each time new endpoints are made. */
  generation = 0;
  /** Last time the sender asked about the camera (its lease). */
  lastSeen = Date.now();
  private ingest: Ingest | null = null;
  /** Endpoints in a row that stalled without receiving anything (slows the stall verdict down). */
  private streak = 0;
  private stopped = false;
  /** Renewals and status checks one after the other: a check never samples half-made endpoints. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    readonly room: Room,
    readonly user: UserInfo,
    private readonly opts: CameraDeviceOptions,
  ) {
    this.logger = opts.logger.child({ roomId: room.id, peerId: user.id, runId: opts.runId });
  }

  get peerId(): string {
    return this.user.id;
  }

  get runId(): string {
    return this.opts.runId;
  }

  get gone(): boolean {
    return this.stopped;
  }

  /** Takes the seat and makes the first endpoints; on failure the seat is given up again. */
  async start(): Promise<CameraEndpoints> {
    this.room.join(this.user, this);
    try {
      const endpoints = await this.renew();
      this.logger.info({ codec: this.opts.videoCodec, audio: this.opts.audio }, 'camera started');
      return endpoints;
    } catch (err) {
      this.stop('start failed');
      throw err;
    }
  }

  /**
   * Fresh endpoints for a sender whose ffmpeg is stopped: the previous transports (if any) close —
   * the room hears producerClosed — and new ones are made on the room's current router
   * (producerAdded). Throws MEDIA_ERROR when the media server cannot take them right now.
   */
  renew(): Promise<CameraEndpoints> {
    return this.exclusive(() => this.renewNow());
  }

  /** What the sender should do now; samples the video producer's byte count (the stall watchdog). */
  status(): Promise<CameraStatus> {
    return this.exclusive(() => this.statusNow());
  }

  /** Leaves the room (the others hear producerClosed and peerLeft). */
  stop(why: string): void {
    if (this.stopped) return;
    this.room.leave(this.peerId, this);
    this.gone_(why);
  }

  // ---- PeerConnection: what the room tells this participant ------------------------------------

  notify<M extends NotificationMethod>(method: M): void {
    // The room moved to a fresh router; the old transports died with the old worker (the room
    // already forgot their producers). New ones wait until the sender has stopped its ffmpeg.
    if (method !== 'mediaReset' || this.stopped) return;
    this.ingest = null;
    this.logger.warn({ generation: this.generation }, 'camera media reset; awaiting its sender');
  }

  detach(reason: string): void {
    this.gone_(reason);
  }

  // ---- private -----------------------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private base() {
    return {
      peerId: this.peerId,
      runId: this.opts.runId,
      roomId: this.room.id,
      label: this.opts.label,
      generation: this.generation,
      leaseMs: this.opts.leaseMs,
    };
  }

  private describe(ingest: Ingest, state: CameraEndpoints['state']): CameraEndpoints {
    return {
      ...this.base(),
      state,
      video: ingest.video.rtp,
      ...(ingest.audio ? { audio: ingest.audio.rtp } : {}),
    };
  }

  private async statusNow(): Promise<CameraStatus> {
    if (this.stopped) throw new ProtocolError('NOT_FOUND', 'No such camera (stopped)');
    const ingest = this.ingest;
    const media = this.room.peer(this.peerId)?.media;
    if (!ingest || !media || media.closed) return { ...this.base(), state: 'awaiting-sender' };
    let byteCount: number;
    try {
      byteCount = (await media.producerStats(ingest.video.producerId)).byteCount;
    } catch (err) {
      // The producer went without us (its transport closed): the sender needs new endpoints.
      if (this.ingest === ingest) this.ingest = null;
      this.logger.warn({ err, generation: this.generation }, 'camera producer gone; awaiting its sender');
      return { ...this.base(), state: 'awaiting-sender' };
    }
    if (this.ingest !== ingest) return { ...this.base(), state: 'awaiting-sender' };
    const now = Date.now();
    const change = ingest.flow.observe(byteCount, now);
    if (change === 'first-bytes') {
      this.streak = 0;
      this.logger.info({ generation: this.generation }, 'camera video arriving');
    } else if (change === 'stalled') {
      this.logger.warn(
        {
          generation: this.generation,
          silentMs: ingest.flow.silentForMs(now),
          received: ingest.flow.received,
        },
        'camera video stalled; the sender will be told to renew its endpoints',
      );
    }
    return this.describe(ingest, ingest.flow.state(now));
  }

  private async renewNow(): Promise<CameraEndpoints> {
    if (this.stopped) throw new ProtocolError('NOT_FOUND', 'No such camera (stopped)');
    const peer = this.room.peer(this.peerId);
    const media = peer?.media;
    if (!peer || !media || media.closed)
      throw new ProtocolError('MEDIA_ERROR', 'The camera is moving to another media worker; ask again');
    const previous = this.ingest;
    this.ingest = null;
    if (previous) {
      if (!previous.flow.received) this.streak += 1;
      for (const s of [previous.video, previous.audio]) {
        if (!s) continue;
        try {
          media.closeTransport(s.transportId);
        } catch {
          // already closed with its router
        }
      }
    }
    let made: { video: Stream; audio?: Stream; endpoints: PlainIngestEndpoint[] };
    try {
      made = await this.produce(media);
    } catch (err) {
      this.logger.warn({ err }, 'camera endpoints could not be made');
      throw new ProtocolError('MEDIA_ERROR', 'The media server could not take the camera; try again');
    }
    // Replaced meanwhile (a media reset, or stopped): these transports are closed or about to be.
    if (this.stopped || peer.media !== media || media.closed) {
      for (const ep of made.endpoints) {
        try {
          media.closeTransport(ep.transportId);
        } catch {
          // gone with its media
        }
      }
      throw new ProtocolError('MEDIA_ERROR', 'The camera is moving to another media worker; ask again');
    }
    for (const ep of made.endpoints) peer.producerOpened(ep.producer);
    this.generation += 1;
    const wait = stallAfterMs(this.streak, this.opts.stallMs);
    this.ingest = {
      video: made.video,
      ...(made.audio ? { audio: made.audio } : {}),
      flow: new IngestFlow(Date.now(), { firstBytesMs: wait, silenceMs: this.opts.stallMs }),
    };
    this.logger.info({ generation: this.generation, stallAfterMs: wait }, 'camera endpoints made');
    return this.describe(this.ingest, 'starting');
  }

  private async produce(media: PeerMedia) {
    const endpoints: PlainIngestEndpoint[] = [];
    const stream = async (kind: 'audio' | 'video', codec: PlainIngestCodec, payloadType: number) => {
      // Below 2^31: ffmpeg's -ssrc option is a signed 32-bit integer.
      const ssrc = randomInt(1, 0x7fffffff);
      const ep = await media.produceFromRtp({
        kind,
        source: kind === 'video' ? 'camera' : 'mic',
        codec,
        payloadType,
        ssrc,
        // ffmpeg sends RTCP from a second socket (see PlainIngestOptions.rtcpMux).
        rtcpMux: false,
      });
      endpoints.push(ep);
      const rtp: RtpEndpoint = {
        ip: ep.ip,
        port: ep.port,
        rtcpPort: ep.rtcpPort ?? ep.port,
        payloadType,
        ssrc,
        codec,
      };
      return { transportId: ep.transportId, producerId: ep.producer.producerId, rtp };
    };
    try {
      const video = await stream('video', this.opts.videoCodec, VIDEO_PT[this.opts.videoCodec]);
      const audio = this.opts.audio ? await stream('audio', 'opus', AUDIO_PT) : undefined;
      return { video, ...(audio ? { audio } : {}), endpoints };
    } catch (err) {
      // Half made (video but no audio): nothing is announced yet, close what exists.
      for (const ep of endpoints) {
        try {
          media.closeTransport(ep.transportId);
        } catch {
          // gone with its media
        }
      }
      throw err;
    }
  }

  private gone_(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ingest = null;
    this.logger.info({ why }, 'camera stopped');
    this.opts.onGone(this);
  }
}
