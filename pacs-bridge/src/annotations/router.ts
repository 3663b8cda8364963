// /api/annotations/studies/{study}: the annotations saved with a study. Reading and saving follow the
// study's own access rules (the bridge's policy: a study the caller may not read is 404, as in
// DICOMweb), and both land in the audit record ('retrieve' / 'store', detail 'annotations …').
import express, { Router, type Request, type Response } from 'express';
import type { AuditLog, Principal } from '../api.js';
import { auditRole, auditSource } from '../ingest/ingestor.js';
import { handler, HttpError, principalOf, sendError } from '../web/http.js';
import { AnnotationSidecars, VersionConflict, type SidecarVersion } from './sidecar-store.js';
import { isUid, MAX_SIDECAR_BODY_BYTES, parseSaveBody } from './validate.js';

export interface AnnotationsRouterDeps {
  sidecars: AnnotationSidecars;
  audit: AuditLog;
  /** May the principal read the study? false also for a study that does not exist. */
  mayRead(principal: Principal, studyInstanceUid: string): Promise<boolean>;
}

const view = (study: string, v: SidecarVersion | null) => ({
  studyInstanceUid: study,
  version: v?.version ?? 0,
  savedAt: v?.savedAt ?? null,
  savedBy: v?.savedBy ?? null,
  ...(v?.roomId ? { roomId: v.roomId } : {}),
  annotations: v?.annotations ?? [],
});

export function createAnnotationsRouter(deps: AnnotationsRouterDeps): Router {
  const router = Router();

  const record = (
    p: Principal,
    action: 'store' | 'retrieve',
    study: string,
    result: 'ok' | 'denied',
    detail: string,
  ) =>
    deps.audit.append({
      userId: p.userId,
      role: auditRole(p),
      institutionId: p.institutionId,
      action,
      studyInstanceUid: study,
      result,
      detail,
      ...(auditSource(p) ? { source: auditSource(p)! } : {}),
    });

  const studyOf = async (req: Request, action: 'store' | 'retrieve'): Promise<[Principal, string]> => {
    const principal = principalOf(req);
    const study = req.params.study;
    if (!isUid(study)) throw new HttpError(400, 'the study UID is not valid');
    if (!(await deps.mayRead(principal, study))) {
      record(principal, action, study, 'denied', 'annotations');
      throw new HttpError(404, 'no such study');
    }
    return [principal, study];
  };

  router.get(
    '/studies/:study',
    handler(async (req: Request, res: Response) => {
      const [principal, study] = await studyOf(req, 'retrieve');
      const q = req.query.version;
      let version: SidecarVersion | null;
      if (q === undefined) version = await deps.sidecars.latest(study);
      else {
        if (typeof q !== 'string' || !/^[1-9]\d{0,8}$/.test(q))
          throw new HttpError(400, 'version must be a positive integer');
        version = (await deps.sidecars.versions(study)).find((v) => v.version === Number(q)) ?? null;
        if (!version) throw new HttpError(404, 'no such version');
      }
      record(principal, 'retrieve', study, 'ok', `annotations v${version?.version ?? 0}`);
      res.set('Cache-Control', 'no-store').json(view(study, version));
    }),
  );

  router.get(
    '/studies/:study/versions',
    handler(async (req, res) => {
      const [principal, study] = await studyOf(req, 'retrieve');
      const all = await deps.sidecars.versions(study);
      record(principal, 'retrieve', study, 'ok', 'annotations history');
      res.set('Cache-Control', 'no-store').json({
        studyInstanceUid: study,
        versions: all.map((v) => ({
          version: v.version,
          savedAt: v.savedAt,
          savedBy: v.savedBy,
          ...(v.roomId ? { roomId: v.roomId } : {}),
          count: v.annotations.length,
        })),
      });
    }),
  );

  router.put(
    '/studies/:study',
    express.json({ limit: MAX_SIDECAR_BODY_BYTES }),
    handler(async (req, res) => {
      const [principal, study] = await studyOf(req, 'store');
      const body = parseSaveBody(req.body, study);
      if (typeof body === 'string') throw new HttpError(400, body);
      try {
        const saved = await deps.sidecars.save(study, { savedBy: principal.userId, ...body });
        record(principal, 'store', study, 'ok', `annotations v${saved.version} (${body.annotations.length})`);
        res.status(201).json(view(study, saved));
      } catch (err) {
        if (err instanceof VersionConflict) return sendError(res, 409, err.message);
        throw err;
      }
    }),
  );

  return router;
}
