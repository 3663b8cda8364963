// The annotations of one viewer's series, both ways: Cornerstone's annotation events → the controller's
// `annotationChanged` / `annotationRemoved` (local edits only), and a room's set → Cornerstone state.
import { eventTarget, type Types } from '@cornerstonejs/core';
import {
  annotation as csAnnotation,
  Enums as ToolEnums,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { fromAnnotation, toAnnotation } from './annotations.js';
import type { Annotation } from './controller.js';

export interface AnnotationHost {
  element: HTMLDivElement;
  viewport: Types.IStackViewport;
  studyUid: string;
  authorId: string;
  /** Image ids of the shown series (annotations elsewhere are not ours). */
  imageIds(): string[];
  changed(annotation: Annotation): void;
  removed(id: string): void;
  /** Any change, local or applied (the measurement text follows it). */
  touched(): void;
}

const EVENTS = [
  ToolEnums.Events.ANNOTATION_COMPLETED,
  ToolEnums.Events.ANNOTATION_MODIFIED,
  ToolEnums.Events.ANNOTATION_REMOVED,
];

export class AnnotationSync {
  private readonly createdAt = new Map<string, string>();
  private applying = 0;
  private readonly listener = (evt: Event) => this.onEvent(evt as CustomEvent);

  constructor(private readonly host: AnnotationHost) {
    for (const ev of EVENTS) eventTarget.addEventListener(ev, this.listener);
  }

  list(): Annotation[] {
    return this.own()
      .map((a) => toAnnotation(a, this.host.authorId, this.createdAtOf(a.annotationUID!)))
      .filter((a): a is Annotation => a !== null);
  }

  /** Replaces the shown series' annotations with `annotations` (no events go out for them). */
  apply(annotations: Annotation[]): void {
    const { viewport } = this.host;
    this.applying++;
    try {
      for (const a of this.own()) csAnnotation.state.removeAnnotation(a.annotationUID!);
      const camera = viewport.getCamera();
      const plane = {
        viewPlaneNormal: camera.viewPlaneNormal as [number, number, number],
        viewUp: camera.viewUp as [number, number, number],
        frameOfReferenceUID: viewport.getFrameOfReferenceUID(),
      };
      const ids = this.host.imageIds();
      for (const a of annotations) {
        if (a.studyInstanceUid !== this.host.studyUid) continue;
        const suffix = `/instances/${encodeURIComponent(a.sopInstanceUid)}/frames/${a.frameNumber}`;
        const imageId = ids.find((id) => id.endsWith(suffix));
        if (!imageId) continue;
        this.createdAt.set(a.id, a.createdAt);
        csAnnotation.state.addAnnotation(fromAnnotation(a, imageId, plane), this.host.element);
      }
      viewport.render();
    } finally {
      this.applying--;
    }
  }

  /** Removes the shown series' annotations (each removal is reported like a user's). */
  clear(): void {
    for (const a of this.own()) csAnnotation.state.removeAnnotation(a.annotationUID!);
    this.host.viewport.render();
  }

  destroy(): void {
    for (const ev of EVENTS) eventTarget.removeEventListener(ev, this.listener);
  }

  private own(): ToolTypes.Annotation[] {
    const ids = new Set(this.host.imageIds());
    return csAnnotation.state
      .getAllAnnotations()
      .filter((a) => !!a.metadata?.referencedImageId && ids.has(a.metadata.referencedImageId));
  }

  private createdAtOf(id: string): string {
    let at = this.createdAt.get(id);
    if (!at) {
      at = new Date().toISOString();
      this.createdAt.set(id, at);
    }
    return at;
  }

  private onEvent(evt: CustomEvent): void {
    const a = (evt.detail as { annotation?: ToolTypes.Annotation }).annotation;
    const imageId = a?.metadata?.referencedImageId;
    if (!a?.annotationUID || !imageId || !this.host.imageIds().includes(imageId)) return;
    this.host.touched();
    if (this.applying) return;
    if (evt.type === ToolEnums.Events.ANNOTATION_REMOVED) {
      this.createdAt.delete(a.annotationUID);
      this.host.removed(a.annotationUID);
      return;
    }
    const mapped = toAnnotation(a, this.host.authorId, this.createdAtOf(a.annotationUID));
    if (mapped) this.host.changed(mapped);
  }
}
