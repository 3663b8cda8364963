// Cornerstone annotations <-> the controller's `Annotation` (the shape the consult room mirrors), and the
// one-line text of a measurement shown under the viewport. Handles are world coordinates (mm), so an
// annotation lands on the same anatomy in every participant's viewer.
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import type { Annotation, AnnotationKind } from './controller.js';
import { parseWadorsImageId } from './dicomweb.js';

const KIND_BY_TOOL: Record<string, AnnotationKind> = {
  Length: 'length',
  Angle: 'angle',
  EllipticalROI: 'ellipticalRoi',
  RectangleROI: 'rectangleRoi',
  Probe: 'probe',
  ArrowAnnotate: 'arrow',
};
const TOOL_BY_KIND = Object.fromEntries(Object.entries(KIND_BY_TOOL).map(([k, v]) => [v, k])) as Record<
  AnnotationKind,
  string
>;

type CsAnnotation = ToolTypes.Annotation;
type Stats = Record<string, unknown>;

export function kindOfTool(toolName: string | undefined): AnnotationKind | undefined {
  return toolName ? KIND_BY_TOOL[toolName] : undefined;
}

function firstStats(a: CsAnnotation): Stats | undefined {
  const cached = (a.data as { cachedStats?: Record<string, Stats> }).cachedStats;
  if (!cached) return undefined;
  return Object.values(cached)[0];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Displayed values only (numbers and units); the pixel lists Cornerstone caches are left out. */
export function statsOf(a: CsAnnotation): Record<string, number | string> | undefined {
  const s = firstStats(a);
  if (!s) return undefined;
  const out: Record<string, number | string> = {};
  for (const key of ['length', 'angle', 'mean', 'stdDev', 'area', 'min', 'max', 'value']) {
    const v = num(s[key]);
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['unit', 'areaUnit', 'modalityUnit']) {
    if (typeof s[key] === 'string') out[key] = s[key];
  }
  return Object.keys(out).length ? out : undefined;
}

export interface MeasurementLabels {
  mean: string;
  sd: string;
  area: string;
}

/** "42.1 mm", "87.3°", "mean 40.2 HU, SD 12.0, area 153.9 mm²", "-998 HU". */
export function measurementText(
  kind: AnnotationKind,
  stats: Record<string, number | string> | undefined,
  labels: MeasurementLabels,
): string {
  if (!stats) return '';
  const fmt = (v: number | string | undefined, digits = 1) =>
    typeof v === 'number' ? v.toFixed(digits) : '';
  const unit = (u: number | string | undefined) => (typeof u === 'string' && u ? ` ${u}` : '');
  switch (kind) {
    case 'length':
      return stats.length === undefined ? '' : `${fmt(stats.length)}${unit(stats.unit ?? 'mm')}`;
    case 'angle':
      return stats.angle === undefined ? '' : `${fmt(stats.angle)}°`;
    case 'ellipticalRoi':
    case 'rectangleRoi':
      if (stats.mean === undefined) return '';
      return `${labels.mean} ${fmt(stats.mean)}${unit(stats.modalityUnit)}, ${labels.sd} ${fmt(stats.stdDev)}, ${labels.area} ${fmt(stats.area)}${unit(stats.areaUnit)}`;
    case 'probe':
      return stats.value === undefined ? '' : `${fmt(stats.value)}${unit(stats.modalityUnit)}`;
    default:
      return '';
  }
}

/** Null for annotations of tools we do not mirror or without a wadors image. */
export function toAnnotation(a: CsAnnotation, authorId: string, createdAt: string): Annotation | null {
  const kind = kindOfTool(a.metadata?.toolName);
  const imageId = a.metadata?.referencedImageId;
  const parsed = imageId ? parseWadorsImageId(imageId) : null;
  if (!kind || !parsed || !a.annotationUID) return null;
  const points = (a.data?.handles?.points ?? []).map((p) => [p[0], p[1], p[2]] as [number, number, number]);
  const stats = statsOf(a);
  const label = (a.data as { label?: string }).label;
  return {
    id: a.annotationUID,
    kind,
    studyInstanceUid: parsed.studyUid,
    seriesInstanceUid: parsed.seriesUid,
    sopInstanceUid: parsed.sopUid,
    frameNumber: parsed.frame,
    points,
    ...(label ? { label } : {}),
    ...(stats ? { stats } : {}),
    authorId,
    createdAt,
  };
}

/** A Cornerstone annotation for `a` on `imageId`; its stats are recomputed by the tool on render. */
export function fromAnnotation(
  a: Annotation,
  imageId: string,
  plane: {
    viewPlaneNormal: [number, number, number];
    viewUp: [number, number, number];
    frameOfReferenceUID: string;
  },
): CsAnnotation {
  return {
    annotationUID: a.id,
    highlighted: false,
    isLocked: false,
    isVisible: true,
    invalidated: true,
    metadata: {
      toolName: TOOL_BY_KIND[a.kind],
      referencedImageId: imageId,
      FrameOfReferenceUID: plane.frameOfReferenceUID,
      viewPlaneNormal: plane.viewPlaneNormal,
      viewUp: plane.viewUp,
    },
    data: {
      label: a.label ?? '',
      handles: {
        points: a.points.map((p) => [...p] as [number, number, number]),
        activeHandleIndex: null,
        textBox: {
          hasMoved: false,
          worldPosition: [0, 0, 0],
          worldBoundingBox: {
            topLeft: [0, 0, 0],
            topRight: [0, 0, 0],
            bottomLeft: [0, 0, 0],
            bottomRight: [0, 0, 0],
          },
        },
      },
      cachedStats: {},
    },
  } as unknown as CsAnnotation;
}
