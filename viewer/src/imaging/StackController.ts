// One StackViewport and everything done to it: series shown, first image then prefetch, W/L, camera,
// cine, tools, annotations. It implements the `ViewerController` seam the consult room drives, and
// tells the React layer what to draw in the overlays through `onView`. No React here.
import {
  Enums,
  imageLoader,
  RenderingEngine,
  utilities as csUtilities,
  type Types,
} from '@cornerstonejs/core';
import { ToolGroupManager, utilities as toolUtils, type Types as ToolTypes } from '@cornerstonejs/tools';
import { Emitter } from '../util/emitter.js';
import { AnnotationSync } from './annotationSync.js';
import type {
  Annotation,
  CineState,
  ViewerController,
  ViewerControllerEvents,
  ViewerState,
  Voi,
} from './controller.js';
import { describeLoadError, registerInstanceMetadata } from './cornerstone.js';
import { rangeToVoi, voiToRange } from './presets.js';
import type { SeriesInfo } from './studyModel.js';
import { createToolGroup, destroyToolGroup, ensureTools, setPrimaryTool, type ToolName } from './tools.js';

export interface ViewSnapshot {
  seriesUid: string | null;
  imageIndex: number;
  imageCount: number;
  loadedCount: number;
  voi: Voi | null;
  zoom: number;
  invert: boolean;
  cine: CineState;
  /** False while a follower mirrors a presenter: the toolbar and keys are off too. */
  interactive: boolean;
  /** performance.now() when the first image of the current series was on screen / all were loaded. */
  firstImageAt: number | null;
  allLoadedAt: number | null;
}

type Events = { [K in keyof ViewerControllerEvents]: [ViewerControllerEvents[K]] } & { view: [ViewSnapshot] };

class ControllerEvents extends Emitter<Events> {
  fire<K extends keyof Events>(event: K, ...args: Events[K]): void {
    this.emit(event, ...args);
  }
}

const PREFETCH_CONCURRENCY = 4;
let seq = 0;

