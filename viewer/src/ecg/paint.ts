// Draws the ECG paper onto a canvas in device pixels: pink 1 mm / 5 mm grid, calibration pulses,
// column separators, and the traces. Coordinates are computed in device pixels (mm × device px per
// mm) rather than through a canvas transform, so 1-px grid lines land on pixel centres and stay crisp
// at any devicePixelRatio. Where a trace has more samples than device pixels (1 kHz at 25 mm/s), each
// pixel column is drawn as its min–max span: every spike stays visible and the path stays short.
import { pulsePath, type PaperLayout, type PaperSettings } from './layout.js';

export interface PaintInput {
  layout: PaperLayout;
  settings: PaperSettings;
  /** Device pixels per paper millimetre. */
  devicePxPerMm: number;
  /** Per lead of the group: values and the factor from their units to mV (undefined: not voltage). */
  leads: ReadonlyArray<{ values: Float32Array; toMv: number | undefined }>;
  samplingFrequency: number;
  /** Sample indices to mark on the rhythm strip (detected R peaks). */
  rPeaks?: readonly number[];
}

export const PAPER_COLORS = {
  paper: '#fffafa',
  minor: '#f6c9c9',
  major: '#e58f8f',
  trace: '#111111',
  pulse: '#111111',
  peak: '#1565c0',
} as const;

function grid(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  k: number,
  stepMm: number,
  color: string,
  lineWidth: number,
) {
  ctx.beginPath();
  const off = lineWidth % 2 === 1 ? 0.5 : 0;
  for (let i = 0; i * stepMm * k <= w + 0.5; i++) {
    const x = Math.round(i * stepMm * k) + off;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
  }
  for (let i = 0; i * stepMm * k <= h + 0.5; i++) {
    const y = Math.round(i * stepMm * k) + off;
    ctx.moveTo(0, y);
    ctx.lineTo(w, y);
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.stroke();
}

function trace(
  ctx: CanvasRenderingContext2D,
  values: Float32Array,
  from: number,
  to: number,
  x0: number,
  pxPerSample: number,
  y0: number,
  pxPerUnit: number,
) {
  let pen = false;
  if (pxPerSample >= 0.5) {
    for (let i = from; i <= to; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = x0 + (i - from) * pxPerSample;
      const y = y0 - v * pxPerUnit;
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    return;
  }
  // Min–max per device-pixel column; the column's first value joins it to the previous one.
  const columns = Math.ceil((to - from + 1) * pxPerSample);
  const samplesPerColumn = 1 / pxPerSample;
  for (let c = 0; c < columns; c++) {
    const a = from + Math.floor(c * samplesPerColumn);
    const b = Math.min(to, from + Math.floor((c + 1) * samplesPerColumn) - 1);
    let lo = Infinity;
    let hi = -Infinity;
    let first = NaN;
    for (let i = a; i <= b; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (Number.isNaN(first)) first = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (Number.isNaN(first)) {
      pen = false;
      continue;
    }
    const x = x0 + c;
    if (pen) ctx.lineTo(x, y0 - first * pxPerUnit);
    else ctx.moveTo(x, y0 - first * pxPerUnit);
    ctx.lineTo(x, y0 - hi * pxPerUnit);
    ctx.lineTo(x, y0 - lo * pxPerUnit);
    pen = true;
  }
}

export function paintPaper(ctx: CanvasRenderingContext2D, input: PaintInput): void {
  const { layout, settings, devicePxPerMm: k, leads, samplingFrequency: fs } = input;
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = PAPER_COLORS.paper;
  ctx.fillRect(0, 0, w, h);
  const hairline = Math.max(1, Math.round(k / 8));
  // Below ~3 device px per mm the 1 mm grid is a pink wash: draw only the 5 mm grid then.
  if (k >= 3) grid(ctx, w, h, k, 1, PAPER_COLORS.minor, hairline);
  grid(ctx, w, h, k, 5, PAPER_COLORS.major, hairline + (k >= 6 ? 1 : 0));

  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.strokeStyle = PAPER_COLORS.pulse;
  ctx.lineWidth = Math.max(1, k / 4);
  ctx.beginPath();
  for (const p of layout.pulses) {
    pulsePath(p, settings).forEach(([x, y], i) => (i ? ctx.lineTo(x * k, y * k) : ctx.moveTo(x * k, y * k)));
  }
  for (const s of layout.separatorsMm) {
    ctx.moveTo(s.xMm * k, (s.baselineMm - 2) * k);
    ctx.lineTo(s.xMm * k, (s.baselineMm + 2) * k);
  }
  ctx.stroke();

  ctx.strokeStyle = PAPER_COLORS.trace;
  ctx.lineWidth = Math.max(1, k / 3.5);
  ctx.beginPath();
  const pxPerSample = (settings.speed * k) / fs;
  for (const panel of layout.panels) {
    const lead = leads[panel.leadIndex];
    if (!lead) continue;
    const n = lead.values.length;
    const from = Math.max(0, Math.round(panel.startS * fs));
    const to = Math.min(n - 1, Math.round(panel.endS * fs) - 1);
    if (to < from) continue;
    const mvPerUnit = lead.toMv ?? 0;
    trace(
      ctx,
      lead.values,
      from,
      to,
      panel.xMm * k,
      pxPerSample,
      panel.baselineMm * k,
      mvPerUnit * settings.gain * k,
    );
  }
  ctx.stroke();

  const rhythm = layout.panels.find((p) => p.kind === 'rhythm');
  if (rhythm && input.rPeaks?.length) {
    ctx.fillStyle = PAPER_COLORS.peak;
    const top = (rhythm.baselineMm - rhythm.heightMm / 2 + 1) * k;
    for (const s of input.rPeaks) {
      const x = (rhythm.xMm + (s / fs - rhythm.startS) * settings.speed) * k;
      ctx.beginPath();
      ctx.moveTo(x - k, top);
      ctx.lineTo(x + k, top);
      ctx.lineTo(x, top + 1.5 * k);
      ctx.closePath();
      ctx.fill();
    }
  }
}
