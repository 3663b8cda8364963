// Browser decoder for the bridge's compact ECG binary (`application/vnd.telemed.ecg`, layout in
// pacs-bridge/src/ecg/binary.ts): a JSON header, then one Int16/Int32 block per channel at 4-byte
// aligned offsets, so each block is wrapped in a typed array without parsing text.
import type { EcgBinaryHeader, EcgWaveforms } from './types.js';

export const ECG_BINARY_MEDIA_TYPE = 'application/vnd.telemed.ecg';

export class EcgDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EcgDecodeError';
  }
}

function checkHeader(h: unknown): asserts h is EcgBinaryHeader {
  const header = h as Partial<EcgBinaryHeader> | null;
  if (!header || header.format !== 'telemed-ecg' || header.version !== 1 || !Array.isArray(header.groups))
    throw new EcgDecodeError('unsupported ECG message header');
}

export function decodeEcgBinary(buffer: ArrayBuffer): EcgWaveforms {
  if (buffer.byteLength < 8) throw new EcgDecodeError('ECG message too short');
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  if (String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) !== 'TECG')
    throw new EcgDecodeError('not a telemed ECG message');
  const n = view.getUint32(4, true);
  if (8 + n > buffer.byteLength) throw new EcgDecodeError('ECG header runs past the end');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new EcgDecodeError('ECG header is not JSON');
  }
  checkHeader(header);
  const dataStart = 8 + n;
  // Typed-array views need aligned offsets; the encoder aligns every block to 4, but a buffer we did
  // not allocate ourselves could start anywhere, so fall back to DataView reads when it does not.
  const aligned = dataStart % 4 === 0;
  return {
    source: header.source,
    ...(header.sopInstanceUid ? { sopInstanceUid: header.sopInstanceUid } : {}),
    groups: header.groups.map((g) => ({
      ...(g.label ? { label: g.label } : {}),
      originality: g.originality,
      samplingFrequency: g.samplingFrequency,
      numberOfSamples: g.numberOfSamples,
      leads: g.channels.map((c) => {
        const start = dataStart + c.offset;
        const count = g.numberOfSamples;
        if (start + count * g.sampleBytes > buffer.byteLength)
          throw new EcgDecodeError(`samples of lead ${c.lead} run past the end`);
        const values = new Float32Array(count);
        const pad = g.paddingValue;
        if (aligned) {
          const raw =
            g.sampleBytes === 2 ? new Int16Array(buffer, start, count) : new Int32Array(buffer, start, count);
          for (let i = 0; i < count; i++) {
            const r = raw[i]!;
            values[i] = r === pad ? NaN : r * c.scale + c.baseline;
          }
        } else {
          for (let i = 0; i < count; i++) {
            const r =
              g.sampleBytes === 2 ? view.getInt16(start + i * 2, true) : view.getInt32(start + i * 4, true);
            values[i] = r === pad ? NaN : r * c.scale + c.baseline;
          }
        }
        return { lead: c.lead, label: c.label, units: c.units, values };
      }),
    })),
  };
}
