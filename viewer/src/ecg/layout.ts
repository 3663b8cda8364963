// Where each lead goes on the paper, in millimetres (paper coordinates; the canvas scales mm to
// pixels). Pure and DOM-free so the geometry is unit-tested: 3×4 is the standard
// I/II/III · aVR/aVL/aVF · V1–V3 · V4–V6 grid, each column a consecutive quarter of the record, with a
// full-length lead II rhythm strip below; 12×1 is one full-length row per lead.

export type LayoutName = '3x4' | '12x1';
export type SpeedMmPerS = 25 | 50;
export type GainMmPerMv = 5 | 10 | 20;

export interface PaperSettings {
  layout: LayoutName;
  speed: SpeedMmPerS;
  gain: GainMmPerMv;
}

export const DEFAULT_PAPER: PaperSettings = { layout: '3x4', speed: 25, gain: 10 };

export interface LeadPanel {
  /** Index of the lead in the group's lead list. */
  leadIndex: number;
  lead: string;
  kind: 'lead' | 'rhythm';
  /** Left edge of the trace and its baseline (0 mV), mm. */
  xMm: number;
  baselineMm: number;
  widthMm: number;
  /** Height of the row the panel sits in, centred on the baseline. */
  heightMm: number;
  /** Seconds from the start of the record shown at xMm and at xMm + widthMm. */
  startS: number;
  endS: number;
}

export interface CalibrationPulse {
  xMm: number;
  baselineMm: number;
}

export interface PaperLayout {
  widthMm: number;
  heightMm: number;
  panels: LeadPanel[];
  pulses: CalibrationPulse[];
  /** x of the column boundaries inside the 3×4 grid (small separator ticks are drawn there). */
  separatorsMm: Array<{ xMm: number; baselineMm: number }>;
}

export const CALIBRATION_MV = 1;
export const CALIBRATION_S = 0.2;
const TOP_MARGIN_MM = 5;
const BOTTOM_MARGIN_MM = 5;
const RIGHT_MARGIN_MM = 5;
/** Flat run before and after the calibration pulse. */
const PULSE_LEAD_IN_MM = 2;

export const GRID_3X4: readonly (readonly string[])[] = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];

/** Room the calibration pulse takes at the left of each row. */
export function pulseWidthMm(speed: SpeedMmPerS): number {
  return 2 * PULSE_LEAD_IN_MM + CALIBRATION_S * speed;
}

const roundUp5 = (mm: number): number => Math.ceil(mm / 5) * 5;

/** Millivolts of vertical room per row: 3×4 rows are taller, as on printed 12-lead paper. */
export function rowHeightMm(layout: LayoutName, gain: GainMmPerMv): number {
  return (layout === '3x4' ? 3 : 2) * gain;
}

/**
 * 3×4 columns show consecutive quarters of a rhythm record (2.5 s of a 10 s ECG). A record shorter
 * than 8 s (a representative beat) is shown whole in every column, and then has no rhythm strip.
 */
export function columnSeconds(durationS: number): number {
  return durationS >= 8 ? durationS / 4 : durationS;
}

