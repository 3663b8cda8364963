// PhysioNet WFDB records (header .hea + signal files .dat): the format of MIT-BIH, PTB and most
// public ECG databases, played by the ambulance simulator. Only what ECG records use: single-segment
// records, formats 212 (two 12-bit samples in 3 bytes) and 16 (16-bit little-endian), several signal
// files per record. Spec: https://physionet.org/physiotools/wag/header-5.htm and signal-5.htm.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { normaliseLead } from './leads.js';

export interface WfdbSignalSpec {
  /** Signal file name, relative to the header. */
  fileName: string;
  format: 212 | 16;
  /** ADC units per physical unit (WFDB: 0 or absent means 200). */
  gain: number;
  /** ADC value of physical zero (defaults to adcZero). */
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  /** The first sample's ADC value, if the header gives it (a cheap check of the decoding). */
  initialValue: number | undefined;
  /** Sum of all samples, modulo 2^16 as a signed 16-bit value, if the header gives it. */
  checksum: number | undefined;
  /** The header's description (the lead name for ECG records). */
  description: string;
  /** The description as a normalised lead name ('avr' → 'aVR', 'i' → 'I'); `S<n>` if it has none. */
  lead: string;
}

export interface WfdbHeader {
  recordName: string;
  samplingFrequency: number;
  /** Samples per signal (0 if the header does not say). */
  numberOfSamples: number;
  signals: WfdbSignalSpec[];
  /** Header comment lines without the leading '#' (PTB keeps the patient's history there). */
  comments: string[];
}

export class WfdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WfdbError';
  }
}

/** Parses a .hea header (single-segment records only). */
export function parseWfdbHeader(text: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) comments.push(line.slice(1).trim());
    else if (line !== '') lines.push(line);
  }
  const record = lines.shift()?.split(/\s+/);
  if (!record || record.length < 2) throw new WfdbError('header has no record line');
  const [name, nsigText, fsText, nsampText] = record as [string, string, string?, string?];
  if (name.includes('/')) throw new WfdbError('multi-segment records are not supported');
  const nsig = Number(nsigText);
  if (!Number.isInteger(nsig) || nsig < 1) throw new WfdbError(`bad signal count "${nsigText}"`);
  // "360", "360/1", "360/1(0)": the frame rate is the part before any '/' or '('.
  const fs = fsText === undefined ? 250 : Number(/^[\d.]+/.exec(fsText)?.[0]);
  if (!(fs > 0)) throw new WfdbError(`bad sampling frequency "${fsText}"`);
  const numberOfSamples = nsampText === undefined ? 0 : Number(nsampText);
  if (lines.length < nsig) throw new WfdbError(`header names ${nsig} signals but has ${lines.length} lines`);
  const signals = lines.slice(0, nsig).map((line, i) => parseSignalLine(line, i));
  return { recordName: name, samplingFrequency: fs, numberOfSamples, signals, comments };
}

function parseSignalLine(line: string, index: number): WfdbSignalSpec {
  const f = line.split(/\s+/);
  const fileName = f[0]!;
  // Format may carry samples-per-frame, skew and offset: "212x2:1+0" — none of which ECG records use.
  const fmtMatch = /^(\d+)(.*)$/.exec(f[1] ?? '');
  const format = Number(fmtMatch?.[1]);
  if (format !== 212 && format !== 16)
    throw new WfdbError(`signal format ${f[1]} is not supported (212, 16)`);
  if (fmtMatch?.[2]) throw new WfdbError(`signal format modifiers "${fmtMatch[2]}" are not supported`);
  // "200", "200(1024)", "200/mV", "200(1024)/mV".
  const gainMatch = /^([-\d.eE+]+)(?:\((-?\d+)\))?(?:\/(\S+))?$/.exec(f[2] ?? '');
  const gainValue = gainMatch ? Number(gainMatch[1]) : 0;
  const adcResolution = f[3] !== undefined ? Number(f[3]) : format === 212 ? 12 : 16;
  const adcZero = f[4] !== undefined ? Number(f[4]) : 0;
  const description = f.slice(8).join(' ');
  return {
    fileName,
    format,
    gain: gainValue === 0 || !Number.isFinite(gainValue) ? 200 : gainValue,
    baseline: gainMatch?.[2] !== undefined ? Number(gainMatch[2]) : adcZero,
    units: gainMatch?.[3] ?? 'mV',
    adcResolution,
    adcZero,
    initialValue: f[5] !== undefined ? Number(f[5]) : undefined,
    checksum: f[6] !== undefined ? Number(f[6]) : undefined,
    description,
    // A signal without a description still needs a distinct name on the wire.
    lead: description ? normaliseLead(undefined, description) : `S${index + 1}`,
  };
}

