// Building a channel from stored integers, the same way for every source: calibrated value =
// raw × sensitivity × correction + baseline (PS3.3 C.10.9.1.4.3), then voltages scaled to µV.
import { normaliseLead } from './leads.js';
import type { CodedConcept, EcgChannel } from './model.js';
import { toMicrovolt } from './units.js';

export interface ChannelSpec {
  code?: CodedConcept;
  label?: string;
  /** Units of `sensitivity` and `baseline` as the source gives them (UCUM). */
  units?: string;
  sensitivity?: number;
  sensitivityCorrection?: number;
  baseline?: number;
  paddingValue?: number;
  filterLowHz?: number;
  filterHighHz?: number;
  notchHz?: number;
}

export function buildChannel(raw: Int32Array, spec: ChannelSpec): EcgChannel {
  // Without a sensitivity the values have no physical meaning (DICOM makes it Type 1C); keep them
  // as plain counts rather than guessing a scale.
  const scaled = spec.sensitivity !== undefined;
  const { units, factor } = scaled ? toMicrovolt(spec.units) : { units: '1', factor: 1 };
  const sensitivity = (spec.sensitivity ?? 1) * factor;
  const correction = spec.sensitivityCorrection ?? 1;
  const baseline = (spec.baseline ?? 0) * factor;
  const step = sensitivity * correction;
  const samples = new Float32Array(raw.length);
  const pad = spec.paddingValue;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as number;
    samples[i] = pad !== undefined && r === pad ? NaN : r * step + baseline;
  }
  const label = spec.label ?? spec.code?.meaning ?? spec.code?.value ?? '';
  return {
    lead: normaliseLead(spec.code, spec.label ?? spec.code?.meaning),
    label,
    ...(spec.code ? { source: spec.code } : {}),
    units,
    sensitivity,
    sensitivityCorrection: correction,
    baseline,
    ...(spec.filterLowHz !== undefined ? { filterLowHz: spec.filterLowHz } : {}),
    ...(spec.filterHighHz !== undefined ? { filterHighHz: spec.filterHighHz } : {}),
    ...(spec.notchHz !== undefined ? { notchHz: spec.notchHz } : {}),
    raw,
    samples,
  };
}
