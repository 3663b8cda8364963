import { z } from 'zod';

// mediasoup's parameter objects are validated structurally at the edge (shape, sizes) and then
// handed to mediasoup, which checks their semantics and rejects what it cannot use.
const id = z.string().min(1).max(128);
const smallRecord = z.record(z.string().max(64), z.unknown()).refine((r) => Object.keys(r).length <= 64, {
  message: 'too many keys',
});

export const RtpCodecCapabilitySchema = z.looseObject({
  kind: z.enum(['audio', 'video']),
  mimeType: z.string().max(64),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().max(16).optional(),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  parameters: smallRecord.optional(),
  rtcpFeedback: z
    .array(z.looseObject({ type: z.string().max(32), parameter: z.string().max(32).optional() }))
    .max(32)
    .optional(),
});

export const RtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(RtpCodecCapabilitySchema).max(128).optional(),
  headerExtensions: z.array(z.looseObject({})).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const RtpParametersSchema = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(z.looseObject({ mimeType: z.string().max(64), payloadType: z.number().int() }))
    .min(1)
    .max(32),
  headerExtensions: z.array(z.looseObject({})).max(32).optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const DtlsParametersSchema = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.object({ algorithm: z.string().max(16), value: z.string().max(256) }))
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

export const MediaSources = ['mic', 'camera', 'screen'] as const;
export const MediaSourceSchema = z.enum(MediaSources);
export type MediaSource = z.infer<typeof MediaSourceSchema>;

export const MediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKindSchema>;

export const IdSchema = id;

/** What a client needs to build a mediasoup-client transport. */
export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  sctpParameters?: unknown;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
