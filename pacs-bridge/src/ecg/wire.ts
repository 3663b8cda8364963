// What the browser shares with the bridge about ECGs: the standard lead order and the compact binary
// format's header (layout documented in binary.ts). No Node imports here, so the viewer can import it
// (`@telemed/pacs-bridge/ecg-wire`) without pulling server code into its bundle.

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
export type StandardLead = (typeof STANDARD_LEADS)[number];

export type EcgSourceFormat = 'dicom' | 'hl7-aecg' | 'scp-ecg';

export const ECG_BINARY_MAGIC = 'TECG';
export const ECG_BINARY_MEDIA_TYPE = 'application/vnd.telemed.ecg';

export interface BinaryChannelHeader {
  lead: string;
  label: string;
  units: string;
  scale: number;
  baseline: number;
  offset: number;
}

export interface BinaryGroupHeader {
  label?: string;
  originality: 'ORIGINAL' | 'DERIVED';
  samplingFrequency: number;
  numberOfSamples: number;
  timeOffsetMs?: number;
  sampleBytes: 2 | 4;
  paddingValue?: number;
  channels: BinaryChannelHeader[];
}

export interface BinaryHeader {
  format: 'telemed-ecg';
  version: 1;
  source: EcgSourceFormat;
  sopClassUid?: string;
  sopInstanceUid?: string;
  groups: BinaryGroupHeader[];
}
