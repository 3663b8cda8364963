// Shared viewing of one live consult room: who presents, the presenter's last viewer state and the
// room's annotations. Only the presenter changes them; everyone else is told. The state outlives
// its presenter (a dropped or departed presenter leaves the picture as it was for whoever presents
// next), and it ends with the live room: what must last (annotations) is saved with the study by the
// viewer through the PACS bridge.
import {
  MAX_ROOM_ANNOTATIONS,
  ProtocolError,
  type AnnotationChange,
  type PresenterChangeReason,
  type SharedAnnotation,
  type SharedViewerState,
  type ViewingSnapshot,
} from '../../protocol/index.js';
import type { Peer } from '../peer.js';
import type { RoomFeature } from '../room-features.js';
import type { Room } from '../room.js';

export const VIEWING_FEATURE = 'viewing';

export interface SharedViewingOptions {
  /**
   * Is the study attached to this consult room? Only attached studies are readable by everyone in
   * the room, so only they may be shown or annotated; absent (no PACS here): not checked.
   */
  studyAttached?: (roomId: string, studyInstanceUid: string) => boolean;
}

export class SharedViewing implements RoomFeature {
  readonly name = VIEWING_FEATURE;
  /** The last study found attached: a state stream about one study is checked once. */
  private checkedStudy: string | null = null;
  private presenterPeerId: string | null = null;
  private state: SharedViewerState | null = null;
  private readonly annotations = new Map<string, SharedAnnotation>();
  private version = 0;

  constructor(
    private readonly room: Room,
    private readonly options: SharedViewingOptions = {},
  ) {}

  snapshot(): ViewingSnapshot {
    return {
      presenterPeerId: this.presenterPeerId,
      state: this.state,
      annotations: [...this.annotations.values()],
      version: this.version,
    };
  }

  /**
   * Takes the presenter's seat. Refused while someone else presents and is connected: presenting
   * changes hands by handover, so nobody loses the floor mid-sentence. A presenter who dropped
   * (reconnecting) may be replaced at once.
   */
  present(peer: Peer): ViewingSnapshot {
    const current = this.presenterPeerId;
    if (current !== peer.id) {
      const holder = current ? this.room.peer(current) : undefined;
      if (holder && holder.status === 'connected') {
        throw new ProtocolError(
          'CONFLICT',
          `${holder.user.displayName} is presenting; ask them to hand over`,
        );
      }
      this.setPresenter(peer.id, 'present');
    }
    return this.snapshot();
  }

  stop(peer: Peer): void {
    if (this.presenterPeerId !== peer.id) return;
    this.setPresenter(null, 'stop');
  }

  handover(peer: Peer, targetPeerId: string): string {
    this.assertPresenter(peer);
    if (targetPeerId === peer.id) return peer.id;
    const target = this.room.peer(targetPeerId);
    if (!target) throw new ProtocolError('NOT_FOUND', 'That participant is not in this consult room');
    if (target.status !== 'connected')
      throw new ProtocolError('CONFLICT', 'That participant is reconnecting; try again shortly');
    this.setPresenter(target.id, 'handover');
    return target.id;
  }

  setState(peer: Peer, state: SharedViewerState, sentAt?: number): number {
    this.assertPresenter(peer);
    this.assertAttached(state.studyInstanceUid);
    this.state = state;
    this.version += 1;
    this.room.broadcast(
      'viewing:state',
      { presenterPeerId: peer.id, state, version: this.version, ...(sentAt !== undefined ? { sentAt } : {}) },
      peer.id,
    );
    return this.version;
  }

  annotate(peer: Peer, change: AnnotationChange): number {
    this.assertPresenter(peer);
    if (change.op === 'upsert') this.assertAttached(change.annotation.studyInstanceUid);
    if (change.op === 'replace') this.assertAttached(change.studyInstanceUid);
    if (change.op === 'upsert') {
      const { annotation } = change;
      if (!this.annotations.has(annotation.id) && this.annotations.size >= MAX_ROOM_ANNOTATIONS) {
        throw new ProtocolError('TOO_LARGE', `At most ${MAX_ROOM_ANNOTATIONS} annotations per consult`);
      }
      this.annotations.set(annotation.id, annotation);
    } else if (change.op === 'replace') {
      const others = [...this.annotations.values()].filter(
        (a) => a.studyInstanceUid !== change.studyInstanceUid,
      );
      if (change.annotations.some((a) => a.studyInstanceUid !== change.studyInstanceUid))
        throw new ProtocolError('BAD_REQUEST', 'Every annotation must belong to the study being replaced');
      if (others.length + change.annotations.length > MAX_ROOM_ANNOTATIONS)
        throw new ProtocolError('TOO_LARGE', `At most ${MAX_ROOM_ANNOTATIONS} annotations per consult`);
      this.annotations.clear();
      for (const a of [...others, ...change.annotations]) this.annotations.set(a.id, a);
    } else if (!this.annotations.delete(change.id)) {
      // Removing what is already gone is not worth an error; nobody needs to hear about it.
      return this.version;
    }
    this.version += 1;
    this.room.broadcast('viewing:annotation', { ...change, version: this.version }, peer.id);
    return this.version;
  }

  peerJoined(peer: Peer): void {
    // Held by the session until the join answer is out, so it arrives right after it.
    peer.notify('viewing:snapshot', this.snapshot());
  }

  peerLeft(peerId: string): void {
    if (this.presenterPeerId === peerId) this.setPresenter(null, 'left');
  }

  close(): void {
    this.annotations.clear();
    this.state = null;
    this.presenterPeerId = null;
  }

  private assertPresenter(peer: Peer): void {
    if (this.presenterPeerId !== peer.id)
      throw new ProtocolError('NOT_PRESENTER', 'Only the presenter may change the shared view');
  }

  private assertAttached(studyInstanceUid: string): void {
    const attached = this.options.studyAttached;
    if (!attached || studyInstanceUid === this.checkedStudy) return;
    if (!attached(this.room.id, studyInstanceUid))
      throw new ProtocolError('FORBIDDEN', 'Only studies attached to this consult room can be shown in it');
    this.checkedStudy = studyInstanceUid;
  }

  private setPresenter(peerId: string | null, reason: PresenterChangeReason): void {
    const previousPeerId = this.presenterPeerId;
    this.presenterPeerId = peerId;
    this.room.broadcast('viewing:presenter', { presenterPeerId: peerId, previousPeerId, reason });
  }
}

/** The room-feature factory: `sharedViewing` unchecked, or `sharedViewing.with({ studyAttached })`. */
export const sharedViewing = Object.assign((room: Room): SharedViewing => new SharedViewing(room), {
  with: (options: SharedViewingOptions) => (room: Room) => new SharedViewing(room, options),
});
