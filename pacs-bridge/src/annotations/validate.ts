// What a saved annotation set must look like. The consult room validated every annotation with the
// protocol's zod schema before anyone saw it; this is the bridge's own edge check for a direct PUT:
// shape, identity (every annotation belongs to this study) and size, without a dependency on
// signalling's protocol package.
export const MAX_SIDECAR_ANNOTATIONS = 500;
export const MAX_ANNOTATION_JSON_BYTES = 8 * 1024;
export const MAX_SIDECAR_BODY_BYTES = 1024 * 1024;

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const KINDS = new Set(['length', 'angle', 'ellipticalRoi', 'rectangleRoi', 'probe', 'arrow']);

export const isUid = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && UID.test(v);

export interface SaveBody {
  annotations: Array<Record<string, unknown>>;
  roomId?: string;
  baseVersion?: number;
}

/** The parsed body, or the reason it is refused. */
export function parseSaveBody(body: unknown, studyInstanceUid: string): SaveBody | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the body must be a JSON object';
  const { annotations, roomId, baseVersion, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `unknown field ${Object.keys(rest)[0]!.slice(0, 32)}`;
  if (!Array.isArray(annotations)) return 'annotations must be an array';
  if (annotations.length > MAX_SIDECAR_ANNOTATIONS) return `at most ${MAX_SIDECAR_ANNOTATIONS} annotations`;
  if (roomId !== undefined && (typeof roomId !== 'string' || !ID.test(roomId))) return 'roomId is not valid';
  if (baseVersion !== undefined && (!Number.isSafeInteger(baseVersion) || (baseVersion as number) < 0))
    return 'baseVersion must be a non-negative integer';
  const ids = new Set<string>();
  for (const [i, a] of annotations.entries()) {
    const why = annotationProblem(a, studyInstanceUid);
    if (why) return `annotation ${i}: ${why}`;
    const id = (a as { id: string }).id;
    if (ids.has(id)) return `annotation ${i}: duplicate id`;
    ids.add(id);
  }
  return {
    annotations: annotations as Array<Record<string, unknown>>,
    ...(roomId !== undefined ? { roomId: roomId as string } : {}),
    ...(baseVersion !== undefined ? { baseVersion: baseVersion as number } : {}),
  };
}

function annotationProblem(a: unknown, studyInstanceUid: string): string | null {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return 'not an object';
  const o = a as Record<string, unknown>;
  if (typeof o.id !== 'string' || !ID.test(o.id)) return 'id is not valid';
  if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) return 'kind is not valid';
  if (o.studyInstanceUid !== studyInstanceUid) return 'belongs to another study';
  if (!isUid(o.seriesInstanceUid) || !isUid(o.sopInstanceUid)) return 'series or instance UID is not valid';
  if (!Number.isInteger(o.frameNumber) || (o.frameNumber as number) < 0) return 'frameNumber is not valid';
  const points = o.points;
  if (!Array.isArray(points) || points.length === 0 || points.length > 64)
    return 'points must be 1 to 64 points';
  for (const p of points) {
    if (!Array.isArray(p) || p.length !== 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n)))
      return 'a point must be three finite numbers';
  }
  if (typeof o.authorId !== 'string' || o.authorId.length === 0 || o.authorId.length > 64)
    return 'authorId is not valid';
  if (typeof o.createdAt !== 'string' || o.createdAt.length > 40) return 'createdAt is not valid';
  if (o.label !== undefined && (typeof o.label !== 'string' || o.label.length > 200))
    return 'label is too long';
  if (Buffer.byteLength(JSON.stringify(o)) > MAX_ANNOTATION_JSON_BYTES) return 'too large';
  return null;
}
