// Plain (unencrypted) RTP in and out of a room: an RTP stream from ffmpeg or an ambulance camera
// becomes a producer like any browser's, and a producer can be sent to a UDP address (recorders,
// benchmarks). Both belong to a PeerMedia of the room, so they close with it and on relocation.
import type { types } from 'mediasoup';
import type { MediaKind, MediaSource, PeerMedia, RoomMedia } from './api.js';
import { PeerMediaImpl } from './PeerMedia.js';
import { RoomMediaImpl } from './RoomMedia.js';

export interface PlainProducerOptions {
  /** Peer id the producer is announced under (ignored when `peer` is given). */
  peerId?: string;
  /** An existing PeerMedia of this room to add the producer to (else a new one is created). */
  peer?: PeerMedia;
  kind: MediaKind;
  source: MediaSource;
  /** What the sender sends: codec (payload type) and encodings (SSRC); see `plainRtpParameters`. */
  rtpParameters: unknown;
  /** Local IP to bind (default: the SFU's listen IP, announced as its announced address). */
  listenIp?: string;
  /** RTP and RTCP on one port (default true). With false, send RTCP to `rtcpPort`. */
  rtcpMux?: boolean;
}

export interface PlainProducer {
  readonly peer: PeerMedia;
  readonly transportId: string;
  readonly producerId: string;
  /** Where the sender must send RTP (the transport learns the sender's address from its first packet). */
  readonly ip: string;
  readonly port: number;
  readonly rtcpPort?: number;
  /** Closes the transport and so the producer (the peer stays). */
  close(): void;
}

export interface PlainConsumerOptions {
  peerId?: string;
  /** Many plain consumers may share one PeerMedia (they each get their own transport). */
  peer?: PeerMedia;
  producerId: string;
  /** Where to send RTP (and RTCP, to the same port unless `rtcpMux` is false). */
  ip: string;
  port: number;
  rtcpPort?: number;
  /** Receiver capabilities (default: the router's, i.e. any codec the room has). */
  rtpCapabilities?: unknown;
  listenIp?: string;
  rtcpMux?: boolean;
  /** Leave the consumer paused (default: resumed, RTP flows at once). */
  paused?: boolean;
}

export interface PlainConsumer {
  readonly peer: PeerMedia;
  readonly transportId: string;
  readonly consumerId: string;
  readonly rtpParameters: types.RtpParameters;
  /** SSRC and payload type of the RTP that arrives at `ip:port`. */
  readonly ssrc: number;
  readonly payloadType: number;
  close(): void;
}

/** A producer fed by plain RTP (comedia: the sender's address is learnt from its first packet). */
export async function createPlainProducer(
  room: RoomMedia,
  opts: PlainProducerOptions,
): Promise<PlainProducer> {
  const peer = peerFor(room, opts.peer, opts.peerId);
  const transport = await peer.createPlainTransport('send', {
    comedia: true,
    rtcpMux: opts.rtcpMux ?? true,
    ...(opts.listenIp !== undefined ? { listenIp: opts.listenIp } : {}),
  });
  try {
    const produced = await peer.produce({
      transportId: transport.id,
      kind: opts.kind,
      source: opts.source,
      rtpParameters: opts.rtpParameters,
    });
    return {
      peer,
      transportId: transport.id,
      producerId: produced.producerId,
      ip: transport.tuple.localAddress,
      port: transport.tuple.localPort,
      ...(transport.rtcpTuple ? { rtcpPort: transport.rtcpTuple.localPort } : {}),
      close: () => transport.close(),
    };
  } catch (err) {
    transport.close();
    throw err;
  }
}

/** A consumer of `producerId` that sends plain RTP to `ip:port`. */
export async function createPlainConsumer(
  room: RoomMedia,
  opts: PlainConsumerOptions,
): Promise<PlainConsumer> {
  const peer = peerFor(room, opts.peer, opts.peerId);
  const rtcpMux = opts.rtcpMux ?? true;
  const transport = await peer.createPlainTransport('recv', {
    comedia: false,
    rtcpMux,
    ...(opts.listenIp !== undefined ? { listenIp: opts.listenIp } : {}),
  });
  try {
    await transport.connect({
      ip: opts.ip,
      port: opts.port,
      ...(!rtcpMux ? { rtcpPort: opts.rtcpPort ?? opts.port + 1 } : {}),
    });
    const consumed = await peer.consume({
      transportId: transport.id,
      producerId: opts.producerId,
      rtpCapabilities: opts.rtpCapabilities ?? room.rtpCapabilities,
    });
    if (!opts.paused) await peer.resumeConsumer(consumed.consumerId);
    const rtpParameters = consumed.rtpParameters as types.RtpParameters;
    return {
      peer,
      transportId: transport.id,
      consumerId: consumed.consumerId,
      rtpParameters,
      ssrc: rtpParameters.encodings?.[0]?.ssrc ?? 0,
      payloadType: rtpParameters.codecs[0]?.payloadType ?? 0,
      close: () => transport.close(),
    };
  } catch (err) {
    transport.close();
    throw err;
  }
}

/** rtpParameters for a single-stream plain RTP sender (e.g. `ffmpeg -f rtp -payload_type P -ssrc S`). */
export function plainRtpParameters(opts: {
  mimeType: string;
  payloadType: number;
  ssrc: number;
  clockRate?: number;
  channels?: number;
}): types.RtpParameters {
  const audio = opts.mimeType.toLowerCase().startsWith('audio/');
  const channels = opts.channels ?? (opts.mimeType.toLowerCase() === 'audio/opus' ? 2 : undefined);
  return {
    codecs: [
      {
        mimeType: opts.mimeType,
        payloadType: opts.payloadType,
        clockRate: opts.clockRate ?? (audio ? 48000 : 90000),
        ...(channels !== undefined ? { channels } : {}),
      },
    ],
    encodings: [{ ssrc: opts.ssrc }],
  };
}

function peerFor(room: RoomMedia, peer: PeerMedia | undefined, peerId: string | undefined): PeerMediaImpl {
  if (!(room instanceof RoomMediaImpl)) throw new TypeError('room must come from this SFU (createSfu)');
  if (peer) {
    if (!(peer instanceof PeerMediaImpl)) throw new TypeError('peer must come from room.createPeer()');
    return peer;
  }
  if (!peerId) throw new TypeError('peerId or peer is required');
  return room.createPeer(peerId);
}
