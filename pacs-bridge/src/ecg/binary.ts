// Compact binary form of an EcgRecording for the viewer (`Accept: application/octet-stream` or
// `application/vnd.telemed.ecg`): a 12-lead, 10 s, 500 Hz ECG is ~120 kB instead of ~700 kB of
// JSON, and the browser wraps the sample blocks in typed arrays without parsing.
//
// Layout (all integers little-endian):
//   0   4 bytes  magic "TECG"
//   4   uint32   N = byte length of the JSON header
//   8   N bytes  JSON header, UTF-8, space-padded so the first sample block starts at a multiple of 4
//   …   sample blocks, one per channel, each starting at a multiple of 4 (zero-padded after):
//        numberOfSamples × Int16 (group.sampleBytes 2) or Int32 (sampleBytes 4)
// JSON header:
//   { format: "telemed-ecg", version: 1, source, sopClassUid?, sopInstanceUid?,
//     groups: [{ label?, originality, samplingFrequency, numberOfSamples, timeOffsetMs?,
//                sampleBytes: 2|4, paddingValue?,
//                channels: [{ lead, label, units, scale, baseline, offset }] }] }
//   value in `units` (µV for ECG leads) = raw × scale + baseline; raw === paddingValue means no
//   sample; `offset` is the channel block's byte offset from the first sample block (8 + N).
import type { EcgGroup, EcgRecording } from './model.js';

import {
  ECG_BINARY_MAGIC,
  ECG_BINARY_MEDIA_TYPE,
  type BinaryChannelHeader,
  type BinaryGroupHeader,
  type BinaryHeader,
} from './wire.js';

export {
  ECG_BINARY_MAGIC,
  ECG_BINARY_MEDIA_TYPE,
  type BinaryChannelHeader,
  type BinaryGroupHeader,
  type BinaryHeader,
};

const align4 = (n: number): number => (n + 3) & ~3;

function sampleBytesOf(g: EcgGroup): 2 | 4 {
  for (const c of g.channels) for (const v of c.raw) if (v < -32768 || v > 32767) return 4;
  return 2;
}

export function encodeEcgBinary(recording: EcgRecording): Buffer {
  const widths = recording.groups.map(sampleBytesOf);
  const header: BinaryHeader = {
    format: 'telemed-ecg',
    version: 1,
    source: recording.source,
    ...(recording.sopClassUid ? { sopClassUid: recording.sopClassUid } : {}),
    ...(recording.sopInstanceUid ? { sopInstanceUid: recording.sopInstanceUid } : {}),
    groups: recording.groups.map((g, i) => ({
      ...(g.label ? { label: g.label } : {}),
      originality: g.originality,
      samplingFrequency: g.samplingFrequency,
      numberOfSamples: g.numberOfSamples,
      ...(g.timeOffsetMs !== undefined ? { timeOffsetMs: g.timeOffsetMs } : {}),
      sampleBytes: widths[i]!,
      ...(g.paddingValue !== undefined ? { paddingValue: g.paddingValue } : {}),
      channels: g.channels.map((c) => ({
        lead: c.lead,
        label: c.label,
        units: c.units,
        scale: c.sensitivity * c.sensitivityCorrection,
        baseline: c.baseline,
        offset: 0, // filled in below
      })),
    })),
  };
  let offset = 0;
  for (const g of header.groups) {
    for (const c of g.channels) {
      c.offset = offset;
      offset += align4(g.numberOfSamples * g.sampleBytes);
    }
  }
  const json = JSON.stringify(header);
  const jsonBytes = Buffer.from(json, 'utf8');
  const dataStart = align4(8 + jsonBytes.byteLength);
  const total = dataStart + offset;
  const out = Buffer.alloc(total); // zero-filled: padding bytes are 0
  out.write(ECG_BINARY_MAGIC, 0, 'latin1');
  out.writeUInt32LE(dataStart - 8, 4);
  jsonBytes.copy(out, 8);
  out.fill(0x20, 8 + jsonBytes.byteLength, dataStart); // JSON allows trailing spaces
  recording.groups.forEach((g, gi) => {
    const gh = header.groups[gi]!;
    g.channels.forEach((c, ci) => {
      let o = dataStart + gh.channels[ci]!.offset;
      // writeInt*LE returns the offset just past what it wrote.
      if (gh.sampleBytes === 2) for (const v of c.raw) o = out.writeInt16LE(v, o);
      else for (const v of c.raw) o = out.writeInt32LE(v, o);
    });
  });
  return out;
}

export interface DecodedBinary {
  header: BinaryHeader;
  /** Per group, per channel: values in the channel's units, NaN for padding. */
  values: Float64Array[][];
}

/** Decoder for the format above (used by tests; the viewer does the same with typed arrays). */
export function decodeEcgBinary(bytes: Uint8Array): DecodedBinary {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 8 || buf.toString('latin1', 0, 4) !== ECG_BINARY_MAGIC)
    throw new Error('not a telemed ECG message');
  const n = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + n)) as BinaryHeader;
  const dataStart = 8 + n;
  const values = header.groups.map((g) =>
    g.channels.map((c) => {
      const out = new Float64Array(g.numberOfSamples);
      for (let i = 0; i < g.numberOfSamples; i++) {
        const at = dataStart + c.offset;
        const raw = g.sampleBytes === 2 ? buf.readInt16LE(at + i * 2) : buf.readInt32LE(at + i * 4);
        out[i] = raw === g.paddingValue ? NaN : raw * c.scale + c.baseline;
      }
      return out;
    }),
  );
  return { header, values };
}
