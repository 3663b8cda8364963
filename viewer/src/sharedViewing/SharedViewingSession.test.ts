// The browser side of shared viewing against a tiny in-memory room (the server feature's rules: one
// presenter, NOT_PRESENTER, relay to the others) and a test double of the image viewer's controller.
import { describe, expect, it } from 'vitest';
import type {
  AnnotationChange,
  Notifications,
  SharedAnnotation,
  StudyAnnotations,
  ViewingSnapshot,
} from '@telemed/signaling/protocol';
import type {
  Annotation,
  ViewerController,
  ViewerControllerEvents,
  ViewerState,
} from '../imaging/controller.js';
import { SharedViewingSession, type ViewingSignaling } from './SharedViewingSession.js';
import type { PacerClock } from './statePacer.js';

const STUDY = '1.2.3.4';
const OTHER = '1.2.3.5';
const clock: PacerClock = {
  now: () => performance.now(),
  frame: (fn) => void setTimeout(fn, 1),
  after: (ms, fn) => void setTimeout(fn, ms),
};

const state = (imageIndex: number, windowCenter = 40, study = STUDY): ViewerState => ({
  studyInstanceUid: study,
  seriesInstanceUid: '1.2.3.4.1',
  imageIndex,
  voi: { windowCenter, windowWidth: 400 },
  camera: { zoom: 1, pan: [0, 0], rotation: 0, flipHorizontal: false, flipVertical: false },
  invert: false,
  cine: { playing: false, framesPerSecond: 10 },
});
const annotation = (id: string): Annotation => ({
  id,
  kind: 'length',
  studyInstanceUid: STUDY,
  seriesInstanceUid: '1.2.3.4.1',
  sopInstanceUid: '1.2.3.4.1.1',
  frameNumber: 1,
  points: [
    [0, 0, 0],
    [5, 0, 0],
  ],
  authorId: 'u1',
  createdAt: '2026-11-26T00:00:00Z',
});

class FakeController implements ViewerController {
  state: ViewerState | null = null;
  shown: Annotation[] = [];
  interactive = true;
  applied: ViewerState[] = [];
  private listeners = new Map<string, Set<(d: unknown) => void>>();
  getState = () => this.state;
  async applyState(s: ViewerState) {
    this.applied.push(s);
    this.state = s;
  }
  getAnnotations = () => this.shown;
  applyAnnotations(a: Annotation[]) {
    this.shown = a;
  }
  setInteractive(i: boolean) {
    this.interactive = i;
  }
  on<E extends keyof ViewerControllerEvents>(event: E, fn: (d: ViewerControllerEvents[E]) => void) {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(fn as (d: unknown) => void);
    return () => void set.delete(fn as (d: unknown) => void);
  }
  /** The local user did something. */
  user<E extends keyof ViewerControllerEvents>(event: E, data: ViewerControllerEvents[E]) {
    if (event === 'stateChanged') this.state = data as ViewerState;
    for (const fn of this.listeners.get(event) ?? []) fn(data);
  }
}

/** The server's rules in miniature, enough to run several sessions against each other. */
class FakeRoom {
  presenter: string | null = null;
  state: ViewingSnapshot['state'] = null;
  annotations = new Map<string, SharedAnnotation>();
  version = 0;
  requests: string[] = [];
  private members = new Map<string, Map<string, Set<(d: unknown) => void>>>();

  signaling(peerId: string): ViewingSignaling {
    const listeners = new Map<string, Set<(d: unknown) => void>>();
    this.members.set(peerId, listeners);
    return {
      on: (method, fn) => {
        const set = listeners.get(method) ?? new Set();
        listeners.set(method, set);
        set.add(fn as (d: unknown) => void);
        return () => void set.delete(fn as (d: unknown) => void);
      },
      request: async (method, data) => {
        this.requests.push(method);
        return this.handle(peerId, method, data) as never;
      },
    };
  }

  snapshot(): ViewingSnapshot {
    return {
      presenterPeerId: this.presenter,
      state: this.state,
      annotations: [...this.annotations.values()],
      version: this.version,
    };
  }

