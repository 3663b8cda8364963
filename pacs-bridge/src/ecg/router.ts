// HTTP API for ECG waveforms, mounted by the service at /api/ecg:
//   GET  /instances/{sopInstanceUid}   → the waveforms of a stored DICOM waveform instance, as JSON
//        (Accept: application/json, the default) or compact binary (application/octet-stream or
//        application/vnd.telemed.ecg; layout in binary.ts)
//   POST /import[?studyInstanceUid=…]  → body is HL7 aECG XML or an SCP-ECG record (detected by
//        content); it is converted to a DICOM 12-lead ECG and goes through the one ingest pipeline.
// Every request is authorized (study-level, via deps.authorize) and audited with action 'ecg'.
// Errors are `{ "reason": "…" }` like the DICOMweb routes; reasons never quote patient data.
import express, { type Request, type Response, type Router } from 'express';
import type { AuditEntry, AuditLog, Ingestor, Principal, StudyStore } from '../api.js';
import { ECG_BINARY_MEDIA_TYPE, encodeEcgBinary } from './binary.js';
import { convertEcgFile } from './convert.js';
import { readDicomEcg } from './dicom-read.js';
import { recordingToJson } from './json.js';
import { EcgError, type EcgErrorCode } from './model.js';
import { isUid } from './uid.js';

export interface EcgRouterDeps {
  store: StudyStore;
  ingestor: Ingestor;
  audit: AuditLog;
  /** May this principal see (or add to) this study? */
  authorize: (principal: Principal, studyInstanceUid: string) => Promise<boolean>;
  principalOf: (req: Request) => Principal | undefined;
  /** InstitutionName written into imported ECGs; defaults to none. */
  institutionNameOf?: (principal: Principal) => string | undefined | Promise<string | undefined>;
  /** Largest accepted import body and largest instance read for GET (bytes). Default 32 MiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Record<EcgErrorCode, number> = {
  'unrecognised-format': 415,
  malformed: 422,
  unsupported: 422,
  'no-waveform': 422,
  'too-large': 413,
};

function send(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').type('application/json').send(JSON.stringify(body));
}

async function readAll(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk as Uint8Array);
    total += b.byteLength;
    if (total > limit) throw new HttpProblem(413, `the instance is larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function createEcgRouter(deps: EcgRouterDeps): Router {
  const maxBytes = deps.maxBytes ?? DEFAULT_MAX_BYTES;
  const router = express.Router();

  const audit = (
    p: Principal,
    result: AuditEntry['result'],
    detail: string,
    studyInstanceUid?: string,
  ): void => {
    deps.audit.append({
      userId: p.userId,
      role: p.role,
      institutionId: p.institutionId,
      action: 'ecg',
      result,
      detail,
      ...(studyInstanceUid ? { studyInstanceUid } : {}),
      ...(p.address ? { source: p.address } : {}),
    });
  };

  /** Runs a handler; EcgError and HttpProblem become their status, anything else a bare 500. */
  const route =
    (name: string, fn: (req: Request, res: Response, p: Principal) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      const principal = res.locals.ecgPrincipal as Principal;
      try {
        await fn(req, res, principal);
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        if (err instanceof EcgError) {
          audit(principal, 'failed', `${name}: ${err.code}`);
          return send(res, STATUS_OF[err.code], { reason: err.message, code: err.code });
        }
        if (err instanceof HttpProblem) return send(res, err.status, { reason: err.message });
        audit(principal, 'failed', `${name}: internal error`);
        send(res, 500, { reason: 'internal error' });
      }
    };

  // Authentication first, so an anonymous upload is refused before its body is read.
  router.use((req, res, next) => {
    const principal = deps.principalOf(req);
    if (!principal) return send(res, 401, { reason: 'authentication required' });
    res.locals.ecgPrincipal = principal;
    next();
  });

