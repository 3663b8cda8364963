// @telemed/sfu: the media plane. The contract is api.ts; createSfu() is the entry point.
export * from './api.js';
export { createSfu, type CreateSfuOptions } from './Sfu.js';
export { sfuConfigFromEnv, defaultAnnouncedAddress, SFU_DEFAULTS, type HostFacts } from './config.js';
export { mediaCodecs } from './codecs.js';
export { resolveWorkerBin, telemedCacheRoot, type WorkerBinOptions } from './workerBin.js';
export { resolveFfmpeg, type FfmpegOptions } from './ffmpeg.js';
export { setSfuLogger } from './logger.js';
export {
  createPlainProducer,
  createPlainConsumer,
  plainRtpParameters,
  type PlainProducer,
  type PlainProducerOptions,
  type PlainConsumer,
  type PlainConsumerOptions,
} from './PlainIngest.js';
export {
  buildRtp,
  parseRtp,
  isRtcp,
  SeqTracker,
  type RtpHeader,
  type BuildRtpOptions,
  type SeqStats,
} from './rtp.js';