  private handle(peer: string, method: string, data: unknown): unknown {
    const notPresenter = () =>
      Object.assign(new Error('Only the presenter may change the shared view'), { code: 'NOT_PRESENTER' });
    switch (method) {
      case 'viewing:sync':
        return this.snapshot();
      case 'viewing:present':
        if (this.presenter && this.presenter !== peer)
          throw Object.assign(new Error('busy'), { code: 'CONFLICT' });
        this.setPresenter(peer);
        return this.snapshot();
      case 'viewing:stop':
        if (this.presenter === peer) this.setPresenter(null);
        return {};
      case 'viewing:handover': {
        if (this.presenter !== peer) throw notPresenter();
        this.setPresenter((data as { peerId: string }).peerId);
        return { presenterPeerId: this.presenter };
      }
      case 'viewing:state': {
        if (this.presenter !== peer) throw notPresenter();
        const d = data as Notifications['viewing:state'];
        this.state = d.state;
        this.version += 1;
        this.send(
          'viewing:state',
          { presenterPeerId: peer, state: d.state, version: this.version, sentAt: d.sentAt },
          peer,
        );
        return { version: this.version };
      }
      case 'viewing:annotation': {
        if (this.presenter !== peer) throw notPresenter();
        const c = data as AnnotationChange;
        if (c.op === 'upsert') this.annotations.set(c.annotation.id, c.annotation);
        else if (c.op === 'remove') this.annotations.delete(c.id);
        else for (const a of c.annotations) this.annotations.set(a.id, a);
        this.version += 1;
        this.send('viewing:annotation', { ...c, version: this.version }, peer);
        return { version: this.version };
      }
    }
    throw new Error(`unexpected ${method}`);
  }

  private setPresenter(peerId: string | null) {
    const previousPeerId = this.presenter;
    this.presenter = peerId;
    this.send('viewing:presenter', { presenterPeerId: peerId, previousPeerId, reason: 'present' });
  }

  private send(method: string, data: unknown, except?: string) {
    for (const [peer, listeners] of this.members) {
      if (peer === except) continue;
      for (const fn of listeners.get(method) ?? []) fn(data);
    }
  }
}

function memorySaved(initial: SharedAnnotation[] = []) {
  const saves: SharedAnnotation[][] = [];
  return {
    saves,
    saved: {
      load: async (studyUid: string): Promise<StudyAnnotations> => ({
        studyInstanceUid: studyUid,
        version: initial.length ? 1 : 0,
        savedAt: null,
        savedBy: null,
        annotations: studyUid === STUDY ? initial : [],
      }),
      save: async (studyUid: string, annotations: SharedAnnotation[]): Promise<StudyAnnotations> => {
        saves.push(annotations);
        return {
          studyInstanceUid: studyUid,
          version: saves.length,
          savedAt: 'now',
          savedBy: 'x',
          annotations,
        };
      },
    },
  };
}

/** Resolves when `check` holds, re-checking after every session change or applied state. */
function until(
  sessions: SharedViewingSession[],
  check: () => boolean,
  what: string,
  ms = 2000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const done = () => {
      if (!check()) return;
      for (const off of offs) off();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      for (const off of offs) off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    for (const s of sessions) offs.push(s.on('change', done), s.on('applied', done));
    const tick = setInterval(done, 5);
    offs.push(() => clearInterval(tick));
    done();
  });
}

function setup(...peers: string[]) {
  const room = new FakeRoom();
  const store = memorySaved();
  const make = (peer: string, saved = store.saved) => {
    const session = new SharedViewingSession({
      signaling: room.signaling(peer),
      selfId: peer,
      saved,
      clock,
      saveDelayMs: 20,
    });
    const controller = new FakeController();
    return { peer, session, controller };
  };
  return { room, store, make, clients: peers.map((p) => make(p)) };
}

