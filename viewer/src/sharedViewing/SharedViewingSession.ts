// Shared viewing on the browser side: one per room visit. It keeps the room's shared view (presenter,
// latest state, annotations) from the server's notifications, and drives the embedded image viewer
// through the ViewerController seam — sending the presenter's changes (paced), applying them on
// followers (newest first, never two applies at once), and saving the consult's annotations with the
// study. No React here; the study panel renders `view()`.
import type {
  AnnotationChange,
  EcgPosition,
  Notifications,
  RequestData,
  Responses,
  SharedAnnotation,
  SharedViewerState,
  StudyAnnotations,
  ViewingSnapshot,
} from '@telemed/signaling/protocol';
import type { Annotation, ViewerController, ViewerState } from '../imaging/controller.js';
import { Emitter } from '../util/emitter.js';
import { Pacer, browserClock, type PacerClock } from './statePacer.js';

type ViewingMethod =
  | 'viewing:present'
  | 'viewing:stop'
  | 'viewing:handover'
  | 'viewing:state'
  | 'viewing:annotation'
  | 'viewing:sync';
type ViewingNote = 'viewing:presenter' | 'viewing:state' | 'viewing:annotation' | 'viewing:snapshot';

/** The part of the signalling client shared viewing uses. */
export interface ViewingSignaling {
  request<M extends ViewingMethod>(method: M, data: RequestData<M>): Promise<Responses[M]>;
  on<M extends ViewingNote>(method: M, fn: (data: Notifications[M]) => void): () => void;
}

export interface SavedAnnotations {
  load(studyUid: string): Promise<StudyAnnotations>;
  save(studyUid: string, annotations: SharedAnnotation[]): Promise<StudyAnnotations>;
}

export type ViewingMode = 'idle' | 'presenting' | 'following' | 'detached';
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';

export interface ViewingView {
  mode: ViewingMode;
  presenterPeerId: string | null;
  /** The study the panel should show: the presenter's when following, else the local choice. */
  studyUid: string | null;
  annotationCount: number;
  save: SaveStatus;
  error: string | null;
}

export interface SessionOptions {
  signaling: ViewingSignaling;
  selfId: string;
  saved: SavedAnnotations;
  clock?: PacerClock;
  /** Wall-clock ms with sub-ms precision, shared by pages on one machine (latency measurement). */
  wallClock?: () => number;
  saveDelayMs?: number;
}

const STATE_KEY = 'state';
const defaultWallClock = () => performance.timeOrigin + performance.now();

/** A neutral first state for a study just opened by the presenter: followers start loading it at once. */
export function openingState(studyUid: string): SharedViewerState {
  return {
    studyInstanceUid: studyUid,
    seriesInstanceUid: null,
    imageIndex: 0,
    voi: null,
    camera: { zoom: 1, pan: [0, 0], rotation: 0, flipHorizontal: false, flipVertical: false },
    invert: false,
    cine: { playing: false, framesPerSecond: 0 },
  };
}

/** `at`: when the presenter's change happened (wall clock), so latency includes the pacing. */
type Outgoing =
  { kind: 'state'; state: SharedViewerState; at: number } | { kind: 'annotation'; change: AnnotationChange };

type SessionEvents = {
  change: [];
  applied: [latencyMs: number | null];
  /** The presenter's ECG position (for an ECG viewer that follows); null when they show none. */
  ecg: [position: EcgPosition | null];
};

export class SharedViewingSession extends Emitter<SessionEvents> {
  private presenterPeerId: string | null = null;
  private detached = false;
  private roomState: SharedViewerState | null = null;
  private roomStateSentAt: number | undefined;
  private roomVersion = 0;
  private readonly annotations = new Map<string, SharedAnnotation>();
  private localStudy: string | null = null;
  private controller: { studyUid: string; c: ViewerController; off: Array<() => void> } | null = null;
  private ecg: EcgPosition | null = null;
  private applying = false;
  /** The series the viewer showed when annotations were last handed to it. */
  private annotatedSeries: string | null = null;
  private appliedVersion = -1;
  private readonly pacer: Pacer<Outgoing>;
  private readonly savedByStudy = new Map<string, SharedAnnotation[]>();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saveStatus: SaveStatus = 'idle';
  private error: string | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private closed = false;
  private snapshotCache: ViewingView;
  /** Presenter→follower latencies (ms) measured at each completed applyState. */
  readonly latencies: number[] = [];

