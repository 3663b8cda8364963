// The camera CLI's life after startup: poll the camera (its lease, and what to do), and whenever the
// server says the endpoints are gone (`awaiting-sender`: the room moved to another worker) or dead
// (`stalled`: no video arrives), stop ffmpeg, wait for it to exit, and only then ask for fresh
// endpoints. The order matters: a new comedia transport keeps the first source address it hears,
// and an ffmpeg still sending to a port the new transport happens to reuse would lock it forever.
import type { CameraEndpoints, CameraStatus, StartCameraBody } from '../protocol/index.js';
import { CameraApiError, explainCameraError } from './camera-api.js';

/** Poll this often while the server is not receiving (video should come back in seconds). */
export const FAST_POLL_MS = 1_000;

export interface CameraLoopApi {
  start(body: StartCameraBody): Promise<CameraEndpoints>;
  poll(peerId: string): Promise<CameraStatus>;
  renew(peerId: string): Promise<CameraEndpoints>;
  stop(peerId: string): Promise<void>;
}

/** ffmpeg under supervision: sending to some endpoints, or halted. */
export interface CameraSender {
  send(endpoints: CameraEndpoints): void;
  /** Resolves once ffmpeg has exited. */
  halt(): Promise<void>;
}

export interface CameraLoopOptions {
  api: CameraLoopApi;
  sender: CameraSender;
  body: StartCameraBody;
  /** Poll interval while video arrives (the lease bounds it too). */
  pollMs: number;
  log(line: string): void;
}

const isGone = (err: unknown) => err instanceof CameraApiError && err.code === 'NOT_FOUND';
const isFatal = (err: unknown) =>
  err instanceof CameraApiError &&
  (err.code === 'FORBIDDEN' || err.code === 'CONFLICT' || err.code === 'BAD_REQUEST' || err.status === 401);

export class CameraLoop {
  private current: CameraEndpoints | null = null;
  /** Endpoints are wanted: ffmpeg is halted until a renewal (or a new camera) succeeds. */
  private needsEndpoints = false;
  private lastState: CameraStatus['state'] = 'starting';
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(private readonly opts: CameraLoopOptions) {}

  get camera(): CameraEndpoints | null {
    return this.current;
  }

  /** Starts the camera and ffmpeg; throws the server's refusal (the CLI exits 1). */
  async begin(): Promise<CameraEndpoints> {
    const camera = await this.opts.api.start(this.opts.body);
    this.use(camera);
    return camera;
  }

  /** Polls until stopped (0), the run is over (0), or the server refuses for good (1). */
  async run(): Promise<number> {
    while (!this.stopping) {
      await this.sleep(this.interval());
      if (this.stopping) break;
      const code = await this.round();
      if (code !== null) {
        await this.opts.sender.halt();
        return code;
      }
    }
    return 0;
  }

  /**
   * The sender can no longer use the current endpoints (ffmpeg had to move to other source ports,
   * which the transports, locked onto the old ones, would drop; or its restarted stream cannot
   * continue the old one). ffmpeg is halted and fresh endpoints are asked for at once.
   */
  requestEndpoints(why: string): void {
    if (this.stopping) return;
    this.opts.log(`${why}; asking for new endpoints`);
    this.needsEndpoints = true;
    this.wake?.();
  }

  /** SIGINT/SIGTERM: ffmpeg stops, then the camera leaves the room. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    await this.opts.sender.halt();
    if (!this.current) return;
    await this.opts.api
      .stop(this.current.peerId)
      .catch((err: unknown) => this.opts.log(`could not stop the camera: ${explainCameraError(err)}`));
  }

  /** One poll and what follows from it; an exit code when the loop should end. */
  private async round(): Promise<number | null> {
    const { api, log } = this.opts;
    const camera = this.current!;
    try {
      if (this.needsEndpoints) {
        // Usually halted already; not after requestEndpoints() with ffmpeg restarted meanwhile.
        await this.opts.sender.halt();
        if (this.stopping) return null;
        await this.renew();
        return null;
      }
      const status = await api.poll(camera.peerId);
      if (this.stopping) return null;
      this.lastState = status.state;
      if (status.state === 'awaiting-sender') {
        log('the media server moved the room; stopping ffmpeg for new endpoints');
      } else if (status.state === 'stalled') {
        log('no video reaches the server (stalled); stopping ffmpeg for new endpoints');
      } else if (status.generation !== camera.generation) {
        log('the camera has other endpoints now; stopping ffmpeg for new ones');
      } else {
        return null;
      }
      this.needsEndpoints = true;
      await this.opts.sender.halt();
      if (this.stopping) return null;
      await this.renew();
      return null;
    } catch (err) {
      if (this.stopping) return null;
      if (isGone(err)) return this.restart();
      if (err instanceof CameraApiError && err.code === 'CONFLICT') {
        log(`${err.message}; exiting`);
        return 0;
      }
      if (isFatal(err)) {
        log(`giving up: ${explainCameraError(err)}`);
        return 1;
      }
      // Network trouble or the media server busy: ffmpeg (if sending) keeps on; again next round.
      log(
        `${this.needsEndpoints ? 'asking for endpoints' : 'poll'} failed (${explainCameraError(err)}); retrying`,
      );
      return null;
    }
  }

  private async renew(): Promise<void> {
    const camera = await this.opts.api.renew(this.current!.peerId);
    if (this.stopping) return;
    this.use(camera);
  }

  /** The server forgot the camera (it restarted, or the lease ran out): start a new one. */
  private async restart(): Promise<number | null> {
    const { api, log } = this.opts;
    log('the server no longer knows this camera; starting it again');
    // The new camera's ports may be the old ones: nothing may still be sending there.
    this.needsEndpoints = true;
    await this.opts.sender.halt();
    try {
      const camera = await api.start(this.opts.body);
      if (this.stopping) return null;
      this.use(camera);
      return null;
    } catch (again) {
      if (isFatal(again)) {
        log(`cannot start the camera again: ${explainCameraError(again)}`);
        return 1;
      }
      log(`cannot start the camera again yet: ${explainCameraError(again)}`);
      // Still gone: the next round (a poll) answers NOT_FOUND and comes back here.
      return null;
    }
  }

  private use(camera: CameraEndpoints): void {
    this.current = camera;
    this.needsEndpoints = false;
    this.lastState = camera.state;
    this.opts.log(
      `camera ${camera.peerId} (generation ${camera.generation}): video ${camera.video.codec} → ` +
        `${camera.video.ip}:${camera.video.port}` +
        (camera.audio ? `, audio opus → ${camera.audio.ip}:${camera.audio.port}` : ''),
    );
    this.opts.sender.send(camera);
  }

  private interval(): number {
    const lease = (this.current?.leaseMs ?? 30_000) / 3;
    const steady = Math.min(this.opts.pollMs, lease);
    return this.lastState === 'receiving' && !this.needsEndpoints ? steady : Math.min(steady, FAST_POLL_MS);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