  router.get(
    '/instances/:sopInstanceUid',
    route('retrieve', async (req, res, principal) => {
      const uid = String(req.params.sopInstanceUid);
      if (!isUid(uid)) throw new HttpProblem(400, 'the SOP Instance UID is not a valid UID');
      const type = req.accepts(['application/json', 'application/octet-stream', ECG_BINARY_MEDIA_TYPE]);
      if (!type)
        throw new HttpProblem(
          406,
          `ECG waveforms are served as application/json or ${ECG_BINARY_MEDIA_TYPE}`,
        );
      const record = await deps.store.find(uid);
      // Unknown and forbidden look alike to the caller, so instance UIDs cannot be probed.
      if (!record || !(await deps.authorize(principal, record.studyInstanceUid))) {
        audit(
          principal,
          record ? 'denied' : 'failed',
          `retrieve ${uid}: ${record ? 'not authorized' : 'not found'}`,
          record?.studyInstanceUid,
        );
        throw new HttpProblem(404, 'no such instance');
      }
      if (record.size > maxBytes) throw new HttpProblem(413, `the instance is larger than ${maxBytes} bytes`);
      const stream = await deps.store.open(uid);
      if (!stream) throw new HttpProblem(404, 'no such instance');
      const { recording } = readDicomEcg(await readAll(stream, maxBytes));
      audit(principal, 'ok', `retrieve ${uid}`, record.studyInstanceUid);
      if (type === 'application/json') {
        return send(res, 200, {
          studyInstanceUid: record.studyInstanceUid,
          seriesInstanceUid: record.seriesInstanceUid,
          ...recordingToJson(recording),
        });
      }
      res.status(200).set('Cache-Control', 'no-store').type(type).send(encodeEcgBinary(recording));
    }),
  );

  router.post(
    '/import',
    // Any content type: the format is detected from the bytes.
    express.raw({ type: () => true, limit: maxBytes }),
    route('import', async (req, res, principal) => {
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body)
        ? body
        : typeof body === 'string'
          ? Buffer.from(body, 'utf8')
          : undefined;
      if (!bytes || bytes.byteLength === 0)
        throw new HttpProblem(400, 'the request body is empty: send an HL7 aECG XML or SCP-ECG file');
      const requested = req.query.studyInstanceUid;
      if (requested !== undefined && !isUid(requested)) {
        throw new HttpProblem(400, 'studyInstanceUid is not a valid UID');
      }
      if (requested !== undefined && !(await deps.authorize(principal, requested))) {
        audit(principal, 'denied', 'import: study not accessible', requested);
        throw new HttpProblem(403, 'you may not add to this study');
      }
      const institutionName = await deps.institutionNameOf?.(principal);
      const { kind, written } = convertEcgFile(bytes, {
        ...(institutionName ? { institutionName } : {}),
        ...(requested !== undefined ? { studyInstanceUid: requested } : {}),
        uidSalt: principal.institutionId,
      });
      const result = await deps.ingestor.ingest(written.bytes, principal);
      const uids = {
        studyInstanceUid: written.studyInstanceUid,
        seriesInstanceUid: written.seriesInstanceUid,
        sopInstanceUid: written.sopInstanceUid,
        sopClassUid: written.sopClassUid,
      };
      if (result.status === 'stored' || result.status === 'duplicate') {
        audit(principal, 'ok', `import ${kind}: ${result.status}`, written.studyInstanceUid);
        return send(res, result.status === 'stored' ? 201 : 200, {
          status: result.status,
          source: kind,
          ...uids,
        });
      }
      const status = result.status === 'denied' ? 403 : result.status === 'conflict' ? 409 : 422;
      audit(
        principal,
        result.status === 'denied' ? 'denied' : 'failed',
        `import ${kind}: ${result.status}`,
        written.studyInstanceUid,
      );
      const refused = 'reason' in result ? result.reason : 'not stored';
      // 'invalid' would mean our own writer produced something validation refused: say so plainly.
      const reason =
        result.status === 'invalid' ? `the converted DICOM instance was refused: ${refused}` : refused;
      send(res, status, { status: result.status, reason, source: kind, ...uids });
    }),
  );

  // Body-parser errors (too large, aborted upload) arrive here rather than in the route.
  router.use((err: unknown, req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number } | null)?.status;
    if (status === 413) return send(res, 413, { reason: `the file is larger than ${maxBytes} bytes` });
    if (typeof status === 'number' && status >= 400 && status < 500)
      return send(res, status, { reason: 'the request body could not be read' });
    send(res, 500, { reason: 'internal error' });
  });

  return router;
}