export class StackController implements ViewerController {
  private readonly events = new ControllerEvents();
  readonly engine: RenderingEngine;
  readonly viewport: Types.IStackViewport;
  private readonly viewportId = 'stack';
  private readonly groupId: string;
  private series: SeriesInfo | null = null;
  private generation = 0;
  private applying = 0;
  private interactive = true;
  private cine: CineState = { playing: false, framesPerSecond: 20 };
  private loaded = new Set<string>();
  private firstImageAt: number | null = null;
  private allLoadedAt: number | null = null;
  private readonly annotations: AnnotationSync;
  private pendingShow: Promise<void> = Promise.resolve();
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly element: HTMLDivElement,
    private readonly studyUid: string,
    authorId: string,
    /** Loads a series' metadata (for applyState of a series not shown yet). */
    private readonly resolveSeries: (seriesUid: string) => Promise<SeriesInfo | null>,
  ) {
    const id = ++seq;
    ensureTools();
    this.engine = new RenderingEngine(`telemed-engine-${id}`);
    this.groupId = `telemed-tools-${id}`;
    this.engine.enableElement({ viewportId: this.viewportId, type: Enums.ViewportType.STACK, element });
    this.viewport = this.engine.getViewport(this.viewportId) as Types.IStackViewport;
    createToolGroup(this.groupId, this.viewportId, this.engine.id, 'windowLevel');
    // Cine frames are not state changes: followers run their own cine from the cine state.
    const onView = (evt: Event) =>
      this.viewChanged(!(evt.type === Enums.Events.STACK_NEW_IMAGE && this.cine.playing));
    for (const ev of [
      Enums.Events.STACK_NEW_IMAGE,
      Enums.Events.VOI_MODIFIED,
      Enums.Events.CAMERA_MODIFIED,
    ]) {
      element.addEventListener(ev, onView);
      this.cleanups.push(() => element.removeEventListener(ev, onView));
    }
    this.annotations = new AnnotationSync({
      element,
      viewport: this.viewport,
      studyUid,
      authorId,
      imageIds: () => this.series?.imageIds ?? [],
      changed: (a) => this.events.fire('annotationChanged', a),
      removed: (id) => this.events.fire('annotationRemoved', { id }),
      touched: () => this.events.fire('view', this.snapshot()),
    });
    this.cleanups.push(() => this.annotations.destroy());
    const resize = new ResizeObserver(() => {
      if (this.series) this.engine.resize(true, true);
    });
    resize.observe(element);
    this.cleanups.push(() => resize.disconnect());
  }

  get currentSeries(): SeriesInfo | null {
    return this.series;
  }

  /** Shows a series: its image at `index` first, then loads the rest in the background. */
  async showSeries(series: SeriesInfo, index = 0): Promise<void> {
    const generation = ++this.generation;
    this.stopCine();
    this.series = series;
    this.loaded = new Set();
    this.firstImageAt = null;
    this.allLoadedAt = null;
    for (const ref of series.instances) registerInstanceMetadata(ref.imageIds[0]!, ref.metadata);
    const start = Math.min(Math.max(0, index), series.imageIds.length - 1);
    this.applying++;
    const shown = this.viewport.setStack(series.imageIds, start);
    this.pendingShow = shown.then(
      () => undefined,
      () => undefined,
    );
    try {
      await shown;
      this.viewport.render();
    } finally {
      this.applying--;
    }
    if (generation !== this.generation) return;
    this.loaded.add(series.imageIds[start]!);
    this.firstImageAt = performance.now();
    this.viewChanged(false);
    void this.prefetch(generation, series.imageIds);
  }

  /** More instances of the shown series arrived: keep the image, W/L and camera, extend the stack. */
  async updateSeries(series: SeriesInfo): Promise<void> {
    // Never two setStacks at once: the first image of this series may still be on its way.
    await this.pendingShow;
    if (!this.series || series.seriesUid !== this.series.seriesUid) return;
    const currentId = this.viewport.getCurrentImageId();
    const presentation = this.viewport.getViewPresentation();
    const { voiRange, invert } = this.viewport.getProperties();
    const generation = ++this.generation;
    this.series = series;
    for (const ref of series.instances) registerInstanceMetadata(ref.imageIds[0]!, ref.metadata);
    const index = Math.max(0, series.imageIds.indexOf(currentId));
    this.applying++;
    try {
      await this.viewport.setStack(series.imageIds, index);
      this.viewport.setViewPresentation(presentation);
      this.viewport.setProperties({ ...(voiRange ? { voiRange } : {}), invert: !!invert });
      this.viewport.render();
    } finally {
      this.applying--;
    }
    this.loaded.add(this.viewport.getCurrentImageId());
    this.firstImageAt ??= performance.now();
    this.allLoadedAt = null;
    this.viewChanged(false);
    void this.prefetch(generation, series.imageIds);
  }

  private async prefetch(generation: number, imageIds: string[]): Promise<void> {
    const queue = imageIds.filter((id) => !this.loaded.has(id));
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (generation !== this.generation) return;
        try {
          await imageLoader.loadAndCacheImage(id);
        } catch (err) {
          console.warn(describeLoadError(id, err).message);
        }
        if (generation !== this.generation) return;
        this.loaded.add(id);
        this.viewChanged(false);
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_CONCURRENCY }, worker));
    // A series' head is not the series: "all loaded" waits for the stack updateSeries extends.
    if (generation === this.generation && this.allLoadedAt === null && !this.series?.headOnly) {
      this.allLoadedAt = performance.now();
      this.viewChanged(false);
    }
  }

  scrollTo(index: number): void {
    const count = this.viewport.getImageIds().length;
    if (!count) return;
    const target = Math.min(count - 1, Math.max(0, index));
    if (target === this.viewport.getCurrentImageIdIndex()) return;
    void this.viewport.setImageIdIndex(target);
  }

  scroll(delta: number): void {
    this.scrollTo(this.viewport.getCurrentImageIdIndex() + delta);
  }

  setVoi(voi: Voi): void {
    this.viewport.setProperties({ voiRange: voiToRange(voi) });
    this.viewport.render();
  }

  invert(): void {
    this.viewport.setProperties({ invert: !this.viewport.getProperties().invert });
    this.viewport.render();
    this.viewChanged();
  }

  flip(direction: 'horizontal' | 'vertical'): void {
    const camera = this.viewport.getCamera();
    this.viewport.setCamera(
      direction === 'horizontal'
        ? { flipHorizontal: !camera.flipHorizontal }
        : { flipVertical: !camera.flipVertical },
    );
    this.viewport.render();
  }

  rotate90(): void {
    const rotation = this.viewport.getViewPresentation().rotation ?? 0;
    this.viewport.setViewPresentation({ rotation: (rotation + 90) % 360 });
    this.viewport.render();
  }

  reset(): void {
    this.viewport.resetCamera();
    this.viewport.resetProperties();
    this.viewport.render();
    this.viewChanged();
  }

  setTool(tool: ToolName): void {
    const group = this.toolGroup();
    if (group) setPrimaryTool(group, tool);
  }

  playCine(framesPerSecond = this.cine.framesPerSecond): void {
    if (this.viewport.getImageIds().length < 2) return;
    toolUtils.cine.stopClip(this.element);
    this.cine = { playing: true, framesPerSecond };
    toolUtils.cine.playClip(this.element, { framesPerSecond, loop: true });
    this.viewChanged();
  }

  stopCine(): void {
    if (!this.cine.playing) return;
    toolUtils.cine.stopClip(this.element);
    this.cine = { ...this.cine, playing: false };
    this.viewChanged();
  }

  setFps(framesPerSecond: number): void {
    const fps = Math.min(120, Math.max(1, Math.round(framesPerSecond)));
    if (this.cine.playing) this.playCine(fps);
    else {
      this.cine = { ...this.cine, framesPerSecond: fps };
      this.viewChanged();
    }
  }

  clearAnnotations(): void {
    this.annotations.clear();
  }

  /** Canvas (CSS px, relative to the viewport element) → world mm, and world → image pixel (col, row). */
  canvasToWorld(point: [number, number]): [number, number, number] {
    return [...this.viewport.canvasToWorld(point)] as [number, number, number];
  }

  worldToImage(world: [number, number, number]): [number, number] {
    const p = csUtilities.worldToImageCoords(this.viewport.getCurrentImageId(), world);
    return [p?.[0] ?? NaN, p?.[1] ?? NaN];
  }

  snapshot(): ViewSnapshot {
    const props = this.viewport.getProperties();
    const ids = this.viewport.getImageIds();
    return {
      seriesUid: this.series?.seriesUid ?? null,
      imageIndex: this.viewport.getCurrentImageIdIndex(),
      imageCount: ids.length,
      loadedCount: this.loaded.size,
      voi: props.voiRange ? rangeToVoi(props.voiRange) : null,
      zoom: ids.length ? this.viewport.getZoom() : 1,
      invert: !!props.invert,
      cine: { ...this.cine },
      interactive: this.interactive,
      firstImageAt: this.firstImageAt,
      allLoadedAt: this.allLoadedAt,
    };
  }

  /** Overlay and toolbar updates for the React layer. */
  onView(listener: (view: ViewSnapshot) => void): () => void {
    return this.events.on('view', listener);
  }

  // ViewerController

  on<E extends keyof ViewerControllerEvents>(
    event: E,
    listener: (data: ViewerControllerEvents[E]) => void,
  ): () => void {
    return this.events.on(event, listener as (...args: Events[E]) => void);
  }

  getState(): ViewerState | null {
    if (!this.series) return null;
    const s = this.snapshot();
    const p = this.viewport.getViewPresentation();
    const camera = this.viewport.getCamera();
    return {
      studyInstanceUid: this.studyUid,
      seriesInstanceUid: s.seriesUid,
      imageIndex: s.imageIndex,
      voi: s.voi,
      camera: {
        zoom: p.zoom ?? 1,
        pan: [p.pan?.[0] ?? 0, p.pan?.[1] ?? 0],
        rotation: p.rotation ?? 0,
        flipHorizontal: !!camera.flipHorizontal,
        flipVertical: !!camera.flipVertical,
      },
      invert: s.invert,
      cine: s.cine,
    };
  }

  async applyState(state: ViewerState): Promise<void> {
    if (state.studyInstanceUid !== this.studyUid) throw new Error('applyState: another study');
    this.applying++;
    try {
      if (state.seriesInstanceUid && state.seriesInstanceUid !== this.series?.seriesUid) {
        const series = await this.resolveSeries(state.seriesInstanceUid);
        if (!series) throw new Error(`applyState: series ${state.seriesInstanceUid} is not in the study`);
        await this.showSeries(series, state.imageIndex);
      }
      if (!this.series) return;
      if (
        state.cine.playing !== this.cine.playing ||
        state.cine.framesPerSecond !== this.cine.framesPerSecond
      ) {
        if (state.cine.playing) this.playCine(state.cine.framesPerSecond);
        else {
          this.stopCine();
          this.cine = { ...state.cine };
        }
      }
      if (!state.cine.playing && state.imageIndex !== this.viewport.getCurrentImageIdIndex())
        await this.viewport.setImageIdIndex(
          Math.min(state.imageIndex, this.viewport.getImageIds().length - 1),
        );
      this.viewport.setProperties({
        ...(state.voi ? { voiRange: voiToRange(state.voi) } : {}),
        invert: state.invert,
      });
      this.viewport.setViewPresentation({
        zoom: state.camera.zoom,
        pan: state.camera.pan,
        rotation: state.camera.rotation,
        flipHorizontal: state.camera.flipHorizontal,
        flipVertical: state.camera.flipVertical,
      });
      this.viewport.render();
    } finally {
      this.applying--;
    }
    this.viewChanged(false);
  }

  getAnnotations(): Annotation[] {
    return this.annotations.list();
  }

  applyAnnotations(annotations: Annotation[]): void {
    this.annotations.apply(annotations);
  }

  setInteractive(interactive: boolean): void {
    this.interactive = interactive;
    this.element.style.pointerEvents = interactive ? '' : 'none';
    this.events.fire('view', this.snapshot());
  }

  get isInteractive(): boolean {
    return this.interactive;
  }

  destroy(): void {
    this.generation++;
    try {
      toolUtils.cine.stopClip(this.element);
    } catch {
      // never played
    }
    for (const fn of this.cleanups.splice(0)) fn();
    destroyToolGroup(this.groupId);
    this.engine.destroy();
    this.events.removeAllListeners();
  }

  private toolGroup(): ToolTypes.IToolGroup | undefined {
    return ToolGroupManager.getToolGroup(this.groupId);
  }

  private viewChanged(userAction = true): void {
    const snapshot = this.snapshot();
    this.events.fire('view', snapshot);
    if (!userAction || this.applying || !this.series) return;
    const state = this.getState();
    if (state) this.events.fire('stateChanged', state);
  }
}
