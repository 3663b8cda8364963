import { useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { backingScale } from './display.js';
import type { PaperLayout, PaperSettings } from './layout.js';
import { paintPaper, type PaintInput } from './paint.js';
import { useDeviceScale } from './useDeviceScale.js';

export interface CaliperPoints {
  from: { xMm: number; yMm: number };
  to: { xMm: number; yMm: number };
}

interface Props {
  layout: PaperLayout;
  settings: PaperSettings;
  /** CSS pixels per paper millimetre (96 dpi × calibration × zoom). */
  pxPerMm: number;
  leads: PaintInput['leads'];
  leadNames: readonly string[];
  samplingFrequency: number;
  rPeaks: readonly number[];
  caliper: CaliperPoints | null;
  /** When false, touch drags scroll the paper instead of measuring (mouse and pen always measure). */
  caliperTouch: boolean;
  onCaliper(c: CaliperPoints | null): void;
  onPainted(ms: number): void;
}

/** The ECG paper: one canvas at device resolution, DOM lead labels over it, calipers as SVG. */
export function EcgPaper(props: Props) {
  const { layout, settings, pxPerMm, leads, samplingFrequency, rPeaks } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const paintCount = useRef(0);
  const dragging = useRef<CaliperPoints['from'] | null>(null);
  const deviceScale = useDeviceScale();
  const cssW = Math.round(layout.widthMm * pxPerMm);
  const cssH = Math.round(layout.heightMm * pxPerMm);
  const scale = backingScale(cssW, cssH, deviceScale);
  const onPainted = props.onPainted;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const t0 = performance.now();
    canvas.width = Math.round(cssW * scale);
    canvas.height = Math.round(cssH * scale);
    paintPaper(ctx, {
      layout,
      settings,
      devicePxPerMm: (canvas.width / layout.widthMm + canvas.height / layout.heightMm) / 2,
      leads,
      samplingFrequency,
      rPeaks,
    });
    paintCount.current += 1;
    canvas.dataset.paintCount = String(paintCount.current);
    onPainted(performance.now() - t0);
  }, [layout, settings, cssW, cssH, scale, leads, samplingFrequency, rPeaks, onPainted]);

  const toMm = (e: ReactPointerEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    // The rect already includes CSS transforms and zoom: rescale to the paper's mm.
    return {
      xMm: ((e.clientX - r.left) / r.width) * layout.widthMm,
      yMm: ((e.clientY - r.top) / r.height) * layout.heightMm,
    };
  };
  const measuring = (e: ReactPointerEvent) => e.pointerType !== 'touch' || props.caliperTouch;

  return (
    <div
      className="ecg-paper"
      data-testid="ecg-paper"
      data-leads={props.leadNames.join(',')}
      data-px-per-mm={pxPerMm}
      data-device-scale={scale}
      data-width-mm={layout.widthMm}
      data-height-mm={layout.heightMm}
      style={{ width: cssW, height: cssH, touchAction: props.caliperTouch ? 'none' : 'auto' }}
      onPointerDown={(e) => {
        if (!measuring(e) || e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        const p = toMm(e);
        dragging.current = p;
        props.onCaliper({ from: p, to: p });
      }}
      onPointerMove={(e) => {
        if (!dragging.current) return;
        props.onCaliper({ from: dragging.current, to: toMm(e) });
      }}
      onPointerUp={(e) => {
        if (!dragging.current) return;
        props.onCaliper({ from: dragging.current, to: toMm(e) });
        dragging.current = null;
      }}
      onPointerCancel={() => {
        dragging.current = null;
      }}
    >
      <canvas
        ref={canvasRef}
        data-testid="ecg-canvas"
        role="img"
        aria-label={props.leadNames.join(' ')}
        style={{ width: cssW, height: cssH }}
      />
      {layout.panels.map((p) => (
        <span
          key={`${p.kind}-${p.lead}-${p.xMm}`}
          className="ecg-lead-box"
          data-testid={p.kind === 'rhythm' ? `ecg-rhythm-${p.lead}` : `ecg-lead-${p.lead}`}
          data-start-s={p.startS}
          data-end-s={p.endS}
          data-baseline-mm={p.baselineMm}
          data-x-mm={p.xMm}
          style={{
            left: p.xMm * pxPerMm,
            top: (p.baselineMm - p.heightMm / 2) * pxPerMm,
            width: p.widthMm * pxPerMm,
            height: p.heightMm * pxPerMm,
          }}
        >
          <span className="ecg-lead-label">{p.lead}</span>
        </span>
      ))}
      {props.caliper && <CaliperOverlay c={props.caliper} pxPerMm={pxPerMm} w={cssW} h={cssH} />}
    </div>
  );
}

function CaliperOverlay({ c, pxPerMm, w, h }: { c: CaliperPoints; pxPerMm: number; w: number; h: number }) {
  const x1 = c.from.xMm * pxPerMm;
  const x2 = c.to.xMm * pxPerMm;
  const y1 = c.from.yMm * pxPerMm;
  const y2 = c.to.yMm * pxPerMm;
  const lo = Math.max(0, Math.min(x1, x2) - 20);
  const hi = Math.min(w, Math.max(x1, x2) + 20);
  return (
    <svg className="ecg-caliper" data-testid="ecg-caliper" width={w} height={h} aria-hidden="true">
      <line x1={x1} y1={0} x2={x1} y2={h} />
      <line x1={x2} y1={0} x2={x2} y2={h} />
      <line x1={lo} y1={y1} x2={hi} y2={y1} className="ecg-caliper-level" />
      <line x1={lo} y1={y2} x2={hi} y2={y2} className="ecg-caliper-level" />
      <line x1={x1} y1={y2} x2={x2} y2={y2} className="ecg-caliper-span" />
    </svg>
  );
}
