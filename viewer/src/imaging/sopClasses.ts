// Which series the image viewer can show. Waveforms (ECG, haemodynamic, audio: 1.2.840.10008.5.1.4.1.1.9.*)
// have no pixels; they open in the ECG viewer. SR, KOS, PR, RT plans etc. have no pixels either and are
// listed but not loadable.

export function isWaveformSopClass(sopClassUid: string | undefined): boolean {
  return !!sopClassUid && sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.9.');
}

const NON_IMAGE_MODALITIES = new Set([
  'SR',
  'KO',
  'PR',
  'RTPLAN',
  'RTSTRUCT',
  'RTRECORD',
  'REG',
  'DOC',
  'ECG',
]);

export type SeriesKind = 'image' | 'waveform' | 'other';

export function seriesKind(modality: string | undefined, sopClassUid: string | undefined): SeriesKind {
  if (isWaveformSopClass(sopClassUid) || modality === 'ECG' || modality === 'HD') return 'waveform';
  if (modality && NON_IMAGE_MODALITIES.has(modality)) return 'other';
  return 'image';
}
