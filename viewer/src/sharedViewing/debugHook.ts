// `window.__telemedViewing`: what end-to-end tests and the latency benchmark read of shared viewing
// in the room shown (read-only, harmless): the mode, the embedded viewer's state and annotations, and
// the presenter→follower latencies measured at each completed applyState on this page.
import type { Annotation, ViewerState } from '../imaging/controller.js';
import type { SharedViewingSession, ViewingMode } from './SharedViewingSession.js';

export interface ViewingDebugHook {
  mode(): ViewingMode | null;
  presenter(): string | null;
  state(): ViewerState | null;
  annotations(): Annotation[];
  latencies(): number[];
  clearLatencies(): void;
}

declare global {
  interface Window {
    __telemedViewing?: ViewingDebugHook;
  }
}

export function installViewingHook(
  session: SharedViewingSession,
  controller: () => { getState(): ViewerState | null; getAnnotations(): Annotation[] } | null,
): () => void {
  const hook: ViewingDebugHook = {
    mode: () => session.view().mode,
    presenter: () => session.view().presenterPeerId,
    state: () => controller()?.getState() ?? null,
    annotations: () => controller()?.getAnnotations() ?? [],
    latencies: () => [...session.latencies],
    clearLatencies: () => void session.latencies.splice(0),
  };
  window.__telemedViewing = hook;
  return () => {
    if (window.__telemedViewing === hook) delete window.__telemedViewing;
  };
}