  constructor(private readonly options: SessionOptions) {
    super();
    this.pacer = new Pacer((_key, item) => this.sendOutgoing(item), options.clock ?? browserClock);
    this.snapshotCache = this.build();
    const s = options.signaling;
    this.unsubscribe.push(
      s.on('viewing:snapshot', (snap) => this.applySnapshot(snap)),
      s.on('viewing:presenter', ({ presenterPeerId }) => this.setPresenter(presenterPeerId)),
      s.on('viewing:state', (msg) => {
        if (msg.version <= this.roomVersion && this.roomState) return;
        this.roomVersion = msg.version;
        this.roomState = msg.state;
        this.roomStateSentAt = msg.sentAt;
        this.followEcg(msg.state.ecg ?? null);
        this.followerUpdate();
      }),
      s.on('viewing:annotation', (msg) => {
        this.roomVersion = Math.max(this.roomVersion, msg.version);
        this.mergeChange(msg);
        this.showAnnotations();
        this.changed();
      }),
    );
  }

  view = (): ViewingView => this.snapshotCache;

  subscribe = (fn: () => void): (() => void) => this.on('change', fn);

  /** The embedded viewer's controller, while one is attached. */
  get currentController(): ViewerController | null {
    return this.controller?.c ?? null;
  }

  get mode(): ViewingMode {
    if (this.presenterPeerId === null) return 'idle';
    if (this.presenterPeerId === this.options.selfId) return 'presenting';
    return this.detached ? 'detached' : 'following';
  }

  /** The room's shared view, from the server (after a join, a reconnection, or to re-sync). */
  async sync(): Promise<void> {
    this.applySnapshot(await this.options.signaling.request('viewing:sync', {}));
  }

  async present(): Promise<void> {
    await this.run(async () => {
      const snap = await this.options.signaling.request('viewing:present', {});
      this.applySnapshot(snap, true);
      // The room now shows what this presenter shows.
      const state = this.controller?.c.getState();
      if (state) this.queueState(state);
      else if (this.localStudy) this.queueState(openingState(this.localStudy));
      if (this.localStudy) void this.loadSaved(this.localStudy);
    });
  }

  async stopPresenting(): Promise<void> {
    await this.run(async () => {
      await this.flushSave();
      await this.pacer.drained();
      await this.options.signaling.request('viewing:stop', {});
      this.setPresenter(null);
    });
  }

  async handover(peerId: string): Promise<void> {
    await this.run(async () => {
      await this.flushSave();
      await this.pacer.drained();
      const { presenterPeerId } = await this.options.signaling.request('viewing:handover', { peerId });
      this.setPresenter(presenterPeerId);
    });
  }

  /** A follower stops mirroring and may look around on their own. */
  detach(): void {
    if (this.mode !== 'following') return;
    this.detached = true;
    this.controller?.c.setInteractive(true);
    this.changed();
  }

  async resync(): Promise<void> {
    this.detached = false;
    this.appliedVersion = -1;
    await this.run(() => this.sync());
  }

  /**
   * The presenter's ECG position (sopInstanceUid, layout, speed, gain, scroll time), sent with the
   * view state; an ECG viewer calls this as the presenter scrolls or changes the paper settings.
   */
  setEcgPosition(position: EcgPosition | null): void {
    this.ecg = position;
    if (this.mode !== 'presenting') return;
    const base = this.controller?.c.getState() ?? this.roomState;
    if (base) this.queueState(base);
  }

  /** The user picked a study in the panel (a follower's choice is overridden while following). */
  openStudy(studyUid: string): void {
    this.localStudy = studyUid;
    if (this.mode === 'presenting') this.queueState(openingState(studyUid));
    void this.loadSaved(studyUid);
    this.changed();
  }

  /** The embedded viewer for `studyUid` is ready (or gone: null). */
  attachController(studyUid: string, controller: ViewerController | null): void {
    for (const off of this.controller?.off ?? []) off();
    this.controller = null;
    if (!controller) return;
    const c = controller;
    const entry = { studyUid, c, off: [] as Array<() => void> };
    this.controller = entry;
    entry.off.push(
      c.on('stateChanged', (state) => {
        if (this.mode === 'presenting') this.queueState(state);
      }),
      c.on('annotationChanged', (a) => this.localAnnotation({ op: 'upsert', annotation: a })),
      c.on('annotationRemoved', ({ id }) => this.localAnnotation({ op: 'remove', id })),
    );
    this.appliedVersion = -1;
    c.setInteractive(this.mode !== 'following');
    this.whenReady(entry, (state) => {
      // A freshly opened study has no state until its first image is up: send it as soon as it has.
      if (this.mode === 'presenting') this.queueState(state);
      this.showAnnotations();
    });
    this.followerUpdate();
  }