export function computeLayout(
  leads: readonly string[],
  durationS: number,
  settings: PaperSettings,
): PaperLayout {
  const { speed, gain } = settings;
  const rowH = rowHeightMm(settings.layout, gain);
  const x0 = pulseWidthMm(speed);
  const index = new Map(leads.map((l, i) => [l, i]));
  const panels: LeadPanel[] = [];
  const pulses: CalibrationPulse[] = [];
  const separatorsMm: PaperLayout['separatorsMm'] = [];
  const hasGrid = GRID_3X4.some((row) => row.some((l) => index.has(l)));
  let contentRight = x0;
  let rows = 0;

  const baselineOf = (row: number) => TOP_MARGIN_MM + row * rowH + rowH / 2;

  if (settings.layout === '3x4' && hasGrid) {
    const colS = columnSeconds(durationS);
    const colW = colS * speed;
    const sameWindow = colS === durationS;
    GRID_3X4.forEach((row, r) => {
      const baselineMm = baselineOf(r);
      pulses.push({ xMm: 0, baselineMm });
      row.forEach((lead, c) => {
        if (c > 0) separatorsMm.push({ xMm: x0 + c * colW, baselineMm });
        const leadIndex = index.get(lead);
        if (leadIndex === undefined) return;
        const startS = sameWindow ? 0 : c * colS;
        panels.push({
          leadIndex,
          lead,
          kind: 'lead',
          xMm: x0 + c * colW,
          baselineMm,
          widthMm: colW,
          heightMm: rowH,
          startS,
          endS: startS + colS,
        });
      });
    });
    rows = 3;
    contentRight = x0 + 4 * colW;
    const rhythmIndex = index.get('II') ?? 0;
    if (!sameWindow && leads.length > 0) {
      const baselineMm = baselineOf(3);
      pulses.push({ xMm: 0, baselineMm });
      panels.push({
        leadIndex: rhythmIndex,
        lead: leads[rhythmIndex]!,
        kind: 'rhythm',
        xMm: x0,
        baselineMm,
        widthMm: durationS * speed,
        heightMm: rowH,
        startS: 0,
        endS: durationS,
      });
      rows = 4;
      contentRight = Math.max(contentRight, x0 + durationS * speed);
    }
  } else {
    leads.forEach((lead, i) => {
      const baselineMm = baselineOf(i);
      pulses.push({ xMm: 0, baselineMm });
      panels.push({
        leadIndex: i,
        lead,
        kind: 'lead',
        xMm: x0,
        baselineMm,
        widthMm: durationS * speed,
        heightMm: rowH,
        startS: 0,
        endS: durationS,
      });
    });
    rows = leads.length;
    contentRight = x0 + durationS * speed;
  }
  return {
    widthMm: roundUp5(contentRight + RIGHT_MARGIN_MM),
    heightMm: roundUp5(TOP_MARGIN_MM + rows * rowH + BOTTOM_MARGIN_MM),
    panels,
    pulses,
    separatorsMm,
  };
}

/** The calibration pulse as a polyline in mm: lead-in, 1 mV up for 200 ms, down, lead-out. */
export function pulsePath(p: CalibrationPulse, settings: PaperSettings): Array<[number, number]> {
  const top = p.baselineMm - CALIBRATION_MV * settings.gain;
  const x1 = p.xMm + PULSE_LEAD_IN_MM;
  const x2 = x1 + CALIBRATION_S * settings.speed;
  return [
    [p.xMm, p.baselineMm],
    [x1, p.baselineMm],
    [x1, top],
    [x2, top],
    [x2, p.baselineMm],
    [x2 + PULSE_LEAD_IN_MM, p.baselineMm],
  ];
}

/** Sample index at paper x (mm) inside a panel, clamped to the panel. */
export function sampleAt(panel: LeadPanel, xMm: number, speed: SpeedMmPerS, fs: number): number {
  const t = panel.startS + Math.min(panel.widthMm, Math.max(0, xMm - panel.xMm)) / speed;
  return Math.round(t * fs);
}

/** Paper x (mm) of a sample inside a panel, or undefined when the panel does not show it. */
export function xOfSample(
  panel: LeadPanel,
  sample: number,
  speed: SpeedMmPerS,
  fs: number,
): number | undefined {
  const t = sample / fs;
  if (t < panel.startS || t > panel.endS) return undefined;
  return panel.xMm + (t - panel.startS) * speed;
}

export interface CaliperReading {
  /** Interval between the two points, ms (always ≥ 0). */
  intervalMs: number;
  /** Amplitude from the first point to the second, mV (positive when the second is higher). */
  amplitudeMv: number;
}

/** Calipers measure paper distance: time from x at the paper speed, voltage from y at the gain. */
export function caliperReading(
  from: { xMm: number; yMm: number },
  to: { xMm: number; yMm: number },
  settings: Pick<PaperSettings, 'speed' | 'gain'>,
): CaliperReading {
  return {
    intervalMs: (Math.abs(to.xMm - from.xMm) / settings.speed) * 1000,
    amplitudeMv: (from.yMm - to.yMm) / settings.gain,
  };
}
