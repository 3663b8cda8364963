// The viewer's ECG model. The wire format is the bridge's compact binary (documented in
// pacs-bridge/src/ecg/binary.ts); these header types mirror it so the viewer never imports node code
// from the bridge. binary.test.ts decodes bytes made by the bridge's own encoder, which keeps the two
// in step.

export interface EcgBinaryChannelHeader {
  lead: string;
  label: string;
  units: string;
  scale: number;
  baseline: number;
  offset: number;
}

export interface EcgBinaryGroupHeader {
  label?: string;
  originality: 'ORIGINAL' | 'DERIVED';
  samplingFrequency: number;
  numberOfSamples: number;
  timeOffsetMs?: number;
  sampleBytes: 2 | 4;
  paddingValue?: number;
  channels: EcgBinaryChannelHeader[];
}

export interface EcgBinaryHeader {
  format: 'telemed-ecg';
  version: 1;
  source: 'dicom' | 'hl7-aecg' | 'scp-ecg';
  sopClassUid?: string;
  sopInstanceUid?: string;
  groups: EcgBinaryGroupHeader[];
}

export interface EcgLead {
  /** Normalised lead name ('I', 'aVR', 'V1' …) or the source label for other channels. */
  lead: string;
  label: string;
  units: string;
  /** Values in `units` (µV for ECG leads); NaN where the source had padding. */
  values: Float32Array;
}

export interface EcgWaveGroup {
  label?: string;
  originality: 'ORIGINAL' | 'DERIVED';
  samplingFrequency: number;
  numberOfSamples: number;
  leads: EcgLead[];
}

export interface EcgWaveforms {
  source: EcgBinaryHeader['source'];
  sopInstanceUid?: string;
  groups: EcgWaveGroup[];
}

export const STANDARD_LEADS = [
  'I',
  'II',
  'III',
  'aVR',
  'aVL',
  'aVF',
  'V1',
  'V2',
  'V3',
  'V4',
  'V5',
  'V6',
] as const;

/** Multiplier from a lead's units to millivolts; undefined for non-voltage channels. */
export function toMillivolts(units: string): number | undefined {
  switch (units) {
    case 'uV':
      return 1e-3;
    case 'mV':
      return 1;
    case 'V':
      return 1e3;
    case 'nV':
      return 1e-6;
    default:
      return undefined;
  }
}
