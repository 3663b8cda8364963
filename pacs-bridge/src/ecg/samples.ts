// Waveform Data (5400,1010) → one Int32Array per channel. The data are interleaved by sample
// (C1S1, C2S1 … CnS1, C1S2 …, PS3.3 C.10.9.1.6). dcmjs hands OW values over as stored, without
// swapping, so 16-bit data from an Explicit VR Big Endian file are read big-endian here. 8-bit µ-law (MB) and A-law (AB) are companded audio encodings (ITU-T G.711); they are
// expanded here to G.711's linear 16-bit scale so sensitivity applies to linear values.
import { EcgError, type SampleInterpretation } from './model.js';

// prettier-ignore
const WIDTH: Record<SampleInterpretation, 8 | 16 | 32> = {
  SB: 8, UB: 8, MB: 8, AB: 8, SS: 16, US: 16, SL: 32, UL: 32,
};

export function isSampleInterpretation(v: unknown): v is SampleInterpretation {
  return typeof v === 'string' && Object.hasOwn(WIDTH, v);
}

/** G.711 µ-law byte → linear sample (±32124). */
export function muLawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 0x07)) - 0x84;
  return u & 0x80 ? -magnitude || 0 : magnitude; // 0x7f is µ-law's "negative zero": return 0, not -0
}

/** G.711 A-law byte → linear sample (±32256). */
export function aLawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a >> 4) & 0x07;
  let t = (a & 0x0f) << 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

/** Reads one sample at byte offset `o`. */
function reader(view: DataView, interp: SampleInterpretation, le = true): (o: number) => number {
  switch (interp) {
    case 'SB':
      return (o) => view.getInt8(o);
    case 'UB':
      return (o) => view.getUint8(o);
    case 'MB':
      return (o) => muLawToLinear(view.getUint8(o));
    case 'AB':
      return (o) => aLawToLinear(view.getUint8(o));
    case 'SS':
      return (o) => view.getInt16(o, le);
    case 'US':
      return (o) => view.getUint16(o, le);
    case 'SL':
      return (o) => view.getInt32(o, le);
    case 'UL':
      return (o) => {
        const v = view.getUint32(o, le);
        // Int32Array holds the raw values; an ECG never needs the top bit, so refuse rather than wrap.
        if (v > 0x7fffffff) throw new EcgError('unsupported', 'UL waveform sample above 2^31-1');
        return v;
      };
  }
}

export interface Demultiplexed {
  channels: Int32Array[];
}

/**
 * Splits interleaved Waveform Data into channels. Checks the declared sizes against the bytes
 * present (an odd pad byte at the end is allowed) so a truncated file is an error, not garbage.
 */
export function demultiplex(
  data: Uint8Array,
  channelCount: number,
  sampleCount: number,
  bitsAllocated: number,
  interp: SampleInterpretation,
  littleEndian = true,
): Demultiplexed {
  const width = WIDTH[interp];
  if (bitsAllocated !== width) {
    throw new EcgError(
      'malformed',
      `WaveformBitsAllocated ${bitsAllocated} does not match WaveformSampleInterpretation ${interp} (${width} bits)`,
    );
  }
  const bytesPerSample = width / 8;
  const needed = channelCount * sampleCount * bytesPerSample;
  if (data.byteLength < needed) {
    throw new EcgError(
      'malformed',
      `WaveformData has ${data.byteLength} bytes; ${channelCount} channels × ${sampleCount} samples × ${bytesPerSample} bytes need ${needed}`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, needed);
  const read = reader(view, interp, littleEndian);
  const stride = channelCount * bytesPerSample;
  const channels: Int32Array[] = [];
  for (let c = 0; c < channelCount; c++) {
    const out = new Int32Array(sampleCount);
    for (let s = 0, o = c * bytesPerSample; s < sampleCount; s++, o += stride) out[s] = read(o);
    channels.push(out);
  }
  return { channels };
}

/**
 * WaveformPaddingValue is stored with the VR of the data (OB or OW, 1 or 2 bytes) — dcmjs gives it
 * as raw bytes, or as a number when a dictionary VR applied; either way it is read like a sample.
 */
export function paddingValue(
  value: unknown,
  interp: SampleInterpretation,
  littleEndian = true,
): number | undefined {
  if (typeof value === 'number') return value;
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  let bytes: Uint8Array | undefined;
  if (first instanceof ArrayBuffer) bytes = new Uint8Array(first);
  else if (ArrayBuffer.isView(first))
    bytes = new Uint8Array(first.buffer, first.byteOffset, first.byteLength);
  if (!bytes || bytes.byteLength < WIDTH[interp] / 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return reader(view, interp, littleEndian)(0);
}

export function widthOf(interp: SampleInterpretation): 8 | 16 | 32 {
  return WIDTH[interp];
}
