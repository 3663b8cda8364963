// QIDO-RS (PS3.18 10.6): /studies, /series, /instances and their nested forms, answering
// application/dicom+json. Query parameters are checked here so the store gets a clean QidoQuery:
// limit/offset must be integers, UIDs valid, and unknown attribute names are a 400 with the name.
import type { Request, Response } from 'express';
import type { QidoQuery, QueryLevel } from '../api.js';
import { tagForKeyword } from '../dicom/dictionary.js';
import { findAttribute } from '../store/embedded/qido-attributes.js';
import { QueryError } from '../store/embedded/qido-query.js';
import type { WebContext } from './context.js';
import { baseUrlOf, HttpError, principalOf } from './http.js';
import { uidParam } from './resolve.js';
import { auditRole, auditSource } from '../ingest/ingestor.js';

const CONTROL = new Set(['includefield', 'limit', 'offset', 'fuzzymatching']);

export function parseQido(req: Request, level: QueryLevel): { query: QidoQuery; warnings: string[] } {
  const warnings: string[] = [];
  const match: Record<string, string> = {};
  const includeFields: string[] = [];
  let includeAll = false;
  const q = req.query as Record<string, string | string[] | undefined>;
  const one = (name: string): string | undefined => {
    const v = q[name];
    if (Array.isArray(v)) throw new HttpError(400, `${name} may be given only once`);
    return v;
  };
  for (const raw of [q.includefield ?? []].flat()) {
    for (const field of String(raw).split(',').filter(Boolean)) {
      if (field === 'all') includeAll = true;
      else if (!tagForKeyword(field))
        throw new HttpError(400, `includefield ${JSON.stringify(field)} is not a DICOM keyword or tag`);
      else includeFields.push(field);
    }
  }
  for (const [key, value] of Object.entries(q)) {
    if (CONTROL.has(key)) continue;
    if (Array.isArray(value)) throw new HttpError(400, `${key} may be given only once`);
    const tag = tagForKeyword(key);
    if (!tag) throw new HttpError(400, `${JSON.stringify(key)} is not a DICOM keyword or tag`);
    const attr = findAttribute(tag);
    if (!attr || attr.match === 'none') {
      warnings.push(`${key} is not supported for matching and was ignored`);
      continue;
    }
    if (attr.match === 'uid') {
      for (const uid of String(value).split(/[\\,]/)) {
        if (uid && !/^[0-9.]{1,64}$/.test(uid)) throw new HttpError(400, `${key} contains an invalid UID`);
      }
    }
    match[attr.keyword] = String(value ?? '');
  }
  const int = (name: string, max: number): number | undefined => {
    const v = one(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v) || Number(v) > max)
      throw new HttpError(400, `${name} must be an integer from 0 to ${max}`);
    return Number(v);
  };
  const fuzzy = one('fuzzymatching');
  if (fuzzy !== undefined && fuzzy !== 'true' && fuzzy !== 'false')
    throw new HttpError(400, 'fuzzymatching must be true or false');
  const query: QidoQuery = {
    level,
    match,
    includeFields: includeAll ? 'all' : includeFields,
    fuzzyMatching: fuzzy === 'true',
  };
  const limit = int('limit', 100_000);
  const offset = int('offset', 1_000_000_000);
  if (limit !== undefined) query.limit = limit;
  if (offset !== undefined) query.offset = offset;
  const study = uidParam(req, 'study');
  const series = uidParam(req, 'series');
  if (study) query.studyInstanceUid = study;
  if (series) query.seriesInstanceUid = series;
  return { query, warnings };
}

export function qidoHandler(ctx: WebContext, level: QueryLevel) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const { query, warnings } = parseQido(req, level);
    const restricted = await ctx.access.restrict(principal, query);
    let results;
    try {
      results = await ctx.store.query(restricted);
    } catch (err) {
      if (err instanceof QueryError) throw new HttpError(400, err.message);
      throw err;
    }
    const base = baseUrlOf(req, ctx.mountPath);
    for (const r of results) {
      const study = r['0020000D']?.Value?.[0];
      const series = r['0020000E']?.Value?.[0];
      const sop = r['00080018']?.Value?.[0];
      const url =
        level === 'study'
          ? `${base}/studies/${study}`
          : level === 'series'
            ? `${base}/studies/${study}/series/${series}`
            : `${base}/studies/${study}/series/${series}/instances/${sop}`;
      if (study) r['00081190'] = { vr: 'UR', Value: [url] };
    }
    // Match values can contain patient names and IDs: the audit keeps only which keys were used.
    ctx.audit.append({
      userId: principal.userId,
      role: auditRole(principal),
      institutionId: principal.institutionId,
      action: 'query',
      ...(query.studyInstanceUid ? { studyInstanceUid: query.studyInstanceUid } : {}),
      result: 'ok',
      detail: `${level} query on [${Object.keys(query.match).join(',')}]: ${results.length} result(s)`,
      source: auditSource(principal),
    });
    for (const w of warnings) res.append('Warning', `299 pacs-bridge "${w}"`);
    res.status(200).type('application/dicom+json').send(JSON.stringify(results));
  };
}
