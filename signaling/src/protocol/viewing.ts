// Shared viewing in a consult room (issue 4): one participant presents a study, the others follow.
// The presenter's viewer state and annotations travel through the room's Socket.IO requests and are
// mirrored on every follower. Shapes match viewer/src/imaging/controller.ts (ViewerState, Annotation)
// plus an optional ECG position; every number is bounded so a hostile client cannot make followers
// render nonsense or hold megabytes per room.
import { z } from 'zod';
import { DicomUidSchema } from './http.js';
import { IdSchema } from './media.js';

/** Annotations kept per room (and per saved study sidecar). */
export const MAX_ROOM_ANNOTATIONS = 500;
export const MAX_ANNOTATION_POINTS = 64;
export const MAX_ANNOTATION_LABEL_CHARS = 200;

const finite = z.number().finite();
const bounded = (limit: number) => finite.min(-limit).max(limit);

export const VoiSchema = z
  .object({ windowCenter: bounded(1e7), windowWidth: finite.min(0).max(1e7) })
  .strict();

export const CameraStateSchema = z
  .object({
    zoom: finite.positive().max(1000),
    pan: z.tuple([bounded(1e6), bounded(1e6)]),
    rotation: bounded(3600),
    flipHorizontal: z.boolean(),
    flipVertical: z.boolean(),
  })
  .strict();

export const CineStateSchema = z
  .object({ playing: z.boolean(), framesPerSecond: finite.min(0).max(240) })
  .strict();

/** Where the presenter is in a 12-lead ECG (the ECG viewer may drive it later). */
export const EcgPositionSchema = z
  .object({
    sopInstanceUid: DicomUidSchema,
    layout: z.string().min(1).max(16),
    /** Paper speed, mm/s. */
    speed: finite.positive().max(200),
    /** Gain, mm/mV. */
    gain: finite.positive().max(200),
    /** Left edge of the displayed strip, seconds from the start of the recording. */
    scrollTime: finite.min(0).max(86_400),
  })
  .strict();

export const SharedViewerStateSchema = z
  .object({
    studyInstanceUid: DicomUidSchema,
    seriesInstanceUid: DicomUidSchema.nullable(),
    imageIndex: z.number().int().min(0).max(100_000),
    voi: VoiSchema.nullable(),
    camera: CameraStateSchema,
    invert: z.boolean(),
    cine: CineStateSchema,
    ecg: EcgPositionSchema.nullable().optional(),
  })
  .strict();

export const AnnotationKindSchema = z.enum([
  'length',
  'angle',
  'ellipticalRoi',
  'rectangleRoi',
  'probe',
  'arrow',
]);

export const AnnotationIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a valid annotation id');

export const AnnotationSchema = z
  .object({
    id: AnnotationIdSchema,
    kind: AnnotationKindSchema,
    studyInstanceUid: DicomUidSchema,
    seriesInstanceUid: DicomUidSchema,
    sopInstanceUid: DicomUidSchema,
    frameNumber: z.number().int().min(0).max(100_000),
    points: z
      .array(z.tuple([bounded(1e6), bounded(1e6), bounded(1e6)]))
      .min(1)
      .max(MAX_ANNOTATION_POINTS),
    label: z.string().max(MAX_ANNOTATION_LABEL_CHARS).optional(),
    stats: z
      .record(z.string().max(32), z.union([finite, z.string().max(64)]))
      .refine((s) => Object.keys(s).length <= 16, 'at most 16 stats')
      .optional(),
    authorId: z.string().min(1).max(64),
    createdAt: z.string().min(1).max(40),
  })
  .strict();

export type SharedViewerState = z.infer<typeof SharedViewerStateSchema>;
export type EcgPosition = z.infer<typeof EcgPositionSchema>;
export type SharedAnnotation = z.infer<typeof AnnotationSchema>;

/** Annotations one `replace` may carry (the 64 KiB message limit usually bites first). */
export const MAX_REPLACE_ANNOTATIONS = 200;

export const AnnotationChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('upsert'), annotation: AnnotationSchema }).strict(),
  z.object({ op: z.literal('remove'), id: AnnotationIdSchema }).strict(),
  /** The study's whole set at once: the saved annotations loaded when a study is opened in a room. */
  z
    .object({
      op: z.literal('replace'),
      studyInstanceUid: DicomUidSchema,
      annotations: z.array(AnnotationSchema).max(MAX_REPLACE_ANNOTATIONS),
    })
    .strict(),
]);
export type AnnotationChange = z.infer<typeof AnnotationChangeSchema>;

const empty = z.object({}).strict();

/** Merged into `RequestSchemas`. */
export const ViewingRequestSchemas = {
  /** Become the presenter (refused while another connected participant presents). */
  'viewing:present': empty,
  /** Stop presenting; the state and annotations stay for the next presenter. */
  'viewing:stop': empty,
  'viewing:handover': z.object({ peerId: IdSchema }).strict(),
  /** Presenter only. `sentAt` (the sender's clock, ms) is relayed untouched for latency measurement. */
  'viewing:state': z.object({ state: SharedViewerStateSchema, sentAt: finite.min(0).optional() }).strict(),
  /** Presenter only. */
  'viewing:annotation': AnnotationChangeSchema,
  /** The room's current presenter, state and annotations (late join, re-sync after detaching). */
  'viewing:sync': empty,
} as const;

export interface ViewingSnapshot {
  presenterPeerId: string | null;
  state: SharedViewerState | null;
  annotations: SharedAnnotation[];
  /** Increases with every state or annotation change in this live room. */
  version: number;
}

export interface ViewingResponses {
  'viewing:present': ViewingSnapshot;
  'viewing:stop': Record<string, never>;
  'viewing:handover': { presenterPeerId: string };
  'viewing:state': { version: number };
  'viewing:annotation': { version: number };
  'viewing:sync': ViewingSnapshot;
}

export type PresenterChangeReason = 'present' | 'handover' | 'stop' | 'left';

export interface ViewingNotifications {
  'viewing:presenter': {
    presenterPeerId: string | null;
    previousPeerId: string | null;
    reason: PresenterChangeReason;
  };
  'viewing:state': { presenterPeerId: string; state: SharedViewerState; version: number; sentAt?: number };
  'viewing:annotation': AnnotationChange & { version: number };
  /** Sent to a participant right after they take a new seat: the room's shared view so far. */
  'viewing:snapshot': ViewingSnapshot;
}

// HTTP (PACS bridge): annotations saved with a study, as append-only versions of a JSON sidecar.
// `GET /api/annotations/studies/{study}[?version=n]` → StudyAnnotations (version 0: nothing saved);
// `PUT /api/annotations/studies/{study}` with SaveStudyAnnotationsRequest → StudyAnnotations (the new
// version); `baseVersion` makes the save conditional (409 if someone saved in between).
export interface SaveStudyAnnotationsRequest {
  annotations: SharedAnnotation[];
  roomId?: string;
  baseVersion?: number;
}
export interface StudyAnnotations {
  studyInstanceUid: string;
  version: number;
  savedAt: string | null;
  savedBy: string | null;
  roomId?: string;
  annotations: SharedAnnotation[];
}
