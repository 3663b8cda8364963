// The one waveform model every ECG source (DICOM waveform objects, HL7 aECG, SCP-ECG) is read into
// and the API serves. Waveform values are kept twice on purpose: `raw` as the integers the source
// stored (what the compact binary ships, and what a DICOM writer stores back without rounding), and
// `samples` in physical units (µV for every voltage channel) for anyone who just wants to draw.
//
// Patient and acquisition metadata are deliberately NOT part of EcgRecording: the recording is what
// the HTTP API returns and what may end up in a debug log; the identifying data travel beside it in
// `EcgSubject`, wrapped so that logging or JSON-serialising it by accident yields "[redacted]".
import { inspect } from 'node:util';

import type { EcgSourceFormat, StandardLead } from './wire.js';
export { STANDARD_LEADS, type EcgSourceFormat, type StandardLead } from './wire.js';

/** WaveformSampleInterpretation (PS3.3 C.10.9.1.5) of the source data. */
export type SampleInterpretation = 'SB' | 'UB' | 'MB' | 'AB' | 'SS' | 'US' | 'SL' | 'UL';

export interface CodedConcept {
  value: string;
  scheme: string;
  meaning?: string;
}

export interface EcgChannel {
  /** Normalised lead name ('I', 'aVR', 'V1', 'V7', 'X' …), or the source label for non-ECG channels. */
  lead: StandardLead | string;
  /** The label as the source gave it (code meaning, MDC reference id, …). */
  label: string;
  /** Channel source code (MDC / SCPECG) when the source had one. */
  source?: CodedConcept;
  /** UCUM units of `samples`: 'uV' for every voltage channel, otherwise as in the source (e.g. 'mm[Hg]'). */
  units: string;
  /** Units (above) per raw step, correction factor not included. */
  sensitivity: number;
  /** ChannelSensitivityCorrectionFactor: calibrated value = raw × sensitivity × correction + baseline. */
  sensitivityCorrection: number;
  /** Offset added after scaling, in `units`. */
  baseline: number;
  filterLowHz?: number;
  filterHighHz?: number;
  notchHz?: number;
  /** Stored integers, one per sample; padding samples keep the padding value here. */
  raw: Int32Array;
  /** Physical values in `units`; NaN where the source had its padding value. */
  samples: Float32Array;
}

/** One multiplex group: channels sampled together at one frequency (DICOM Waveform Sequence item). */
export interface EcgGroup {
  /** MultiplexGroupLabel, e.g. 'RHYTHM' or 'MEDIAN BEAT'. */
  label?: string;
  /** ORIGINAL for acquired signals, DERIVED for computed ones (e.g. representative beats). */
  originality: 'ORIGINAL' | 'DERIVED';
  /** Hz. */
  samplingFrequency: number;
  numberOfSamples: number;
  /** Start relative to the acquisition, in ms (MultiplexGroupTimeOffset). */
  timeOffsetMs?: number;
  bitsAllocated: 8 | 16 | 32;
  sampleInterpretation: SampleInterpretation;
  paddingValue?: number;
  /** In standard lead order: I, II, III, aVR, aVL, aVF, V1–V6, then the rest as found. */
  channels: EcgChannel[];
}

export interface EcgRecording {
  source: EcgSourceFormat;
  sopClassUid?: string;
  sopInstanceUid?: string;
  groups: EcgGroup[];
}

/** Identifying and acquisition data of the source file: used to fill DICOM attributes, never logged. */
export interface EcgSubjectData {
  patientId?: string;
  /** DICOM PN form (Family^Given). */
  patientName?: string;
  /** YYYYMMDD */
  patientBirthDate?: string;
  patientSex?: 'M' | 'F' | 'O';
  /** YYYYMMDDHHMMSS(.ffffff) */
  acquisitionDateTime?: string;
  manufacturer?: string;
  manufacturerModelName?: string;
  studyInstanceUid?: string;
  accessionNumber?: string;
  studyDescription?: string;
  institutionName?: string;
}

const REDACTED = '[redacted]';

/**
 * Holder for medical identifiers. `toJSON`, `toString` and Node's inspect all print "[redacted]",
 * so `logger.info({ subject })` or a stray `console.log` cannot leak a name; `reveal()` is the one
 * explicit way in, and greps well in review.
 */
export class EcgSubject {
  readonly #data: Readonly<EcgSubjectData>;
  constructor(data: EcgSubjectData) {
    this.#data = Object.freeze({ ...data });
  }
  reveal(): Readonly<EcgSubjectData> {
    return this.#data;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** What an importer returns: the waveforms and, separately, who they belong to. */
export interface ImportedEcg {
  recording: EcgRecording;
  subject: EcgSubject;
}

export type EcgErrorCode = 'unrecognised-format' | 'malformed' | 'unsupported' | 'no-waveform' | 'too-large';

/**
 * A problem with an ECG file, in words a clinic's IT can act on. Messages never quote patient data;
 * they name the element or section that is wrong.
 */
export class EcgError extends Error {
  readonly code: EcgErrorCode;
  constructor(code: EcgErrorCode, message: string) {
    super(message);
    this.name = 'EcgError';
    this.code = code;
  }
}
