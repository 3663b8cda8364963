// The viewer's ECG model. The wire format is the bridge's compact binary (documented in
// pacs-bridge/src/ecg/binary.ts); its header types and the lead order come from the bridge's browser-safe
// `ecg-wire` module, never from its Node code. binary.test.ts decodes bytes made by the bridge's own
// encoder, which keeps the decoder in step.
import type { BinaryHeader as EcgBinaryHeader } from '@telemed/pacs-bridge/ecg-wire';

export type {
  BinaryChannelHeader as EcgBinaryChannelHeader,
  BinaryGroupHeader as EcgBinaryGroupHeader,
  BinaryHeader as EcgBinaryHeader,
} from '@telemed/pacs-bridge/ecg-wire';
export { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';

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
