// QidoQuery → SQL over the embedded index → DICOM JSON. Values are always bound parameters; wildcard
// and case-insensitive person-name matching run in a registered JS function so that non-ASCII names
// (GB18030/UTF-8 from Chinese clinics) match case-insensitively too, which SQLite's LIKE does not do.
import type { DicomJson, QidoQuery, QueryLevel } from '../../api.js';
import { attributesFor, findAttribute, type QidoAttribute } from './qido-attributes.js';
import type { Db } from './study-index.js';

const FROM: Record<QueryLevel, string> = {
  study: 'FROM studies s JOIN patients p ON p.patient_key = s.patient_key',
  series:
    'FROM series se JOIN studies s ON s.study_uid = se.study_uid JOIN patients p ON p.patient_key = s.patient_key',
  instance:
    'FROM instances i JOIN series se ON se.series_uid = i.series_uid JOIN studies s ON s.study_uid = i.study_uid ' +
    'JOIN patients p ON p.patient_key = s.patient_key',
};

const ORDER: Record<QueryLevel, string> = {
  study: 'ORDER BY s.study_date IS NULL, s.study_date DESC, s.study_time DESC, s.study_uid',
  series: 'ORDER BY s.study_uid, se.series_number IS NULL, se.series_number, se.series_uid',
  instance: 'ORDER BY se.series_uid, i.instance_number IS NULL, i.instance_number, i.sop_uid',
};

/** The hard cap on one QIDO page, whatever limit the caller asked for. */
export const MAX_QIDO_RESULTS = 1000;

export class QueryError extends Error {
  override name = 'QueryError';
}

export function registerMatchFunctions(db: Db): void {
  const cache = new Map<string, RegExp>();
  db.function(
    'qido_wildcard',
    { deterministic: true },
    (pattern: unknown, value: unknown, insensitive: unknown) => {
      if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
      const key = `${insensitive ? 'i' : 's'}${pattern}`;
      let re = cache.get(key);
      if (!re) {
        const body = pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.');
        re = new RegExp(`^${body}$`, insensitive ? 'iu' : 'u');
        if (cache.size > 500) cache.clear();
        cache.set(key, re);
      }
      return re.test(value) ? 1 : 0;
    },
  );
  // Fuzzy person-name matching: any name component (family, given, …) starting with the value.
  db.function('qido_pn_fuzzy', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
    const needle = pattern.replace(/\*/g, '').toLocaleLowerCase();
    return value
      .toLocaleLowerCase()
      .split(/[\^= ]+/)
      .some((part) => part.startsWith(needle))
      ? 1
      : 0;
  });
}

