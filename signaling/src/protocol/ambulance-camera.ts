// Vehicle cameras (issue 5): an on-board encoder or ffmpeg sends plain RTP into the run's consult
// room, where it appears as one more participant ("Camera <callsign>"). The sender asks for
// endpoints, sends RTP there, and polls the camera: the poll is its lease, and it tells the sender
// when the endpoints moved (the media server's worker died and the room moved). Browser-safe.
import { z } from 'zod';

export const CAMERA_VIDEO_CODECS = ['VP8', 'H264'] as const;

/** POST /api/ambulance/runs/:id/camera */
export const StartCameraSchema = z
  .object({
    /** Shown on the tile; default "Camera <callsign>". */
    label: z.string().trim().min(1).max(60).optional(),
    video: z.object({ codec: z.enum(CAMERA_VIDEO_CODECS) }).strict(),
    /** Also an opus audio stream (cabin microphone). */
    audio: z.boolean(),
  })
  .strict();
export type StartCameraBody = z.infer<typeof StartCameraSchema>;

/** Where one RTP stream goes: RTP to ip:port, RTCP to ip:rtcpPort, with this payload type and SSRC. */
export interface RtpEndpoint {
  ip: string;
  port: number;
  rtcpPort: number;
  payloadType: number;
  ssrc: number;
  codec: 'VP8' | 'H264' | 'opus';
}

/**
 * Where the camera stands, as its sender must act on it:
 * - `awaiting-sender`: no endpoints (the room's media moved to another worker). Stop ffmpeg, wait
 *   for it to exit, then ask for endpoints (POST …/camera/:peerId/endpoints) and start it again.
 * - `starting`: endpoints handed out, no video RTP arrived yet.
 * - `receiving`: video RTP is arriving.
 * - `stalled`: no video RTP for a while (the transport locked onto another source address — an old
 *   ffmpeg, the modem before NAT rebinding — or the sender cannot reach the server). Same as
 *   `awaiting-sender`: stop ffmpeg, ask for fresh endpoints, start it again.
 * The server only ever creates plain transports when the sender asks, so a new transport never
 * learns (comedia) the address of a sender that was still running for the old one.
 */
export const CAMERA_STATES = ['awaiting-sender', 'starting', 'receiving', 'stalled'] as const;
export type CameraState = (typeof CAMERA_STATES)[number];

interface CameraBase {
  /** The camera's participant id in the room. */
  peerId: string;
  runId: string;
  roomId: string;
  label: string;
  /** Numbers the endpoints: bumped each time new ones are made. */
  generation: number;
  /** Poll at least this often, or the camera is stopped as abandoned. */
  leaseMs: number;
}

/** Answer of POST …/camera and POST …/camera/:peerId/endpoints: where to send from now on. */
export interface CameraEndpoints extends CameraBase {
  state: 'starting' | 'receiving' | 'stalled';
  video: RtpEndpoint;
  audio?: RtpEndpoint;
}

/** Answer of GET …/camera/:peerId (the sender's poll and lease). */
export type CameraStatus = CameraEndpoints | (CameraBase & { state: 'awaiting-sender' });
