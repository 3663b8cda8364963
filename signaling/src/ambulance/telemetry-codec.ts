// Samples as stored: seq and t in their own columns, the rest as JSON, and an ECG chunk's samples as
// raw bytes (a third smaller than base64, and readable without decoding for the handover's DICOM).
import {
  EventSampleSchema,
  type EcgChunk,
  type TelemetrySamples,
  type TelemetryStream,
} from '../protocol/index.js';
import { canonicalJson } from '../protocol/canonical-json.js';

export interface SampleRow {
  seq: number;
  t: number;
  sample: string;
  data: Buffer | null;
}

export function encodeSample<S extends TelemetryStream>(
  stream: S,
  item: TelemetrySamples[S],
): Omit<SampleRow, 'seq'> & { seq: number } {
  const { seq, t, ...rest } = item as TelemetrySamples[S] & { data?: string };
  if (stream === 'ecg') {
    const { data, ...header } = rest;
    return { seq, t, sample: JSON.stringify(header), data: Buffer.from(data ?? '', 'base64') };
  }
  return { seq, t, sample: JSON.stringify(rest), data: null };
}

export function decodeSample<S extends TelemetryStream>(stream: S, row: SampleRow): TelemetrySamples[S] {
  const sample = { seq: row.seq, t: row.t, ...(JSON.parse(row.sample) as object) } as Record<string, unknown>;
  if (stream === 'ecg') sample.data = (row.data ?? Buffer.alloc(0)).toString('base64');
  return sample as unknown as TelemetrySamples[S];
}

/** An ECG chunk with its samples as bytes (int16 LE, lead after lead). */
export type StoredEcgChunk = Omit<EcgChunk, 'data'> & { data: Buffer };

export function decodeEcgRow(row: SampleRow): StoredEcgChunk {
  const header = JSON.parse(row.sample) as Omit<EcgChunk, 'seq' | 't' | 'data'>;
  return { seq: row.seq, t: row.t, ...header, data: row.data ?? Buffer.alloc(0) };
}

/**
 * The sample as the schema parses it, which is what is stored. The push schema only validates (its
 * items stay as sent); of the sample schemas only the event's trims (its text), so only events are
 * parsed again — the ECG chunks that make up the bulk of the traffic are not validated twice.
 */
export function normalizeSample<S extends TelemetryStream>(
  stream: S,
  item: TelemetrySamples[S],
): TelemetrySamples[S] {
  return stream === 'event' ? (EventSampleSchema.parse(item) as TelemetrySamples[S]) : item;
}

/**
 * Whether `item` (normalized) is the sample stored in `row`: same fields compared with sorted keys (an
 * absent field equals an undefined one, as JSON has no undefined) and, for ECG, the same bytes. The
 * stored side is normalized too, so an event stored untrimmed before the server trimmed still
 * matches its resend.
 */
export function sameSample<S extends TelemetryStream>(
  stream: S,
  item: TelemetrySamples[S],
  row: SampleRow,
): boolean {
  if (stream !== 'ecg')
    return canonicalJson(item) === canonicalJson(normalizeSample(stream, decodeSample(stream, row)));
  const encoded = encodeSample(stream, item);
  return (
    encoded.t === row.t &&
    (row.data ?? Buffer.alloc(0)).equals(encoded.data ?? Buffer.alloc(0)) &&
    canonicalJson(JSON.parse(encoded.sample)) === canonicalJson(JSON.parse(row.sample))
  );
}
