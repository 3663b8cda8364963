// The UDP ports ffmpeg sends from. A comedia plain transport locks onto the first source address
// and port it hears; an ffmpeg left to pick its own ports gets new ones on every restart and is
// locked out until the stall watchdog renews the endpoints (≈ 7 s without video). So the CLI picks
// them once and passes them to every ffmpeg it starts: a restarted ffmpeg keeps the tuple.
import { createSocket, type Socket } from 'node:dgram';

export interface RtpSourcePorts {
  rtp: number;
  rtcp: number;
}

export interface SourcePorts {
  video: RtpSourcePorts;
  audio: RtpSourcePorts;
}

function bindEphemeral(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    // 0.0.0.0 as ffmpeg binds it (no localaddr): free there means free for ffmpeg.
    socket.bind(0, '0.0.0.0', () => resolve(socket));
  });
}

/**
 * `count` distinct UDP ports that are free now: all held at once while the kernel picks them (so
 * none repeats), then released for ffmpeg. Another program may still take one in between; ffmpeg
 * then fails to bind (see `isBindFailure` in ffmpeg-supervisor.ts) and the CLI probes again.
 */
export async function probeUdpPorts(count: number): Promise<number[]> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < count; i++) sockets.push(await bindEphemeral());
    return sockets.map((s) => s.address().port);
  } finally {
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** RTP and RTCP source ports for video and audio (audio's stay unused without an audio stream). */
export async function probeSourcePorts(): Promise<SourcePorts> {
  const [videoRtp, videoRtcp, audioRtp, audioRtcp] = await probeUdpPorts(4);
  return {
    video: { rtp: videoRtp!, rtcp: videoRtcp! },
    audio: { rtp: audioRtp!, rtcp: audioRtcp! },
  };
}
