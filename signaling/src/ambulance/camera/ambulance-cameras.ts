// The vehicle cameras of this process, by peer id: started for an en-route run (its crew, ambulance
// users of the crew's institution, or an admin), polled by their sender (the lease), stopped by it
// or when abandoned. A camera lives where its run's live room lives (this node).
import { randomUUID } from 'node:crypto';
import {
  ProtocolError,
  type AmbulanceRun,
  type CameraEndpoints,
  type CameraStatus,
  type StartCameraBody,
  type UserInfo,
} from '../../protocol/index.js';
import type { Logger } from '../../logger.js';
import type { RoomRegistry } from '../../live/room-registry.js';
import { CameraDevice } from './camera-device.js';
import { DEFAULT_STALL_MS } from './ingest-flow.js';

/** A sender that has not polled for this long is gone (killed, lost its network for good). */
export const DEFAULT_CAMERA_LEASE_MS = 30_000;
/** Cameras one run may have at once (cabin, rear, dash…). */
export const MAX_CAMERAS_PER_RUN = 4;

/**
 * The run as this user may see it; null (or a NOT_FOUND / FORBIDDEN ProtocolError) when it does not
 * exist for them.
 */
export type RunLookup = (user: UserInfo, runId: string) => AmbulanceRun | null | Promise<AmbulanceRun | null>;

export interface AmbulanceCamerasDeps {
  registry: RoomRegistry;
  runs: RunLookup;
  logger: Logger;
  leaseMs?: number;
  /** Video silence before a camera is reported stalled (first verdict; it grows on repeats). */
  stallMs?: number;
}

/** Who may run a camera for this run: its crew, their institution's ambulance users, admins. */
export function mayOperateCamera(user: UserInfo, run: AmbulanceRun): boolean {
  if (user.role === 'admin') return true;
  if (user.id === run.crew.userId) return true;
  return user.role === 'ambulance' && user.institution.id === run.crew.institutionId;
}

export class AmbulanceCameras {
  private readonly cameras = new Map<string, CameraDevice>();
  private readonly leaseMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly deps: AmbulanceCamerasDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_CAMERA_LEASE_MS;
    this.logger = deps.logger.child({ component: 'ambulance-camera' });
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, this.leaseMs / 3));
    this.sweeper.unref();
  }

  async start(user: UserInfo, runId: string, body: StartCameraBody): Promise<CameraEndpoints> {
    const run = await this.operableRun(user, runId);
    if (run.status !== 'enroute')
      throw new ProtocolError('CONFLICT', `The run is ${run.status}; cameras run only en route`);
    const running = [...this.cameras.values()].filter((c) => c.runId === run.id).length;
    if (running >= MAX_CAMERAS_PER_RUN)
      throw new ProtocolError('CONFLICT', `At most ${MAX_CAMERAS_PER_RUN} cameras per run`);
    if (this.closed) throw new ProtocolError('INTERNAL', 'Server is shutting down');
    const room = await this.deps.registry.acquire(run.roomId);
    const label = body.label ?? `Camera ${run.callsign}`;
    const deviceUser: UserInfo = {
      id: `cam-${randomUUID()}`,
      username: 'camera',
      displayName: label,
      role: 'ambulance',
      institution: { id: run.crew.institutionId, name: run.callsign, kind: 'ambulance-service' },
    };
    if (user.institution.id === run.crew.institutionId) deviceUser.institution = user.institution;
    const device = new CameraDevice(room, deviceUser, {
      runId: run.id,
      label,
      videoCodec: body.video.codec,
      audio: body.audio,
      leaseMs: this.leaseMs,
      stallMs: this.deps.stallMs ?? DEFAULT_STALL_MS,
      logger: this.logger,
      onGone: (d) => {
        if (this.cameras.get(d.peerId) === d) this.cameras.delete(d.peerId);
      },
    });
    this.cameras.set(device.peerId, device);
    try {
      return await device.start();
    } catch (err) {
      this.cameras.delete(device.peerId);
      this.deps.registry.releaseIfEmpty(room);
      this.logger.error({ err, runId: run.id }, 'camera could not start');
      throw new ProtocolError('MEDIA_ERROR', 'The media server could not take the camera; try again');
    }
  }

  /**
   * Where the camera stands (see CameraState); renews its lease. A camera whose run is no longer en
   * route is stopped here (CONFLICT tells the sender to exit).
   */
  async get(user: UserInfo, runId: string, peerId: string): Promise<CameraStatus> {
    const device = await this.live(user, runId, peerId);
    return device.status();
  }

  /**
   * Fresh endpoints for a sender whose ffmpeg is stopped (after `awaiting-sender`, `stalled`, or a
   * restart of the sender); the previous ones close. Renews the lease.
   */
  async renew(user: UserInfo, runId: string, peerId: string): Promise<CameraEndpoints> {
    const device = await this.live(user, runId, peerId);
    return device.renew();
  }

  async stop(user: UserInfo, runId: string, peerId: string): Promise<void> {
    const run = await this.operableRun(user, runId);
    this.device(run.id, peerId).stop('stopped by its sender');
  }

  /** Cameras running (this node), for tests and metrics. */
  list(): CameraDevice[] {
    return [...this.cameras.values()];
  }

  closeAll(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const device of [...this.cameras.values()]) device.stop('server stopping');
  }

  private sweep(): void {
    const now = Date.now();
    for (const device of [...this.cameras.values()]) {
      if (now - device.lastSeen > this.leaseMs) device.stop('lease expired (sender stopped polling)');
    }
  }

  /** The camera, its lease renewed; stopped (CONFLICT) when its run is over. */
  private async live(user: UserInfo, runId: string, peerId: string): Promise<CameraDevice> {
    const run = await this.operableRun(user, runId);
    const device = this.device(run.id, peerId);
    device.lastSeen = Date.now();
    if (run.status !== 'enroute') {
      device.stop(`run ${run.status}`);
      throw new ProtocolError('CONFLICT', `The run is ${run.status}; the camera was stopped`);
    }
    return device;
  }

  private device(runId: string, peerId: string): CameraDevice {
    const device = this.cameras.get(peerId);
    if (!device || device.runId !== runId || device.gone)
      throw new ProtocolError('NOT_FOUND', 'No such camera on this run');
    return device;
  }

  private async operableRun(user: UserInfo, runId: string): Promise<AmbulanceRun> {
    const run = await this.deps.runs(user, runId);
    if (!run) throw new ProtocolError('NOT_FOUND', 'No such ambulance run');
    if (!mayOperateCamera(user, run))
      throw new ProtocolError('FORBIDDEN', "Only the run's crew (or an admin) may run its cameras");
    return run;
  }
}
