// HL7 aECG (HL7 v3 Annotated ECG, the FDA submission format) → EcgRecording. Each series (and
// each derivedSeries, e.g. representative beats) holds sequenceSets; a sequenceSet is one time
// sequence (GLIST head + increment) plus one SLIST_PQ per lead, value = origin + scale × digit.
// Digits are kept as the raw integers and scale/origin become sensitivity/baseline, so writing
// the recording back as DICOM stores the very same integers.
import {
  attr,
  child,
  children,
  childText,
  parseAecgXml,
  path,
  quantity,
  text,
  type XmlNode,
} from './aecg-xml.js';
import { buildChannel } from './channel.js';
import { orderChannels } from './leads.js';
import {
  EcgError,
  EcgSubject,
  type EcgChannel,
  type EcgGroup,
  type EcgSubjectData,
  type ImportedEcg,
} from './model.js';
import { microvoltFactor } from './units.js';

const SECONDS: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, min: 60 };

interface Filters {
  filterLowHz?: number;
  filterHighHz?: number;
  notchHz?: number;
}

/** Filter settings from the series' controlVariables (MDC_ECG_CTL_VBL_ATTR_FILTER_*). */
function filtersOf(series: XmlNode): Filters {
  const out: Filters = {};
  for (const outer of children(series, 'controlVariable')) {
    const cv = child(outer, 'controlVariable') ?? outer;
    const kind = attr(child(cv, 'code'), 'code');
    for (const comp of children(cv, 'component')) {
      const inner = child(comp, 'controlVariable');
      const what = attr(child(inner, 'code'), 'code');
      const q = quantity(child(inner, 'value'));
      if (!q || (q.unit && q.unit !== 'Hz')) continue;
      if (
        kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_LOW_PASS' &&
        what === 'MDC_ECG_CTL_VBL_ATTR_FILTER_CUTOFF_FREQ'
      )
        out.filterHighHz = q.value;
      if (
        kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_HIGH_PASS' &&
        what === 'MDC_ECG_CTL_VBL_ATTR_FILTER_CUTOFF_FREQ'
      )
        out.filterLowHz = q.value;
      if (kind === 'MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH' && what === 'MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH_FREQ')
        out.notchHz = q.value;
    }
  }
  return out;
}

function parseDigits(digits: string, where: string): Int32Array {
  const tokens = digits.split(/\s+/).filter((t) => t !== '');
  const out = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const v = Number(tokens[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new EcgError('malformed', `${where}: digit ${i + 1} is not an integer`);
    }
    out[i] = v;
  }
  return out;
}

function leadChannel(sequence: XmlNode, where: string, filters: Filters): EcgChannel {
  const codeNode = child(sequence, 'code');
  const codeValue = attr(codeNode, 'code') ?? 'unknown';
  const value = child(sequence, 'value');
  const type = attr(value, 'type');
  if (type !== 'SLIST_PQ' && type !== 'SLIST_INT') {
    throw new EcgError(
      'unsupported',
      `${where} (${codeValue}): value type ${type ?? 'missing'} is not supported`,
    );
  }
  const digits = childText(value, 'digits');
  if (!digits) throw new EcgError('malformed', `${where} (${codeValue}) has no digits`);
  const raw = parseDigits(digits, `${where} (${codeValue})`);
  const scale = quantity(child(value, 'scale'));
  const origin = quantity(child(value, 'origin'));
  if (type === 'SLIST_PQ' && !scale) throw new EcgError('malformed', `${where} (${codeValue}) has no scale`);
  if (scale && scale.value === 0) throw new EcgError('malformed', `${where} (${codeValue}) has scale 0`);
  // Origin may be in other units than scale (e.g. mV vs uV): express it in scale's units.
  let baseline = origin?.value ?? 0;
  const sf = microvoltFactor(scale?.unit);
  const of = microvoltFactor(origin?.unit);
  if (origin && sf !== undefined && of !== undefined) baseline = (origin.value * of) / sf;
  const scheme = attr(codeNode, 'codeSystemName') ?? 'MDC';
  const meaning = attr(codeNode, 'displayName');
  return buildChannel(raw, {
    code: { value: codeValue, scheme, ...(meaning ? { meaning } : {}) },
    label: codeValue,
    ...(scale?.unit ? { units: scale.unit } : {}),
    ...(scale ? { sensitivity: scale.value } : {}),
    baseline,
    ...filters,
  });
}

