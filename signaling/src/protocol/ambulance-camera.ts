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

/** Answer of POST …/camera and GET …/camera/:peerId. */
export interface CameraEndpoints {
  /** The camera's participant id in the room. */
  peerId: string;
  runId: string;
  roomId: string;
  label: string;
  /** Bumped whenever the endpoints change (room media moved): restart the sender with the new ones. */
  generation: number;
  video: RtpEndpoint;
  audio?: RtpEndpoint;
  /** Poll at least this often, or the camera is stopped as abandoned. */
  leaseMs: number;
}
