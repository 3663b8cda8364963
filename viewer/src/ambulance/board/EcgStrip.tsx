import { useEffect, useRef } from 'react';
import { CSS_PX_PER_MM, backingScale, readCalibration } from '../../ecg/display.js';
import { applyFilters, type FilterSettings } from '../../ecg/filters.js';
import { computeLayout, pulseWidthMm, type PaperSettings } from '../../ecg/layout.js';
import { paintPaper } from '../../ecg/paint.js';
import type { EcgRing } from './ecgRing.js';
import { Playhead } from './playhead.js';
import { registerStrip } from './stripScheduler.js';

/** Monitor bandwidth (0.5–40 Hz, 50 Hz notch): what a bedside monitor shows, less noise in a moving vehicle. */
export const MONITOR_FILTERS: FilterSettings = { highPass: true, notchHz: 50, lowPassHz: 40 };
const PAPER: PaperSettings = { layout: '12x1', speed: 25, gain: 10 };
/** Extra samples filtered to the left of the window, so the high-pass has settled where the strip starts. */
const CONTEXT_S = 1;
const RIGHT_MARGIN_MM = 5;

/**
 * One lead of a run's live ECG on the diagnosis workspace's paper (1/5 mm grid, 25 mm/s, 10 mm/mV,
 * calibration pulse), scrolling right to left. Painted by the shared strip loop, not by React.
 */
export function EcgStrip({ ring, lead, testId }: { ring: EcgRing; lead: string; testId: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const box = boxRef.current;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!box || !canvas || !ctx) return;
    const playhead = new Playhead();
    const pxPerMm = CSS_PX_PER_MM * readCalibration();
    let paints = 0;
    let lastHead = -1;
    let lastWidth = -1;
    const paint = (now: number) => {
      const fs = ring.sampleRate;
      const head = playhead.advance(ring.total, fs, ring.chunkS, now);
      const availMm = Math.floor(box.clientWidth / pxPerMm / 5) * 5;
      if (fs === 0 || availMm < 30 || (head === lastHead && availMm === lastWidth)) return;
      lastHead = head;
      lastWidth = availMm;
      const durationS = (availMm - pulseWidthMm(PAPER.speed) - RIGHT_MARGIN_MM) / PAPER.speed;
      const layout = computeLayout([lead], durationS, PAPER);
      const n = Math.round(durationS * fs);
      const raw = new Float32Array(n + Math.round(CONTEXT_S * fs));
      if (!ring.read(lead, head, raw)) return;
      const filtered = applyFilters(raw, fs, MONITOR_FILTERS).subarray(raw.length - n);
      const cssW = Math.round(layout.widthMm * pxPerMm);
      const cssH = Math.round(layout.heightMm * pxPerMm);
      const scale = backingScale(cssW, cssH, globalThis.devicePixelRatio || 1);
      const w = Math.round(cssW * scale);
      const h = Math.round(cssH * scale);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
        canvas.style.width = `${cssW}px`;
        canvas.style.height = `${cssH}px`;
      }
      paintPaper(ctx, {
        layout,
        settings: PAPER,
        devicePxPerMm: w / layout.widthMm,
        leads: [{ values: filtered, toMv: 1e-3 }],
        samplingFrequency: fs,
      });
      paints += 1;
      canvas.dataset.paintCount = String(paints);
      canvas.dataset.head = String(head);
      canvas.dataset.samples = String(ring.total);
      canvas.dataset.gaps = String(ring.gaps);
    };
    return registerStrip({ element: box, paint });
  }, [ring, lead]);

  return (
    <div className="amb-strip" ref={boxRef}>
      <canvas ref={canvasRef} data-testid={testId} data-lead={lead} role="img" aria-label={`ECG ${lead}`} />
      <span className="amb-strip-lead">{lead}</span>
    </div>
  );
}
