// One animation loop for every live ECG strip on the page. Twenty ambulances with 12-lead 500 Hz ECG
// must not freeze the board, so strips are painted from a single requestAnimationFrame callback, at
// most 30 times a second, and only while they are on screen (IntersectionObserver) and the tab is
// visible; a strip scrolled away costs nothing but the ring writes.

export interface StripPainter {
  readonly element: Element;
  paint(now: number): void;
}

const FRAME_MS = 1000 / 30;
const visible = new Set<StripPainter>();
const byElement = new Map<Element, StripPainter>();
let frame: number | null = null;
let lastPaint = 0;

const observer =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver((entries) => {
        for (const e of entries) {
          const painter = byElement.get(e.target);
          if (!painter) continue;
          if (e.isIntersecting) visible.add(painter);
          else visible.delete(painter);
        }
        schedule();
      });

function loop(now: number): void {
  frame = null;
  if (visible.size === 0) return;
  if (now - lastPaint >= FRAME_MS - 1 && document.visibilityState !== 'hidden') {
    lastPaint = now;
    for (const p of visible) {
      try {
        p.paint(now);
      } catch (err) {
        console.error('ECG strip paint failed', err);
      }
    }
  }
  schedule();
}

function schedule(): void {
  if (frame === null && visible.size > 0) frame = requestAnimationFrame(loop);
}

export function registerStrip(painter: StripPainter): () => void {
  byElement.set(painter.element, painter);
  if (observer) observer.observe(painter.element);
  else visible.add(painter);
  schedule();
  return () => {
    observer?.unobserve(painter.element);
    byElement.delete(painter.element);
    visible.delete(painter);
  };
}

/** Strips painted in the last frame (for the page's data attributes and the benchmark). */
export function visibleStripCount(): number {
  return visible.size;
}
