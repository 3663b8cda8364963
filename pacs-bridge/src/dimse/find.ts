// C-FIND SCP logic, free of networking: a C-FIND identifier becomes a QidoQuery against the store
// (scoped to what the calling AE's principal may see), and each DICOM JSON match becomes a C-FIND
// response identifier holding exactly the keys that were asked for.
import type { DicomJson, QidoQuery, QueryLevel, StudyStore } from '../api.js';
import { COMPUTED_KEYS, FIND_KEY_BY_KEYWORD, type FindLevel } from './find-keys.js';
import { PATIENT_ROOT_FIND } from './negotiation.js';

export type Scope = Pick<QidoQuery, 'institutions' | 'sharedStudies'>;
export type Identifier = Record<string, unknown>;

export type FindAnswer =
  | { ok: true; level: FindLevel; studyInstanceUid?: string; matches: Identifier[] }
  | { ok: false; reason: string };

/** Upper bound on matches per C-FIND: a modality worklist browser does not need more. */
export const MAX_FIND_MATCHES = 5000;

const LEVELS: Record<Exclude<FindLevel, 'PATIENT'>, QueryLevel> = {
  STUDY: 'study',
  SERIES: 'series',
  IMAGE: 'instance',
};

export async function answerFind(
  identifier: Identifier,
  sopClassUid: string,
  store: StudyStore,
  scope: Scope,
): Promise<FindAnswer> {
  const level = String(identifier.QueryRetrieveLevel ?? '')
    .trim()
    .toUpperCase() as FindLevel;
  if (!['PATIENT', 'STUDY', 'SERIES', 'IMAGE'].includes(level)) {
    return { ok: false, reason: 'QueryRetrieveLevel (0008,0052) must be PATIENT, STUDY, SERIES or IMAGE' };
  }
  if (level === 'PATIENT' && sopClassUid !== PATIENT_ROOT_FIND) {
    return { ok: false, reason: 'PATIENT level needs the Patient Root information model' };
  }
  const returnKeys = Object.keys(identifier).filter((kw) => FIND_KEY_BY_KEYWORD.has(kw));
  const query: QidoQuery = {
    level: level === 'PATIENT' ? 'study' : LEVELS[level],
    match: {},
    includeFields: returnKeys,
    limit: MAX_FIND_MATCHES,
    ...scope,
  };
  for (const keyword of returnKeys) {
    const value = matchValue(identifier[keyword]);
    if (value === undefined || COMPUTED_KEYS.has(keyword)) continue;
    // Higher-level unique keys scope the query (PS3.4 C.4.1.3.1 hierarchical search). Without them
    // the search is relational across every study the scope allows, which dcmtk's findscu expects.
    if (keyword === 'StudyInstanceUID' && level !== 'STUDY' && level !== 'PATIENT')
      query.studyInstanceUid = value;
    else if (keyword === 'SeriesInstanceUID' && level === 'IMAGE') query.seriesInstanceUid = value;
    else query.match[keyword] = value;
  }
  const results = await store.query(query);
  const wanted =
    level === 'PATIENT'
      ? returnKeys.filter((kw) => FIND_KEY_BY_KEYWORD.get(kw)?.level === 'PATIENT')
      : returnKeys;
  const rows = level === 'PATIENT' ? uniquePatients(results) : results;
  return {
    ok: true,
    level,
    ...(query.studyInstanceUid ? { studyInstanceUid: query.studyInstanceUid } : {}),
    matches: rows.map((row) => toIdentifier(row, wanted, level)),
  };
}

/** A C-FIND key's value as a QIDO match string; undefined for an empty (return-only) key. */
export function matchValue(value: unknown): string | undefined {
  let v = Array.isArray(value) ? value[0] : value;
  if (v && typeof v === 'object' && 'Alphabetic' in v) v = (v as { Alphabetic?: unknown }).Alphabetic;
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' || s === '*' ? undefined : s;
}

function uniquePatients(studies: DicomJson[]): DicomJson[] {
  const seen = new Map<string, DicomJson>();
  for (const s of studies) {
    const id = String(s['00100020']?.Value?.[0] ?? '');
    if (!seen.has(id)) seen.set(id, s);
  }
  return [...seen.values()];
}

/** One DICOM JSON match → a naturalized identifier (dcmjs keywords) with the requested keys. */
export function toIdentifier(row: DicomJson, keywords: string[], level: FindLevel): Identifier {
  const out: Identifier = { QueryRetrieveLevel: level };
  for (const keyword of keywords) {
    const key = FIND_KEY_BY_KEYWORD.get(keyword);
    if (!key) continue;
    const values = row[key.tag]?.Value ?? [];
    const plain = values.map((v) =>
      v && typeof v === 'object' && 'Alphabetic' in v
        ? String((v as { Alphabetic?: unknown }).Alphabetic ?? '')
        : v,
    );
    // An empty US must be an empty array: dcmjs would encode '' as the number 0.
    if (plain.length === 0) out[keyword] = key.vr === 'US' ? [] : '';
    else if (plain.length === 1 && key.vr !== 'CS')
      out[keyword] = key.vr === 'PN' ? [{ Alphabetic: plain[0] }] : plain[0];
    else out[keyword] = key.vr === 'PN' ? plain.map((p) => ({ Alphabetic: p })) : plain;
  }
  return out;
}
