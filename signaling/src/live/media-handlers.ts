// Media requests of a seated participant, translated to its PeerMedia. The SFU validates the
// parameters' meaning; here we check what only signalling knows (one producer per source, kind
// matching the source) and that the media did not change under a request (reset, takeover).
import type { PeerMedia } from '@telemed/sfu';
import { ProtocolError, type MediaKind, type MediaSource } from '../protocol/index.js';
import type { Peer } from './peer.js';
import type { JoinedHandlers } from './request-context.js';

const KIND_OF_SOURCE: Record<MediaSource, MediaKind> = { mic: 'audio', camera: 'video', screen: 'video' };

function mediaOf(peer: Peer): PeerMedia {
  const media = peer.media;
  if (!media || media.closed)
    throw new ProtocolError('MEDIA_ERROR', 'Media is being reset; wait for mediaReset and start again');
  return media;
}

/** After an await: the answer refers to media that was replaced meanwhile, so it is useless. */
function assertStillCurrent(peer: Peer, media: PeerMedia): void {
  if (peer.media !== media)
    throw new ProtocolError('MEDIA_ERROR', 'Media was reset during the request; start again');
}

type MediaMethod =
  | 'createTransport'
  | 'connectTransport'
  | 'restartIce'
  | 'produce'
  | 'closeProducer'
  | 'pauseProducer'
  | 'resumeProducer'
  | 'consume'
  | 'pauseConsumer'
  | 'resumeConsumer'
  | 'setConsumerPreferredLayers';

export const mediaHandlers: Pick<JoinedHandlers, MediaMethod> = {
  async createTransport({ peer }, data) {
    const media = mediaOf(peer);
    const transport = await media.createTransport({ direction: data.direction, forceTcp: data.forceTcp });
    assertStillCurrent(peer, media);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  },

  async connectTransport({ peer }, data) {
    await mediaOf(peer).connectTransport(data.transportId, data.dtlsParameters);
    return {};
  },

  async restartIce({ peer }, data) {
    return mediaOf(peer).restartIce(data.transportId);
  },

  async produce({ peer }, data) {
    if (KIND_OF_SOURCE[data.source] !== data.kind) {
      throw new ProtocolError(
        'BAD_REQUEST',
        `A ${data.source} producer must be ${KIND_OF_SOURCE[data.source]}`,
      );
    }
    const media = mediaOf(peer);
    if (media.producers().some((p) => p.source === data.source)) {
      throw new ProtocolError('CONFLICT', `Already producing ${data.source}; close it first`);
    }
    const producer = await media.produce(data);
    assertStillCurrent(peer, media);
    peer.producerOpened(producer);
    return { producerId: producer.producerId };
  },

  closeProducer({ peer }, data) {
    mediaOf(peer).closeProducer(data.producerId);
    peer.producerEnded(data.producerId);
    return {};
  },

  async pauseProducer({ peer }, data) {
    const media = mediaOf(peer);
    await media.pauseProducer(data.producerId);
    if (peer.media === media) peer.producerPauseChanged(data.producerId, true);
    return {};
  },

  async resumeProducer({ peer }, data) {
    const media = mediaOf(peer);
    await media.resumeProducer(data.producerId);
    if (peer.media === media) peer.producerPauseChanged(data.producerId, false);
    return {};
  },

  async consume({ peer }, data) {
    const media = mediaOf(peer);
    const consumer = await media.consume(data);
    assertStillCurrent(peer, media);
    return {
      consumerId: consumer.consumerId,
      producerId: consumer.producerId,
      peerId: consumer.peerId,
      kind: consumer.kind,
      source: consumer.source,
      rtpParameters: consumer.rtpParameters,
      type: consumer.type,
      producerPaused: consumer.producerPaused,
    };
  },

  async pauseConsumer({ peer }, data) {
    await mediaOf(peer).pauseConsumer(data.consumerId);
    return {};
  },

  async resumeConsumer({ peer }, data) {
    await mediaOf(peer).resumeConsumer(data.consumerId);
    return {};
  },

  async setConsumerPreferredLayers({ peer }, data) {
    await mediaOf(peer).setConsumerPreferredLayers(data.consumerId, data.spatialLayer, data.temporalLayer);
    return {};
  },
};