describe('SharedViewingSession', () => {
  it('mirrors the presenter’s view on followers, who cannot interact while following', async () => {
    const { clients } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    expect(a.session.view().mode).toBe('presenting');
    await until([b.session], () => b.session.view().studyUid === STUDY, 'follower study');
    b.session.attachController(STUDY, b.controller);
    expect(b.controller.interactive).toBe(false);

    a.controller.user('stateChanged', state(12, 300));
    await until([b.session], () => b.controller.state?.imageIndex === 12, 'follower at image 12');
    expect(b.controller.state?.voi).toEqual({ windowCenter: 300, windowWidth: 400 });
    expect(b.session.latencies.length).toBeGreaterThan(0);
  });

  it('sends at most ~30 states a second and always the last one', async () => {
    const { clients, room } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    room.requests.length = 0;
    const started = performance.now();
    for (let i = 0; i < 100; i++) a.controller.user('stateChanged', state(i));
    await until([b.session], () => b.controller.state?.imageIndex === 99, 'final state');
    const sent = room.requests.filter((r) => r === 'viewing:state').length;
    const elapsed = performance.now() - started;
    expect(sent).toBeLessThanOrEqual(Math.ceil(elapsed / 33) + 1);
    expect(sent).toBeLessThan(10);
  });

  it('annotations reach followers, are saved with the study, and a late joiner gets them', async () => {
    const { clients, store, make } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    a.controller.user('annotationChanged', annotation('n1'));
    a.controller.user('annotationChanged', annotation('n2'));
    await until([b.session], () => b.controller.shown.length === 2, 'two annotations on the follower');
    a.controller.user('annotationRemoved', { id: 'n1' });
    await until([b.session], () => b.controller.shown.map((x) => x.id).join() === 'n2', 'removal mirrored');
    await until([a.session], () => a.session.view().save === 'saved', 'saved');
    expect(store.saves.at(-1)?.map((x) => x.id)).toEqual(['n2']);

    const c = make('c');
    await c.session.sync();
    c.session.attachController(STUDY, c.controller);
    expect(c.session.view()).toMatchObject({ mode: 'following', presenterPeerId: 'a', studyUid: STUDY });
    // Annotations are placed once the viewer shows an image (the presenter's state brings one).
    await until([c.session], () => c.controller.state !== null, 'late joiner state');
    await until(
      [c.session],
      () => c.controller.shown.map((x) => x.id).join() === 'n2',
      'late joiner annotations',
    );
  });

  it('the presenter brings the study’s saved annotations into a room that has none', async () => {
    const { make, room } = setup();
    const saved = memorySaved([annotation('old1'), annotation('old2')]);
    const a = make('a', saved.saved);
    a.session.attachController(STUDY, a.controller);
    a.session.openStudy(STUDY);
    // Nobody presents: the saved set is shown read-only.
    await until([a.session], () => a.controller.shown.length === 2, 'saved set shown');
    await a.session.present();
    await until([a.session], () => room.annotations.size === 2, 'room got the saved set');
  });

  it('a follower may detach (own view, nothing applied) and re-sync to the latest state', async () => {
    const { clients } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    a.controller.user('stateChanged', state(3));
    await until([b.session], () => b.controller.state?.imageIndex === 3, 'follower at 3');
    b.session.detach();
    expect(b.session.view().mode).toBe('detached');
    expect(b.controller.interactive).toBe(true);
    const appliedBefore = b.controller.applied.length;
    a.controller.user('stateChanged', state(8));
    await until([a.session], () => a.session.view().mode === 'presenting', 'noop');
    // The message reached b (its room state moved) but was not applied.
    await b.session.sync();
    await b.session.resync();
    await until([b.session], () => b.controller.state?.imageIndex === 8, 'resynced to 8');
    expect(b.controller.applied.length).toBeGreaterThan(appliedBefore);
    expect(b.controller.interactive).toBe(false);
  });

  it('handover makes the old presenter a follower; a follower’s own changes are never sent', async () => {
    const { clients, room } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    b.controller.user('stateChanged', state(50));
    await a.session.handover('b');
    expect(a.session.view().mode).toBe('following');
    await until([b.session], () => b.session.view().mode === 'presenting', 'b presents');
    // b's own scroll while it was following never reached the room.
    expect(room.state?.imageIndex).not.toBe(50);
    b.controller.user('stateChanged', state(21, 70));
    await until([a.session], () => a.controller.state?.imageIndex === 21, 'a follows b');
    expect(room.state?.imageIndex).toBe(21);
  });

  it('carries the presenter’s ECG position to followers', async () => {
    const { clients } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    a.controller.state = state(0);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    const seen: unknown[] = [];
    b.session.on('ecg', (p) => seen.push(p));
    const position = { sopInstanceUid: '1.2.3.4.9', layout: '3x4+1', speed: 25, gain: 10, scrollTime: 2.5 };
    a.session.setEcgPosition(position);
    await until([b.session], () => seen.length === 1, 'ecg position on the follower');
    expect(seen[0]).toEqual(position);
    // The viewer never sees the ECG part (it is not part of ViewerState).
    expect(b.controller.applied.every((s) => !('ecg' in s))).toBe(true);
  });

  it('a follower shown another study follows the presenter into the new one', async () => {
    const { clients } = setup('a', 'b');
    const [a, b] = clients as [
      ReturnType<ReturnType<typeof setup>['make']>,
      ReturnType<ReturnType<typeof setup>['make']>,
    ];
    a.session.openStudy(STUDY);
    a.session.attachController(STUDY, a.controller);
    await a.session.present();
    b.session.attachController(STUDY, b.controller);
    a.session.openStudy(OTHER);
    await until([b.session], () => b.session.view().studyUid === OTHER, 'follower switched study');
    // The panel swaps viewers; the new one gets the presenter's state as soon as it is attached.
    b.session.attachController(STUDY, null);
    const other = new FakeController();
    b.session.attachController(OTHER, other);
    a.session.attachController(OTHER, a.controller);
    a.controller.user('stateChanged', state(4, 40, OTHER));
    await until([b.session], () => other.state?.imageIndex === 4, 'state in the new study');
  });
});
