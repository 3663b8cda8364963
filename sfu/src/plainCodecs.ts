// rtpParameters of a single-stream plain RTP sender, for the codecs the router offers (codecs.ts).
// mediasoup matches them against the router's capabilities, so H264 must name the packetization
// mode and a profile the router has; the sender's bitstream is not inspected.
import type { types } from 'mediasoup';
import type { PlainIngestCodec } from './api.js';
import { badRequest } from './errors.js';

const CODECS: Record<PlainIngestCodec, types.RtpCodecParameters & { kind: 'audio' | 'video' }> = {
  VP8: { kind: 'video', mimeType: 'video/VP8', payloadType: 0, clockRate: 90000 },
  H264: {
    kind: 'video',
    mimeType: 'video/H264',
    payloadType: 0,
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
  opus: { kind: 'audio', mimeType: 'audio/opus', payloadType: 0, clockRate: 48000, channels: 2 },
};

/** Dynamic payload types (RFC 3551). */
const MIN_PT = 96;
const MAX_PT = 127;

export function plainIngestRtpParameters(opts: {
  kind: 'audio' | 'video';
  codec: PlainIngestCodec;
  payloadType: number;
  ssrc: number;
}): types.RtpParameters {
  const template = CODECS[opts.codec];
  if (!template) throw badRequest(`codec must be one of ${Object.keys(CODECS).join(', ')}`);
  if (template.kind !== opts.kind) throw badRequest(`${opts.codec} cannot carry ${opts.kind}`);
  if (!Number.isInteger(opts.payloadType) || opts.payloadType < MIN_PT || opts.payloadType > MAX_PT)
    throw badRequest(`payloadType must be an integer in ${MIN_PT}..${MAX_PT}`);
  if (!Number.isInteger(opts.ssrc) || opts.ssrc < 1 || opts.ssrc > 0xffffffff)
    throw badRequest('ssrc must be a 32-bit unsigned integer > 0');
  const { kind: _kind, ...codec } = template;
  return { codecs: [{ ...codec, payloadType: opts.payloadType }], encodings: [{ ssrc: opts.ssrc }] };
}