function groupOf(
  set: XmlNode,
  label: string,
  originality: 'ORIGINAL' | 'DERIVED',
  filters: Filters,
  where: string,
): EcgGroup | undefined {
  const sequences = children(set, 'component').flatMap((c) => children(c, 'sequence'));
  let increment: number | undefined;
  const channels: EcgChannel[] = [];
  for (const [i, seq] of sequences.entries()) {
    const code = attr(child(seq, 'code'), 'code') ?? '';
    if (code.startsWith('TIME_')) {
      const value = child(seq, 'value');
      const inc = quantity(child(value, 'increment'));
      if (!inc)
        throw new EcgError(
          'unsupported',
          `${where}: time sequence ${code} without a regular increment is not supported`,
        );
      const unit = SECONDS[inc.unit ?? 's'];
      if (unit === undefined)
        throw new EcgError('malformed', `${where}: time increment unit ${inc.unit} is unknown`);
      increment = inc.value * unit;
      continue;
    }
    channels.push(leadChannel(seq, `${where} sequence ${i + 1}`, filters));
  }
  if (channels.length === 0) return undefined;
  if (increment === undefined || !(increment > 0)) {
    throw new EcgError('malformed', `${where} has lead data but no time sequence with a positive increment`);
  }
  const n = channels[0]!.raw.length;
  if (channels.some((c) => c.raw.length !== n)) {
    throw new EcgError(
      'malformed',
      `${where}: the leads of one sequenceSet have different numbers of samples`,
    );
  }
  const wide = channels.some((c) => c.raw.some((v) => v < -32768 || v > 32767));
  return {
    label,
    originality,
    // 1 / 0.002 s is 499.99999999999994 in floating point: round to µHz.
    samplingFrequency: Math.round(1e6 / increment) / 1e6,
    numberOfSamples: n,
    bitsAllocated: wide ? 32 : 16,
    sampleInterpretation: wide ? 'SL' : 'SS',
    channels: orderChannels(channels),
  };
}

function seriesGroups(series: XmlNode, originality: 'ORIGINAL' | 'DERIVED', where: string): EcgGroup[] {
  const label = attr(child(series, 'code'), 'code') ?? (originality === 'ORIGINAL' ? 'RHYTHM' : 'DERIVED');
  const filters = filtersOf(series);
  const groups = children(series, 'component')
    .flatMap((c) => children(c, 'sequenceSet'))
    .map((set, i) => groupOf(set, label, originality, filters, `${where} sequenceSet ${i + 1}`))
    .filter((g): g is EcgGroup => g !== undefined);
  for (const [i, derived] of children(child(series, 'derivation'), 'derivedSeries').entries()) {
    groups.push(...seriesGroups(derived, 'DERIVED', `${where} derivedSeries ${i + 1}`));
  }
  return groups;
}

function personName(node: unknown): string | undefined {
  const plain = text(node);
  if (plain) return plain;
  const family = childText(node, 'family');
  const given = childText(node, 'given');
  if (!family && !given) return undefined;
  return given ? `${family ?? ''}^${given}` : family;
}

function hl7Time(node: XmlNode | undefined): string | undefined {
  const v = attr(child(node, 'center'), 'value') ?? attr(child(node, 'low'), 'value') ?? attr(node, 'value');
  return v && /^\d{8}(\d{2,6}(\.\d{1,6})?)?$/.test(v) ? v : undefined;
}

function subjectOf(root: XmlNode, firstSeries: XmlNode | undefined): EcgSubjectData {
  const trialSubject = path(
    root,
    'componentOf',
    'timepointEvent',
    'componentOf',
    'subjectAssignment',
    'subject',
    'trialSubject',
  );
  const person = child(trialSubject, 'subjectDemographicPerson');
  const sex = attr(child(person, 'administrativeGenderCode'), 'code');
  const birth = attr(child(person, 'birthTime'), 'value');
  const device = path(firstSeries, 'author', 'seriesAuthor');
  const out: EcgSubjectData = {};
  const id = attr(child(trialSubject, 'id'), 'extension');
  if (id) out.patientId = id;
  const name = personName((person?.['name'] as unknown) ?? undefined);
  if (name) out.patientName = name;
  if (birth && /^\d{8}/.test(birth)) out.patientBirthDate = birth.slice(0, 8);
  if (sex === 'M' || sex === 'F') out.patientSex = sex;
  const acquired = hl7Time(child(root, 'effectiveTime')) ?? hl7Time(child(firstSeries, 'effectiveTime'));
  if (acquired) out.acquisitionDateTime = acquired;
  const model = childText(child(device, 'manufacturedSeriesDevice'), 'manufacturerModelName');
  if (model) out.manufacturerModelName = model;
  const maker = childText(child(device, 'manufacturerOrganization'), 'name');
  if (maker) out.manufacturer = maker;
  return out;
}

/** HL7 aECG XML → waveforms. Throws EcgError with the place of the problem. */
export function readAecg(xml: string): ImportedEcg {
  const root = parseAecgXml(xml);
  const series = children(root, 'component').flatMap((c) => children(c, 'series'));
  if (series.length === 0) throw new EcgError('no-waveform', 'the HL7 aECG document has no series');
  const groups = series.flatMap((s, i) => seriesGroups(s, 'ORIGINAL', `series ${i + 1}`));
  if (groups.length === 0)
    throw new EcgError('no-waveform', 'the HL7 aECG document has no lead sequences with digits');
  return {
    recording: { source: 'hl7-aecg', groups },
    subject: new EcgSubject(subjectOf(root, series[0])),
  };
}
