// The seam between the image viewer and whoever drives it from outside: shared viewing in a consult
// room mirrors one participant's viewer onto the others' through this, and nothing else. The image
// viewer implements it; the room's study panel only calls it. Coordinates are Cornerstone world
// coordinates (mm), so a follower's annotation lands on the same anatomy at any window size.

export interface Voi {
  windowCenter: number;
  windowWidth: number;
}

export interface CameraState {
  /** Parallel scale relative to the "fit to window" scale (1 = fit). */
  zoom: number;
  /** Pan in world mm from the fitted position. */
  pan: [number, number];
  /** Degrees clockwise. */
  rotation: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

export interface CineState {
  playing: boolean;
  framesPerSecond: number;
}

/** What a follower must see to look at the same thing as the presenter. */
export interface ViewerState {
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  /** Index in the displayed stack (slice or frame). */
  imageIndex: number;
  voi: Voi | null;
  camera: CameraState;
  invert: boolean;
  cine: CineState;
}

export type AnnotationKind = 'length' | 'angle' | 'ellipticalRoi' | 'rectangleRoi' | 'probe' | 'arrow';

export interface Annotation {
  /** Stable across participants (the creator's UUID). */
  id: string;
  kind: AnnotationKind;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  frameNumber: number;
  /** Handle points in world coordinates (mm). */
  points: Array<[number, number, number]>;
  label?: string;
  /** Measured values as displayed (e.g. { length: 42.1, unit: 'mm' }); recomputed by each viewer. */
  stats?: Record<string, number | string>;
  authorId: string;
  createdAt: string;
}

export interface ViewerControllerEvents {
  /** The local user changed the view (scroll, W/L, zoom, pan, cine…). Not fired for `applyState`. */
  stateChanged: ViewerState;
  /** The local user added or finished editing an annotation. Not fired for `applyAnnotations`. */
  annotationChanged: Annotation;
  annotationRemoved: { id: string };
}

export interface ViewerController {
  getState(): ViewerState | null;
  /** Shows exactly this state (loads the study/series if needed). */
  applyState(state: ViewerState): Promise<void>;
  getAnnotations(): Annotation[];
  /** Replaces the displayed annotations with these (a follower's view of the room's set). */
  applyAnnotations(annotations: Annotation[]): void;
  /** Followers cannot change the view while following; detaching gives control back. */
  setInteractive(interactive: boolean): void;
  on<E extends keyof ViewerControllerEvents>(
    event: E,
    listener: (data: ViewerControllerEvents[E]) => void,
  ): () => void;
}
