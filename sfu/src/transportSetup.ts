// How a peer's transports are configured, and what is logged about their connectivity.
import type { types } from 'mediasoup';
import type { MediaKind, MediaSource, ProducerDescriptor, SfuConfig } from './api.js';
import { badRequest } from './errors.js';
import type { ProducerEntry } from './internal.js';
import type { Logger } from './logger.js';
import type { PoolWorker } from './WorkerPool.js';

export type Direction = 'send' | 'recv';

export interface PlainTransportOptions {
  /** Local IP to bind (default: the SFU's listen IP, with its announced address). */
  listenIp?: string;
  /** Learn the remote address from the first packet received (default: for send = ingest). */
  comedia?: boolean;
  /** RTP and RTCP on one port (default true). */
  rtcpMux?: boolean;
}

/** WebRTC through the worker's WebRtcServer (one port per worker), UDP preferred, TCP as fallback. */
export function webRtcTransportOptions(
  config: SfuConfig,
  worker: PoolWorker,
  opts: { direction: Direction; forceTcp?: boolean; peerId: string },
): types.WebRtcTransportOptions {
  return {
    webRtcServer: worker.webRtcServer,
    enableUdp: !opts.forceTcp,
    enableTcp: true,
    preferUdp: !opts.forceTcp,
    initialAvailableOutgoingBitrate: config.initialAvailableOutgoingBitrate,
    appData: { peerId: opts.peerId, direction: opts.direction },
  };
}

/** Plain RTP on a port from the range after the workers' own ports (rtcMinPort + numWorkers …). */
export function plainTransportOptions(
  config: SfuConfig,
  opts: PlainTransportOptions & { direction: Direction; peerId: string },
): types.PlainTransportOptions {
  const first = config.rtcMinPort + config.numWorkers;
  const announce = opts.listenIp === undefined && config.announcedAddress;
  return {
    listenInfo: {
      protocol: 'udp',
      ip: opts.listenIp ?? config.listenIp,
      ...(announce ? { announcedAddress: config.announcedAddress } : {}),
      ...(first <= config.rtcMaxPort ? { portRange: { min: first, max: config.rtcMaxPort } } : {}),
    },
    comedia: opts.comedia ?? opts.direction === 'send',
    rtcpMux: opts.rtcpMux ?? true,
    appData: { peerId: opts.peerId, direction: opts.direction },
  };
}

/** Logs ICE connected/disconnected and DTLS connected/failed (ids and states only, no addresses). */
export function logConnectivity(transport: types.WebRtcTransport, log: Logger): void {
  transport.on('icestatechange', (state) => {
    if (state === 'connected' || state === 'completed') log.info({ iceState: state }, 'ICE connected');
    else if (state === 'disconnected') log.warn({ iceState: state }, 'ICE disconnected');
  });
  transport.on('iceselectedtuplechange', (tuple) =>
    log.debug({ protocol: tuple.protocol }, 'ICE selected tuple'),
  );
  transport.on('dtlsstatechange', (state) => {
    if (state === 'connected') log.info({ dtlsState: state }, 'DTLS connected');
    else if (state === 'failed') log.warn({ dtlsState: state }, 'DTLS failed');
  });
}

/** mic carries audio, camera video, screen either; throws BAD_REQUEST otherwise. */
export function checkSourceKind(kind: MediaKind, source: MediaSource): void {
  if (kind !== 'audio' && kind !== 'video') throw badRequest('kind must be audio or video');
  const ok =
    (source === 'mic' && kind === 'audio') ||
    (source === 'camera' && kind === 'video') ||
    source === 'screen';
  if (!ok) throw badRequest(`source ${String(source)} cannot carry ${kind}`);
}

export function describeProducer({ producer, peerId, source }: ProducerEntry): ProducerDescriptor {
  return { producerId: producer.id, peerId, kind: producer.kind, source, paused: producer.paused };
}