  close(): void {
    this.closed = true;
    void this.flushSave();
    this.pacer.clear();
    for (const off of this.unsubscribe.splice(0)) off();
    for (const off of this.controller?.off ?? []) off();
    this.controller = null;
    this.removeAllListeners();
  }

  // --- presenter side

  private queueState(viewerState: ViewerState | SharedViewerState): void {
    const state: SharedViewerState = { ...viewerState, ecg: this.ecg };
    this.roomState = state;
    this.pacer.push(STATE_KEY, { kind: 'state', state, at: (this.options.wallClock ?? defaultWallClock)() });
  }

  /** Runs `fn` once the viewer shows an image (it has no state before), polling on animation frames. */
  private whenReady(entry: NonNullable<typeof this.controller>, fn: (state: ViewerState) => void): void {
    const clock = this.options.clock ?? browserClock;
    const started = clock.now();
    const poll = () => {
      if (this.controller !== entry || this.closed) return;
      const state = entry.c.getState();
      if (state) fn(state);
      else if (clock.now() - started < 60_000) clock.frame(poll);
    };
    poll();
  }

  private localAnnotation(change: AnnotationChange): void {
    if (this.mode !== 'presenting') return;
    this.mergeChange(change);
    const key =
      change.op === 'upsert' ? change.annotation.id : change.op === 'remove' ? change.id : 'replace';
    this.pacer.push(`annotation:${key}`, { kind: 'annotation', change });
    const study = change.op === 'upsert' ? change.annotation.studyInstanceUid : this.controller?.studyUid;
    if (study) this.scheduleSave(study);
    this.changed();
  }

  private async sendOutgoing(item: Outgoing): Promise<void> {
    if (this.mode !== 'presenting') return;
    try {
      if (item.kind === 'state') {
        await this.options.signaling.request('viewing:state', {
          state: item.state,
          sentAt: item.at,
        });
      } else await this.options.signaling.request('viewing:annotation', item.change);
    } catch (err) {
      this.fail(err);
    }
  }

