import { useEffect, useRef, useState } from 'react';
import { Enums, RenderingEngine, type Types } from '@cornerstonejs/core';
import { auth } from '../app/services.js';
import { describeLoadError, initImaging, registerInstanceMetadata } from './cornerstone.js';
import { stringValue, TAG, type InstanceRef } from './dicomweb.js';

type State =
  | { name: 'loading' }
  | { name: 'ready'; instances: number; imageIds: string[]; index: number }
  | { name: 'error'; message: string };

let engineSeq = 0;

/** A StackViewport over every image of a study (series in QIDO order, instances by number). */
export function StudyViewerPage({ studyUid }: { studyUid: string }) {
  const element = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<Types.IStackViewport | null>(null);
  const [state, setState] = useState<State>({ name: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const engineId = `study-engine-${++engineSeq}`;
    let engine: RenderingEngine | null = null;
    (async () => {
      const client = await initImaging(() => auth.freshAccessToken());
      const series = await client.searchSeries(studyUid);
      const refs: InstanceRef[] = [];
      for (const s of series) {
        const seriesUid = stringValue(s, TAG.SeriesInstanceUID);
        if (!seriesUid) continue;
        const metadata = await client.seriesMetadata(studyUid, seriesUid);
        refs.push(...client.instanceRefs(studyUid, seriesUid, metadata));
      }
      if (cancelled) return;
      if (refs.length === 0) throw new Error('this study has no images');
      for (const ref of refs) registerInstanceMetadata(ref.imageIds[0]!, ref.metadata);
      const imageIds = refs.flatMap((r) => r.imageIds);
      const el = element.current;
      if (!el) return;
      engine = new RenderingEngine(engineId);
      engine.enableElement({ viewportId: 'stack', type: Enums.ViewportType.STACK, element: el });
      const viewport = engine.getViewport<Types.IStackViewport>('stack');
      viewportRef.current = viewport;
      await viewport.setStack(imageIds, 0);
      viewport.render();
      if (!cancelled) setState({ name: 'ready', instances: refs.length, imageIds, index: 0 });
    })().catch((err: unknown) => {
      if (!cancelled) setState({ name: 'error', message: describeLoadError(studyUid, err).message });
    });
    return () => {
      cancelled = true;
      viewportRef.current = null;
      engine?.destroy();
    };
  }, [studyUid]);

  const step = (delta: number) => {
    if (state.name !== 'ready') return;
    const index = Math.min(state.imageIds.length - 1, Math.max(0, state.index + delta));
    if (index === state.index) return;
    setState({ ...state, index });
    void viewportRef.current?.setImageIdIndex(index).catch((err: unknown) => {
      setState({ name: 'error', message: describeLoadError(state.imageIds[index]!, err).message });
    });
  };

  return (
    <main className="study">
      <div className="study-bar">
        <span className="study-uid" title={studyUid}>
          Study {studyUid}
        </span>
        {state.name === 'ready' && (
          <span className="study-nav">
            <button type="button" onClick={() => step(-1)} disabled={state.index === 0}>
              ‹
            </button>
            <span data-testid="image-index">
              {state.index + 1} / {state.imageIds.length}
            </span>
            <button
              type="button"
              onClick={() => step(1)}
              disabled={state.index === state.imageIds.length - 1}
            >
              ›
            </button>
          </span>
        )}
      </div>
      {state.name === 'error' && (
        <p className="study-error" data-testid="image-error" role="alert">
          {state.message}
        </p>
      )}
      <div
        className="study-viewport"
        data-testid="image-viewport"
        data-state={state.name}
        ref={element}
        onContextMenu={(e) => e.preventDefault()}
        onWheel={(e) => step(e.deltaY > 0 ? 1 : -1)}
      />
    </main>
  );
}
