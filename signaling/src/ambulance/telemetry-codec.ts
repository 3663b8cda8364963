// Samples as stored: seq and t in their own columns, the rest as JSON, and an ECG chunk's samples as
// raw bytes (a third smaller than base64, and readable without decoding for the handover's DICOM).
import type { EcgChunk, TelemetrySamples, TelemetryStream } from '../protocol/index.js';

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