export function runQidoQuery(db: Db, query: QidoQuery): DicomJson[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.studyInstanceUid) {
    where.push('s.study_uid = ?');
    params.push(query.studyInstanceUid);
  }
  if (query.seriesInstanceUid && query.level !== 'study') {
    where.push('se.series_uid = ?');
    params.push(query.seriesInstanceUid);
  }
  for (const [key, value] of Object.entries(query.match)) {
    const attr = findAttribute(key);
    if (!attr || !attributesFor(query.level).includes(attr) || value === '') continue;
    matchClause(attr, value, query.fuzzyMatching === true, where, params);
  }
  accessClause(query, where, params);
  const attrs = responseAttributes(query);
  const select = attrs.map((attr, n) => `${attr.sql} AS c${n}`).join(', ');
  const limit = Math.min(query.limit ?? MAX_QIDO_RESULTS, MAX_QIDO_RESULTS);
  const sql =
    `SELECT ${select} ${FROM[query.level]} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `${ORDER[query.level]} LIMIT ? OFFSET ?`;
  const rows = db
    .prepare(sql)
    .raw(true)
    .all(...params, limit, query.offset ?? 0) as unknown[][];
  return rows.map((row) => toJson(attrs, row));
}

function matchClause(
  attr: QidoAttribute,
  value: string,
  fuzzy: boolean,
  where: string[],
  params: unknown[],
): void {
  switch (attr.match) {
    case 'uid': {
      // UID list matching: several UIDs separated by backslash or comma.
      const uids = value.split(/[\\,]/).filter(Boolean);
      where.push(`${attr.sql} IN (${uids.map(() => '?').join(', ')})`);
      params.push(...uids);
      return;
    }
    case 'date': {
      const range = /^(\d{8})?-(\d{8})?$/.exec(value);
      if (range) {
        if (range[1]) {
          where.push(`${attr.sql} >= ?`);
          params.push(range[1]);
        }
        if (range[2]) {
          where.push(`${attr.sql} <= ?`);
          params.push(range[2]);
        }
        if (!range[1] && !range[2])
          throw new QueryError(`${attr.keyword} range "-" has neither start nor end`);
        return;
      }
      if (!/^\d{8}$/.test(value))
        throw new QueryError(`${attr.keyword} must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD`);
      where.push(`${attr.sql} = ?`);
      params.push(value);
      return;
    }
    case 'int': {
      if (!/^-?\d{1,12}$/.test(value)) throw new QueryError(`${attr.keyword} must be an integer`);
      where.push(`${attr.sql} = ?`);
      params.push(Number(value));
      return;
    }
    case 'modalities': {
      const modalities = value.split(/[\\,]/).filter(Boolean);
      where.push(
        `EXISTS (SELECT 1 FROM series m WHERE m.study_uid = s.study_uid AND m.modality IN (${modalities.map(() => '?').join(', ')}))`,
      );
      params.push(...modalities);
      return;
    }
    case 'pn':
      if (fuzzy) {
        where.push(`qido_pn_fuzzy(?, ${attr.sql})`);
        params.push(value);
        return;
      }
      where.push(`qido_wildcard(?, ${attr.sql}, 1)`);
      params.push(value);
      return;
    case 'string':
      if (/[*?]/.test(value)) {
        where.push(`qido_wildcard(?, ${attr.sql}, 0)`);
      } else {
        where.push(`${attr.sql} = ?`);
      }
      params.push(value);
      return;
    case 'none':
      return;
  }
}

/** Institutions and shares narrow every query; `institutions: undefined` means unrestricted (admin). */
function accessClause(query: QidoQuery, where: string[], params: unknown[]): void {
  if (query.institutions === undefined) return;
  const parts: string[] = [];
  if (query.institutions.length) {
    parts.push(`s.institution_id IN (${query.institutions.map(() => '?').join(', ')})`);
    params.push(...query.institutions);
  }
  const shared = query.sharedStudies ?? [];
  if (shared.length) {
    parts.push(`s.study_uid IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(shared));
  }
  where.push(parts.length ? `(${parts.join(' OR ')})` : '0');
}

function responseAttributes(query: QidoQuery): QidoAttribute[] {
  const available = attributesFor(query.level);
  if (query.includeFields === 'all') return available;
  const wanted = new Set(query.includeFields.map((f) => findAttribute(f)).filter(Boolean));
  return available.filter((attr) => {
    if (wanted.has(attr) || (attr.level === query.level && attr.default)) return true;
    // Lower-level results always say which study (and series) they belong to.
    return (
      attr.keyword === 'StudyInstanceUID' ||
      (query.level === 'instance' && attr.keyword === 'SeriesInstanceUID')
    );
  });
}

function toJson(attrs: QidoAttribute[], row: unknown[]): DicomJson {
  const out: DicomJson = { '00080005': { vr: 'CS', Value: ['ISO_IR 192'] } };
  attrs.forEach((attr, n) => {
    const value = row[n];
    if (value === null || value === undefined || value === '') {
      out[attr.tag] = { vr: attr.vr };
      return;
    }
    if (attr.vr === 'PN') out[attr.tag] = { vr: 'PN', Value: [{ Alphabetic: String(value) }] };
    else if (attr.vr === 'IS' || attr.vr === 'US') out[attr.tag] = { vr: attr.vr, Value: [Number(value)] };
    else if (attr.match === 'modalities') out[attr.tag] = { vr: attr.vr, Value: String(value).split('\\') };
    else out[attr.tag] = { vr: attr.vr, Value: [String(value)] };
  });
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : 1)));
}
