// Window/level presets per modality, as radiologists name them. Values are window width / centre in
// the modality's rescaled units (HU for CT). Only modalities with calibrated units get presets; for
// others (US, CR, MR…) only "default" (the image's own VOI) makes sense.
import type { Voi } from './controller.js';

export interface WindowPreset {
  name: string;
  windowWidth: number;
  windowCenter: number;
}

const CT: WindowPreset[] = [
  { name: 'brain', windowWidth: 80, windowCenter: 40 },
  { name: 'subdural', windowWidth: 200, windowCenter: 75 },
  { name: 'stroke', windowWidth: 40, windowCenter: 40 },
  { name: 'lung', windowWidth: 1500, windowCenter: -600 },
  { name: 'bone', windowWidth: 2000, windowCenter: 300 },
  { name: 'abdomen', windowWidth: 400, windowCenter: 40 },
  { name: 'liver', windowWidth: 150, windowCenter: 30 },
  { name: 'mediastinum', windowWidth: 350, windowCenter: 50 },
  { name: 'softTissue', windowWidth: 400, windowCenter: 50 },
];

const PRESETS: Record<string, WindowPreset[]> = {
  CT,
  // PET/CT fusion rarely; a PT series alone is in SUV-scaled counts: no fixed presets.
};

export function presetsFor(modality: string | undefined): WindowPreset[] {
  return PRESETS[(modality ?? '').toUpperCase()] ?? [];
}

export function presetVoi(preset: WindowPreset): Voi {
  return { windowCenter: preset.windowCenter, windowWidth: preset.windowWidth };
}

/** VOI as a [lower, upper] range (Cornerstone's voiRange) and back (DICOM C.11.2.1.2, linear). */
export function voiToRange(voi: Voi): { lower: number; upper: number } {
  return { lower: voi.windowCenter - voi.windowWidth / 2, upper: voi.windowCenter + voi.windowWidth / 2 };
}

export function rangeToVoi(range: { lower: number; upper: number }): Voi {
  return { windowWidth: range.upper - range.lower, windowCenter: (range.upper + range.lower) / 2 };
}
