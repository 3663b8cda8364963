// Types shared between RoomMedia and PeerMedia (not part of the public contract).
import type { types } from 'mediasoup';
import type { MediaSource, SfuConfig } from './api.js';
import type { Logger } from './logger.js';
import type { PoolWorker } from './WorkerPool.js';

/** One incarnation of a room's media: a router (and its active-speaker observer) on one worker. */
export interface Generation {
  readonly router: types.Router;
  readonly activeSpeaker: types.ActiveSpeakerObserver;
  readonly worker: PoolWorker;
}

export interface ProducerEntry {
  readonly peerId: string;
  readonly source: MediaSource;
  readonly producer: types.Producer;
}

/** What a PeerMedia asks of its room. */
export interface RoomHooks {
  readonly roomId: string;
  readonly config: SfuConfig;
  readonly logger: Logger;
  findProducer(producerId: string): ProducerEntry | undefined;
  producerAdded(entry: ProducerEntry): void;
  producerRemoved(producerId: string): void;
  producerPaused(producerId: string, paused: boolean): void;
  peerClosed(peer: object): void;
}
