// Physical size on screen. Browsers define 1 CSS px as 1/96 inch, so 1 mm = 96 / 25.4 CSS px; real
// screens differ (a tablet's CSS inch is rarely a true inch), so the user can store a calibration
// factor (measure a 10 mm square with a ruler). The canvas backing store follows devicePixelRatio and
// pinch zoom, clamped to what browsers can allocate.
export const CSS_PX_PER_MM = 96 / 25.4;
const CALIBRATION_KEY = 'telemed.ecg.calibration';
export const CALIBRATION_RANGE = { min: 0.5, max: 2 } as const;

export function readCalibration(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(CALIBRATION_KEY));
    return v >= CALIBRATION_RANGE.min && v <= CALIBRATION_RANGE.max ? v : 1;
  } catch {
    return 1;
  }
}

export function storeCalibration(factor: number): void {
  try {
    globalThis.localStorage?.setItem(CALIBRATION_KEY, String(factor));
  } catch {
    // private mode: lasts for this page
  }
}

const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_AREA = 64 * 1024 * 1024;

/** Device pixels per CSS pixel for a canvas of `cssW`×`cssH`, reduced when it would not fit. */
export function backingScale(cssW: number, cssH: number, wanted: number): number {
  let s = Math.max(1, wanted);
  s = Math.min(s, MAX_CANVAS_SIDE / Math.max(1, cssW), MAX_CANVAS_SIDE / Math.max(1, cssH));
  s = Math.min(s, Math.sqrt(MAX_CANVAS_AREA / Math.max(1, cssW * cssH)));
  return s;
}
