// Moving instances to and from a PACS over DIMSE, for PACSes (or networks) where DICOMweb is not
// an option: C-STORE to send, C-FIND to search. A C-FIND for the SOP Instance UID first tells a
// new instance from one the PACS already holds, since PACSes answer success to re-sends.
import type { DicomJson, InstanceRecord, QidoQuery } from '../api.js';
import { cFind, cStore, type DimsePeer } from '../dimse/scu.js';
import { FIND_KEYS, FIND_KEY_BY_KEYWORD, type FindLevel } from '../dimse/find-keys.js';
import { UpstreamError } from './http.js';

const LEVEL: Record<QidoQuery['level'], FindLevel> = { study: 'STUDY', series: 'SERIES', instance: 'IMAGE' };
const ORDER: FindLevel[] = ['PATIENT', 'STUDY', 'SERIES', 'IMAGE'];

export async function cStoreUpstream(
  peer: DimsePeer,
  bytes: Buffer,
  record: InstanceRecord,
): Promise<{ result: 'stored' | 'exists' }> {
  const existing = await cFind(peer, {
    QueryRetrieveLevel: 'IMAGE',
    StudyInstanceUID: record.studyInstanceUid,
    SeriesInstanceUID: record.seriesInstanceUid,
    SOPInstanceUID: record.sopInstanceUid,
  });
  if (existing.error) throw new UpstreamError(`C-FIND before C-STORE failed: ${existing.error}`);
  if (existing.matches.length > 0) return { result: 'exists' };
  const { results, error } = await cStore(peer, [bytes]);
  const status = results[0]?.status ?? -1;
  if (status !== 0) {
    const why =
      status >= 0
        ? `status 0x${status.toString(16).padStart(4, '0')}`
        : (results[0]?.comment ?? error ?? 'no answer');
    throw new UpstreamError(`the PACS refused the C-STORE (${why})`);
  }
  return { result: 'stored' };
}

/**
 * A QidoQuery as C-FINDs (matching keys + every return key down to the level), answered as DICOM
 * JSON. Study Root C-FIND is hierarchical (PS3.4 C.4.1.3.1): below the study level the PACS wants
 * the parent's unique key, so a query without it walks down from the level above.
 */
export async function cFindUpstream(peer: DimsePeer, query: QidoQuery): Promise<DicomJson[]> {
  const parentLevel =
    query.level === 'instance' && !query.seriesInstanceUid
      ? 'series'
      : query.level === 'series' && !query.studyInstanceUid
        ? 'study'
        : undefined;
  if (!parentLevel) return cFindLevel(peer, query);
  const parents = await cFindUpstream(peer, {
    level: parentLevel,
    ...(query.studyInstanceUid ? { studyInstanceUid: query.studyInstanceUid } : {}),
    match: {},
    includeFields: [],
  });
  const rows: DicomJson[] = [];
  for (const parent of parents) {
    const study = parent['0020000D']?.Value?.[0];
    const series = parent['0020000E']?.Value?.[0];
    if (typeof study !== 'string' || (parentLevel === 'series' && typeof series !== 'string')) continue;
    const { limit: _l, offset: _o, ...unpaged } = query;
    rows.push(
      ...(await cFindLevel(peer, {
        ...unpaged,
        studyInstanceUid: study,
        ...(parentLevel === 'series' ? { seriesInstanceUid: series as string } : {}),
      })),
    );
  }
  const start = query.offset ?? 0;
  return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

async function cFindLevel(peer: DimsePeer, query: QidoQuery): Promise<DicomJson[]> {
  const level = LEVEL[query.level];
  const depth = ORDER.indexOf(level);
  const identifier: Record<string, unknown> = { QueryRetrieveLevel: level };
  // Empty values ask for the key back (universal matching); binary VRs need an empty array, as
  // dcmjs would encode '' for US as the number 0 and the PACS would then match Rows = 0.
  for (const key of FIND_KEYS)
    if (ORDER.indexOf(key.level) <= depth) identifier[key.keyword] = key.vr === 'US' ? [] : '';
  if (query.studyInstanceUid) identifier.StudyInstanceUID = query.studyInstanceUid;
  if (query.seriesInstanceUid) identifier.SeriesInstanceUID = query.seriesInstanceUid;
  for (const [keyword, value] of Object.entries(query.match)) {
    if (FIND_KEY_BY_KEYWORD.has(keyword))
      identifier[keyword] = FIND_KEY_BY_KEYWORD.get(keyword)!.vr === 'PN' ? [{ Alphabetic: value }] : value;
  }
  const answer = await cFind(peer, identifier);
  if (answer.error || (answer.status !== 0 && answer.status !== -1)) {
    throw new UpstreamError(`C-FIND failed: ${answer.error ?? `status 0x${answer.status.toString(16)}`}`);
  }
  const rows = answer.matches.map(toDicomJson);
  const start = query.offset ?? 0;
  return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

function toDicomJson(identifier: Record<string, unknown>): DicomJson {
  const out: DicomJson = {};
  for (const [keyword, raw] of Object.entries(identifier)) {
    const key = FIND_KEY_BY_KEYWORD.get(keyword);
    if (!key) continue;
    // Trailing padding is not part of a value (PS3.5 6.2); some PACSes echo space-padded UIDs.
    const trim = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/[\0 ]+$/, '') : v);
    const values = (Array.isArray(raw) ? raw : [raw])
      .map(trim)
      .filter((v) => v !== undefined && v !== null && v !== '');
    out[key.tag] = values.length
      ? {
          vr: key.vr,
          Value: values.map((v) =>
            key.vr === 'IS' || key.vr === 'US'
              ? Number(v)
              : key.vr === 'PN' && typeof v === 'string'
                ? { Alphabetic: v }
                : v,
          ),
        }
      : { vr: key.vr };
  }
  return out;
}