  private scheduleSave(studyUid: string): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.pendingSave = studyUid;
    this.saveTimer = setTimeout(() => void this.save(studyUid), this.options.saveDelayMs ?? 800);
  }

  private pendingSave: string | null = null;

  private async flushSave(): Promise<void> {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const study = this.pendingSaveStudy();
    if (study) await this.save(study);
  }

  private pendingSaveStudy(): string | null {
    return this.pendingSave ?? this.controller?.studyUid ?? this.localStudy;
  }

  private async save(studyUid: string): Promise<void> {
    this.saveTimer = null;
    this.pendingSave = null;
    this.saveStatus = 'saving';
    this.changed();
    try {
      const set = this.annotationsOf(studyUid);
      await this.options.saved.save(studyUid, set);
      this.savedByStudy.set(studyUid, set);
      this.saveStatus = 'saved';
    } catch (err) {
      this.saveStatus = 'error';
      this.fail(err);
    }
    this.changed();
  }

  /** Saved annotations of a study just opened: the presenter brings them into a room that has none. */
  private async loadSaved(studyUid: string): Promise<void> {
    let saved: SharedAnnotation[];
    try {
      saved = this.savedByStudy.get(studyUid) ?? (await this.options.saved.load(studyUid)).annotations;
    } catch (err) {
      this.fail(err);
      return;
    }
    this.savedByStudy.set(studyUid, saved);
    if (saved.length === 0 || this.annotationsOf(studyUid).length > 0) return;
    if (this.mode === 'presenting') {
      const change: AnnotationChange = {
        op: 'replace',
        studyInstanceUid: studyUid,
        annotations: saved.slice(0, 200),
      };
      this.mergeChange(change);
      this.pacer.push(`replace:${studyUid}`, { kind: 'annotation', change });
    }
    this.showAnnotations();
    this.changed();
  }

  // --- follower side

  private applySnapshot(snap: ViewingSnapshot, force = false): void {
    if (!force && snap.version < this.roomVersion) return;
    this.roomVersion = snap.version;
    this.roomState = snap.state;
    this.roomStateSentAt = undefined;
    this.annotations.clear();
    for (const a of snap.annotations) this.annotations.set(a.id, a);
    this.appliedVersion = -1;
    this.setPresenter(snap.presenterPeerId);
    this.followEcg(snap.state?.ecg ?? null);
    this.showAnnotations();
  }

  private setPresenter(peerId: string | null): void {
    const wasPresenting = this.mode === 'presenting';
    if (peerId !== this.presenterPeerId) this.detached = false;
    this.presenterPeerId = peerId;
    const presenting = this.presenterPeerId === this.options.selfId;
    if (wasPresenting && !presenting) this.pacer.clear();
    if (!wasPresenting && presenting) {
      // Handed the floor: what this page shows is now the room's view.
      const state = this.controller?.c.getState();
      if (state) this.queueState(state);
    }
    this.controller?.c.setInteractive(this.mode !== 'following');
    this.followerUpdate();
    this.changed();
  }

  /** Applies the newest room state if this page follows and shows that study; one apply at a time. */
  private followerUpdate(): void {
    // Whoever follows keeps showing that study when the floor moves on (handover, detach, leave).
    if (this.mode === 'following' && this.roomState) this.localStudy = this.roomState.studyInstanceUid;
    this.changed();
    const entry = this.controller;
    const target = this.roomState;
    if (this.mode !== 'following' || !entry || !target || this.applying) return;
    if (target.studyInstanceUid !== entry.studyUid || this.appliedVersion === this.roomVersion) return;
    const version = this.roomVersion;
    const sentAt = this.roomStateSentAt;
    const { ecg: _ecg, ...viewerState } = target;
    this.applying = true;
    entry.c
      .applyState(viewerState)
      .then(() => {
        this.appliedVersion = version;
        if (target.seriesInstanceUid !== this.annotatedSeries) this.showAnnotations();
        const latency = sentAt !== undefined ? (this.options.wallClock ?? defaultWallClock)() - sentAt : null;
        if (latency !== null) this.latencies.push(latency);
        this.emit('applied', latency);
      })
      .catch((err: unknown) => {
        // A state the viewer cannot show (series not loaded yet) is retried with the next one.
        this.appliedVersion = version;
        console.warn('shared viewing: could not apply the presenter’s view', err);
      })
      .finally(() => {
        this.applying = false;
        if (this.controller === entry) this.followerUpdate();
      });
  }

  private followEcg(position: EcgPosition | null): void {
    if (this.mode !== 'following' || JSON.stringify(position) === JSON.stringify(this.ecg)) return;
    this.ecg = position;
    this.emit('ecg', position);
  }

  private mergeChange(change: AnnotationChange): void {
    if (change.op === 'upsert') this.annotations.set(change.annotation.id, change.annotation);
    else if (change.op === 'remove') this.annotations.delete(change.id);
    else {
      for (const [id, a] of this.annotations)
        if (a.studyInstanceUid === change.studyInstanceUid) this.annotations.delete(id);
      for (const a of change.annotations) this.annotations.set(a.id, a);
    }
  }

  private annotationsOf(studyUid: string): SharedAnnotation[] {
    return [...this.annotations.values()].filter((a) => a.studyInstanceUid === studyUid);
  }

  /** Followers (and anyone while nobody presents) see the room's set, or the saved one if the room has none. */
  private showAnnotations(): void {
    const entry = this.controller;
    if (!entry || this.mode === 'presenting' || this.mode === 'detached') return;
    this.annotatedSeries = entry.c.getState()?.seriesInstanceUid ?? null;
    const room = this.annotationsOf(entry.studyUid);
    const shown =
      room.length > 0 || this.mode === 'following' ? room : (this.savedByStudy.get(entry.studyUid) ?? []);
    entry.c.applyAnnotations(shown as Annotation[]);
  }

  // --- plumbing

  private async run(fn: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await fn();
    } catch (err) {
      this.fail(err);
    } finally {
      this.changed();
    }
  }

  private fail(err: unknown): void {
    this.error = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown }).code;
    // The floor moved while a message was on its way: the next notification sets things right.
    if (code === 'NOT_PRESENTER') void this.sync().catch(() => undefined);
    this.changed();
  }

  private changed(): void {
    if (this.closed) return;
    const next = this.build();
    const prev = this.snapshotCache;
    // Thirty state messages a second must not re-render the panel thirty times.
    if ((Object.keys(next) as Array<keyof ViewingView>).every((k) => next[k] === prev[k])) return;
    this.snapshotCache = next;
    this.emit('change');
  }

  private build(): ViewingView {
    const following = this.mode === 'following';
    return {
      mode: this.mode,
      presenterPeerId: this.presenterPeerId,
      studyUid: following && this.roomState ? this.roomState.studyInstanceUid : this.localStudy,
      annotationCount: this.annotations.size,
      save: this.saveStatus,
      error: this.error,
    };
  }
}