/**
 * ADC values of the signals stored in one file, de-interleaved: one Int16Array per signal, in the
 * order the header lists them for this file.
 */
export function decodeWfdbSignals(bytes: Uint8Array, format: 212 | 16, nsig: number): Int16Array[] {
  if (format === 16) {
    const frames = Math.floor(bytes.length / (2 * nsig));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = Array.from({ length: nsig }, () => new Int16Array(frames));
    for (let i = 0; i < frames; i++)
      for (let s = 0; s < nsig; s++) out[s]![i] = view.getInt16((i * nsig + s) * 2, true);
    return out;
  }
  // 212: consecutive samples (frame after frame, signal after signal) in pairs of 3 bytes: the first
  // is byte 0 plus the low nibble of byte 1 as its top bits, the second byte 2 plus the high nibble.
  const total = Math.floor((bytes.length * 2) / 3);
  const frames = Math.floor(total / nsig);
  const out = Array.from({ length: nsig }, () => new Int16Array(frames));
  const sext12 = (v: number) => (v & 0x800 ? v - 0x1000 : v);
  for (let k = 0; k < frames * nsig; k++) {
    const b = Math.floor(k / 2) * 3;
    const v =
      k % 2 === 0 ? bytes[b]! | ((bytes[b + 1]! & 0x0f) << 8) : bytes[b + 2]! | ((bytes[b + 1]! & 0xf0) << 4);
    out[k % nsig]![Math.floor(k / nsig)] = sext12(v);
  }
  return out;
}

/** WFDB checksum: the sum of the samples, kept to 16 bits and read as signed. */
export function wfdbChecksum(adc: Int16Array): number {
  let sum = 0;
  for (const v of adc) sum = (sum + v) & 0xffff;
  return sum & 0x8000 ? sum - 0x10000 : sum;
}

export interface WfdbRecord {
  header: WfdbHeader;
  /** ADC values per signal, in header order. */
  adc: Int16Array[];
}

/** Reads a record from its header path (the signal files beside it). Checks the header's checksums. */
export async function readWfdbRecord(headerPath: string): Promise<WfdbRecord> {
  const header = parseWfdbHeader(await readFile(headerPath, 'latin1'));
  const adc: Int16Array[] = new Array<Int16Array>(header.signals.length);
  const files = [...new Set(header.signals.map((s) => s.fileName))];
  for (const file of files) {
    const indices = header.signals.flatMap((s, i) => (s.fileName === file ? [i] : []));
    const format = header.signals[indices[0]!]!.format;
    if (indices.some((i) => header.signals[i]!.format !== format))
      throw new WfdbError(`signals of ${file} mix formats`);
    const bytes = await readFile(join(dirname(headerPath), file));
    const decoded = decodeWfdbSignals(bytes, format, indices.length);
    indices.forEach((sigIndex, k) => {
      const n = header.numberOfSamples || decoded[k]!.length;
      adc[sigIndex] = decoded[k]!.subarray(0, n);
    });
  }
  header.signals.forEach((s, i) => {
    if (s.checksum !== undefined && header.numberOfSamples && wfdbChecksum(adc[i]!) !== s.checksum)
      throw new WfdbError(`checksum mismatch on signal ${i} (${s.description}): file damaged or misread`);
  });
  return { header, adc };
}

/** Physical value of one ADC sample in µV (the signal's units are mV for every ECG database). */
export function adcToMicrovolts(spec: WfdbSignalSpec, adc: number): number {
  const scale = /^uV$/i.test(spec.units) ? 1 : /^V$/.test(spec.units) ? 1e6 : 1000;
  return ((adc - spec.baseline) / spec.gain) * scale;
}

/**
 * One signal as Int16 at `microvoltsPerUnit` µV per unit (rounded, clipped to the Int16 range), so a
 * record of any gain becomes the wire format of the telemetry ECG chunks.
 */
export function signalToMicrovoltUnits(
  spec: WfdbSignalSpec,
  adc: Int16Array,
  microvoltsPerUnit = 1,
): Int16Array {
  const out = new Int16Array(adc.length);
  for (let i = 0; i < adc.length; i++) {
    const v = Math.round(adcToMicrovolts(spec, adc[i]!) / microvoltsPerUnit);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
