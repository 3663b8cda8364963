// Labels of the structured report fields in the PDF and the DICOM SR, bilingual like the printed
// report (the browser has its own catalogue in viewer/src/reports/messages.ts).
import { structuredFieldsFor } from '../protocol/index.js';

const LABELS: Record<string, string> = {
  contrast: '对比剂 Contrast',
  region: '部位 Region',
  sliceMm: '层厚 Slice thickness',
  sequences: '序列 Sequences',
  projection: '投照体位 Projection',
  probe: '探头 Probe',
  rhythm: '节律 Rhythm',
  rateBpm: '心率 Heart rate',
  prMs: 'PR 间期 PR interval',
  qrsMs: 'QRS 时限 QRS duration',
  qtMs: 'QT 间期 QT interval',
  qtcMs: 'QTc',
  axisDeg: '电轴 Axis',
};

const OPTIONS: Record<string, string> = {
  none: '无 none',
  iv: '静脉 IV',
  oral: '口服 oral',
  ivOral: '静脉+口服 IV + oral',
  gadolinium: '钆剂 gadolinium',
  pa: '后前位 PA',
  ap: '前后位 AP',
  lateral: '侧位 lateral',
  oblique: '斜位 oblique',
  linear: '线阵 linear',
  convex: '凸阵 convex',
  phased: '相控阵 phased',
};

/** The report's fields in catalogue order, with labels and units, for the PDF and the SR. */
export function labelledFields(modality: string | undefined, fields: Record<string, string>) {
  return structuredFieldsFor(modality)
    .filter((def) => fields[def.key])
    .map((def) => {
      const raw = fields[def.key]!;
      const value = def.kind === 'select' ? (OPTIONS[raw] ?? raw) : def.unit ? `${raw} ${def.unit}` : raw;
      return { code: def.key, label: LABELS[def.key] ?? def.key, value };
    });
}
