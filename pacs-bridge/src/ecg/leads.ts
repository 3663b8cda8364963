// Lead identification. Every source names leads differently — DICOM by MDC codes ("2:1") or the
// older SCPECG codes ("5.6.3-9-1"), HL7 aECG by MDC reference ids ("MDC_ECG_LEAD_I"), SCP-ECG by
// a lead number, devices by free text ("Lead I (Einthoven)") — but MDC's 2:N and SCP-ECG's lead
// number N are the same table (ISO/IEEE 11073-10101 ECG lead codes), so one table serves all.
import { STANDARD_LEADS, type CodedConcept, type EcgChannel, type StandardLead } from './model.js';

/** SCP-ECG lead number = MDC 2:N → lead name. Standard 12 plus the extra leads met in practice. */
// prettier-ignore
const LEADS_BY_NUMBER: ReadonlyMap<number, string> = new Map([
  [1, 'I'], [2, 'II'], [3, 'V1'], [4, 'V2'], [5, 'V3'], [6, 'V4'], [7, 'V5'], [8, 'V6'],
  [9, 'V7'], [10, 'V2R'], [11, 'V3R'], [12, 'V4R'], [13, 'V5R'], [14, 'V6R'], [15, 'V7R'],
  [16, 'X'], [17, 'Y'], [18, 'Z'], [19, 'CC5'], [20, 'CM5'], [21, 'LA'], [22, 'RA'], [23, 'LL'],
  [61, 'III'], [62, 'aVR'], [63, 'aVL'], [64, 'aVF'], [65, '-aVR'], [66, 'V8'], [67, 'V9'],
  [68, 'V8R'], [69, 'V9R'], [70, 'D'], [71, 'A'], [72, 'J'],
  [75, 'A1'], [76, 'A2'], [77, 'A3'], [78, 'A4'],
]);

const NUMBER_BY_LEAD: ReadonlyMap<string, number> = new Map(
  [...LEADS_BY_NUMBER].map(([n, name]) => [name.toUpperCase(), n]),
);

/** Lead name for an SCP-ECG lead number / MDC 2:N code; undefined if not in the table. */
export function leadFromNumber(n: number): string | undefined {
  return LEADS_BY_NUMBER.get(n);
}

/** MDC / SCP-ECG lead number for a normalised lead name (used when writing DICOM). */
export function numberOfLead(lead: string): number | undefined {
  return NUMBER_BY_LEAD.get(lead.toUpperCase());
}

/** Canonical spelling of a lead name: 'AVR' → 'aVR', 'v1' → 'V1', 'Lead II' → 'II'. */
function canonicalName(text: string): string | undefined {
  let t = text.trim().replace(/\s*\(.*\)\s*$/, ''); // "Lead I (Einthoven)" → "Lead I"
  t = t.replace(/^(ecg\s+)?lead\s+/i, '');
  t = t.replace(/^MDC_ECG_LEAD_/i, '');
  if (t === '') return undefined;
  const n = NUMBER_BY_LEAD.get(t.toUpperCase());
  if (n !== undefined) return LEADS_BY_NUMBER.get(n);
  // MDC spells the inverted aVR lead "AVRneg".
  if (t.toUpperCase() === 'AVRNEG') return '-aVR';
  return undefined;
}

/**
 * Normalised lead name from whatever the source gave: a coded concept (MDC 2:N, SCPECG 5.6.3-9-N,
 * MDC_ECG_LEAD_*) and/or a free-text label. Falls back to the label itself (e.g. a pressure channel
 * of a hemodynamic object), so nothing is ever silently renamed to a lead it is not.
 */
export function normaliseLead(code: CodedConcept | undefined, label: string | undefined): string {
  if (code) {
    const value = code.value.trim();
    const mdc = /^2:(\d+)$/.exec(value);
    const scp = /^5\.6\.3-9-(\d+)$/.exec(value);
    const numeric = mdc ?? scp;
    if (numeric?.[1] !== undefined) {
      const name = leadFromNumber(Number(numeric[1]));
      if (name) return name;
    }
    const fromRefId = canonicalName(value);
    if (fromRefId) return fromRefId;
    if (code.meaning) {
      const fromMeaning = canonicalName(code.meaning);
      if (fromMeaning) return fromMeaning;
    }
  }
  if (label) {
    const fromLabel = canonicalName(label);
    if (fromLabel) return fromLabel;
    return label.trim();
  }
  return code?.meaning ?? code?.value ?? 'unknown';
}

export function isStandardLead(lead: string): lead is StandardLead {
  return (STANDARD_LEADS as readonly string[]).includes(lead);
}

/**
 * Channels in standard order (I, II, III, aVR, aVL, aVF, V1–V6), then every other channel in the
 * order the source had it. Stable, so two channels with the same lead keep their relative order.
 */
export function orderChannels<T extends Pick<EcgChannel, 'lead'>>(channels: readonly T[]): T[] {
  const rank = (c: T): number => {
    const i = (STANDARD_LEADS as readonly string[]).indexOf(c.lead);
    return i === -1 ? STANDARD_LEADS.length : i;
  };
  return channels
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
}
