// One vehicle camera seated in a run's consult room. It is a participant without a socket: the
// room seats it like a browser (peerJoined), its plain RTP producers are announced like a browser's
// (producerAdded), and it answers the room's notifications itself. Its seat never enters a grace
// period (its "connection" never drops), so it keeps the live room open while the camera runs, even
// with nobody else in it. When the room's media moves to another worker it produces again on the
// new router and bumps `generation`; the sender learns the new ports from its next poll.
import { randomInt } from 'node:crypto';
import type { PlainIngestCodec, PlainIngestEndpoint } from '@telemed/sfu';
import type { CameraEndpoints, NotificationMethod, RtpEndpoint, UserInfo } from '../../protocol/index.js';
import type { Logger } from '../../logger.js';
import type { PeerConnection } from '../../live/peer.js';
import type { Room } from '../../live/room.js';

/** Dynamic payload types the sender is told to use (any in 96..127 would do). */
const VIDEO_PT: Record<'VP8' | 'H264', number> = { VP8: 96, H264: 102 };
const AUDIO_PT = 111;
/** After a failed re-production (router still settling), try again this much later. */
const RETRY_MS = 1_000;

export interface CameraDeviceOptions {
  runId: string;
  label: string;
  videoCodec: 'VP8' | 'H264';
  audio: boolean;
  leaseMs: number;
  logger: Logger;
  /** The camera is gone for good (stopped, kicked, room closed). */
  onGone(device: CameraDevice): void;
}

export class CameraDevice implements PeerConnection {
  /** Bumped each time producers are (re)created on a router. */
  generation = 0;
  /** Last time the sender asked about the camera (its lease). */
  lastSeen = Date.now();
  private endpoints: { video: RtpEndpoint; audio?: RtpEndpoint } | null = null;
  private stopped = false;
  private rebuilding: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
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

  /** Takes the seat and creates the producers; on failure the seat is given up again. */
  async start(): Promise<void> {
    this.room.join(this.user, this);
    try {
      await this.produce();
    } catch (err) {
      this.stop('start failed');
      throw err;
    }
    this.logger.info({ codec: this.opts.videoCodec, audio: this.opts.audio }, 'camera started');
  }

  describe(): CameraEndpoints {
    if (!this.endpoints) throw new Error('camera has no endpoints yet');
    return {
      peerId: this.peerId,
      runId: this.opts.runId,
      roomId: this.room.id,
      label: this.opts.label,
      generation: this.generation,
      video: this.endpoints.video,
      ...(this.endpoints.audio ? { audio: this.endpoints.audio } : {}),
      leaseMs: this.opts.leaseMs,
    };
  }

  /** Waits for a re-production in progress (after a media reset), so answers carry the new ports. */
  settled(): Promise<void> {
    return this.rebuilding;
  }

  /** Leaves the room (the others hear producerClosed and peerLeft). */
  stop(why: string): void {
    if (this.stopped) return;
    this.room.leave(this.peerId, this);
    this.gone_(why);
  }

  // ---- PeerConnection: what the room tells this participant ------------------------------------

  notify<M extends NotificationMethod>(method: M): void {
    // The room moved to a fresh router and gave the seat new media: produce again on it.
    if (method === 'mediaReset') this.reproduce();
  }

  detach(reason: string): void {
    this.gone_(reason);
  }

  // ---- private -----------------------------------------------------------------------------------

  private gone_(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.logger.info({ why }, 'camera stopped');
    this.opts.onGone(this);
  }

  private reproduce(): void {
    if (this.stopped) return;
    this.endpoints = null;
    this.rebuilding = this.rebuilding.then(() =>
      this.produce().catch((err: unknown) => {
        if (this.stopped) return;
        this.logger.warn({ err }, 'camera could not produce after a media reset; retrying');
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.reproduce();
        }, RETRY_MS);
      }),
    );
  }

  private async produce(): Promise<void> {
    const peer = this.room.peer(this.peerId);
    const media = peer?.media;
    if (!peer || !media || media.closed) throw new Error('camera seat has no media');
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
      return { ep, rtp: toRtpEndpoint(ep, codec, payloadType, ssrc) };
    };
    const video = await stream('video', this.opts.videoCodec, VIDEO_PT[this.opts.videoCodec]);
    const audio = this.opts.audio ? await stream('audio', 'opus', AUDIO_PT) : undefined;
    // Replaced meanwhile (another reset, or stopped): this media is already closed or about to be.
    if (this.stopped || peer.media !== media || media.closed) return;
    for (const s of [video, audio]) if (s) peer.producerOpened(s.ep.producer);
    this.generation += 1;
    this.endpoints = { video: video.rtp, ...(audio ? { audio: audio.rtp } : {}) };
  }
}

function toRtpEndpoint(
  ep: PlainIngestEndpoint,
  codec: PlainIngestCodec,
  payloadType: number,
  ssrc: number,
): RtpEndpoint {
  return { ip: ep.ip, port: ep.port, rtcpPort: ep.rtcpPort ?? ep.port, payloadType, ssrc, codec };
}
