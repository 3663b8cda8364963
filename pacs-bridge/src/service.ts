// createPacsBridge: the bridge as a library. It builds the store (embedded by default, or the
// upstream PACS store it is given), the audit log, access policy and ingest pipeline, and returns one
// express Router (DICOMweb at /dicomweb, chunked uploads at /api/uploads, ECG at /api/ecg, saved
// annotations at /api/annotations) that the
// host — signaling in the default start, main.ts standalone — mounts and authenticates through the
// injected `authenticate`. A request without a valid principal is 401 before any route runs.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Principal, StudyEvents, StudyStore } from './api.js';
import { AccessPolicy } from './access/access-policy.js';
import { StudyShares } from './access/study-shares.js';
import { SqliteAuditLog } from './audit/audit-log.js';
import { PipelineIngestor, studyOwner } from './ingest/ingestor.js';
import { silentLogger, type Logger } from './ingest/logger.js';
import { createEmbeddedStore } from './store/embedded/embedded-store.js';
import { DEFAULT_LIMITS, type WebContext, type WebLimits } from './web/context.js';
import { createDicomWebRouter } from './web/dicomweb-router.js';
import { principalOf, sendError, setPrincipal } from './web/http.js';
import { createUploadsRouter, UploadSessions, type UploadEvents } from './web/uploads.js';
import { createEcgRouter } from './ecg/index.js';
import { AnnotationSidecars, createAnnotationsRouter } from './annotations/index.js';
import { startDimseServer, demoAeAccess, type DimseServer } from './dimse/index.js';

export interface DimseOptions {
  host?: string;
  port?: number;
  aeTitle?: string;
  /** Calling AE → principal; default: the demo (any AE acts as the demo township clinic). */
  aeAccess?: (callingAe: string, address: string) => Principal | null;
  /** Limits against hostile or runaway peers (see dimse/index.ts for the defaults). */
  maxPduBytes?: number;
  maxAssociations?: number;
  maxInstanceBytes?: number;
}

export interface PacsBridgeOptions {
  dataDir: string;
  authenticate: (req: Request) => Promise<Principal | null>;
  /** A real PACS behind the bridge (e.g. createOrthancStore); default: the embedded store. */
  upstream?: StudyStore;
  dimse?: DimseOptions;
  logger?: Logger;
  /** Rooms (consults/referrals) a user is in, for studies shared with a room. */
  roomsOf?: (userId: string) => readonly string[] | Promise<readonly string[]>;
  limits?: Partial<WebLimits>;
  uploads?: { maxFileBytes?: number; partBytes?: number; maxInMemoryBytes?: number };
}

export interface PacsBridge {
  router: Router;
  ingestor: PipelineIngestor;
  store: StudyStore;
  events: EventEmitter<StudyEvents>;
  uploadEvents: EventEmitter<UploadEvents>;
  audit: SqliteAuditLog;
  access: AccessPolicy;
  dimse?: DimseServer;
  close(): Promise<void>;
}

export async function createPacsBridge(options: PacsBridgeOptions): Promise<PacsBridge> {
  mkdirSync(options.dataDir, { recursive: true });
  const logger = options.logger ?? silentLogger;
  const store = options.upstream ?? (await createEmbeddedStore({ dataDir: options.dataDir }));
  const audit = new SqliteAuditLog(options.dataDir);
  const shares = new StudyShares(options.dataDir);
  const access = new AccessPolicy({ shares, ...(options.roomsOf ? { roomsOf: options.roomsOf } : {}) });
  const events = new EventEmitter<StudyEvents>();
  const ingestor = new PipelineIngestor({ store, access, audit, events, logger });
  const ctx: WebContext = {
    store,
    ingestor,
    access,
    audit,
    logger,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    mountPath: '/dicomweb',
  };
  const uploads = new UploadSessions({ dataDir: options.dataDir, ingestor, ...options.uploads });
  await uploads.sweep();

  const router = Router();
  router.use(async (req, res, next) => {
    let principal: Principal | null = null;
    try {
      principal = await options.authenticate(req);
    } catch {
      principal = null;
    }
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'a valid access token is required');
      return;
    }
    setPrincipal(req, { ...principal, address: principal.address ?? req.ip });
    next();
  });
  router.use('/dicomweb', createDicomWebRouter(ctx));
  router.use('/api/uploads', createUploadsRouter(uploads));
  router.use(
    '/api/ecg',
    createEcgRouter({
      store,
      ingestor,
      audit,
      authorize: async (principal, study) => {
        const owner = await studyOwner(store, study);
        return owner === undefined ? true : access.canRead(principal, study, owner);
      },
      principalOf: (req) => {
        try {
          return principalOf(req);
        } catch {
          return undefined;
        }
      },
    }),
  );
  // Annotations saved with a study (consult rooms), readable and writable by whoever may read the study.
  router.use(
    '/api/annotations',
    createAnnotationsRouter({
      sidecars: new AnnotationSidecars(options.dataDir),
      audit,
      mayRead: async (principal, study) => {
        const owner = await studyOwner(store, study);
        return owner !== undefined && access.canRead(principal, study, owner);
      },
    }),
  );
  // The audit record, for admins: GET /api/audit?study=<uid>&user=<id>&after=<seq>&limit=<n>.
  router.get('/api/audit', (req, res) => {
    const principal = principalOf(req);
    if (principal.role !== 'admin') return sendError(res, 403, 'only admins may read the audit log');
    const q = req.query as Record<string, string | undefined>;
    const int = (v: string | undefined) => (v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
    if (
      (q.after !== undefined && int(q.after) === undefined) ||
      (q.limit !== undefined && int(q.limit) === undefined)
    ) {
      return sendError(res, 400, 'after and limit must be non-negative integers');
    }
    res.json(
      audit.query({
        ...(q.study ? { studyInstanceUid: q.study } : {}),
        ...(q.user ? { userId: q.user } : {}),
        ...(int(q.after) !== undefined ? { afterSeq: int(q.after)! } : {}),
        ...(int(q.limit) !== undefined ? { limit: int(q.limit)! } : {}),
      }),
    );
  });
  router.use(['/dicomweb', '/api/uploads', '/api/annotations'], (_req, res) =>
    sendError(res, 404, 'no such resource'),
  );
  // Body-parser and other middleware errors: a status and a reason, never an HTML stack page.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; expose?: boolean; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    sendError(
      res,
      status,
      status < 500 && e.expose !== false ? (e.message ?? 'bad request') : 'internal error',
    );
  });

  let dimse: DimseServer | undefined;
  if (options.dimse) {
    dimse = await startDimseServer({
      host: options.dimse.host ?? '0.0.0.0',
      port: options.dimse.port ?? 11112,
      ...(options.dimse.aeTitle ? { aeTitle: options.dimse.aeTitle } : {}),
      ingestor,
      store,
      audit,
      aeAccess: options.dimse.aeAccess ?? demoAeAccess(),
      scope: (principal) => access.scope(principal),
      ...pick(options.dimse, ['maxPduBytes', 'maxAssociations', 'maxInstanceBytes']),
    });
  }

  return {
    router,
    ingestor,
    store,
    events,
    uploadEvents: uploads.events,
    audit,
    access,
    ...(dimse ? { dimse } : {}),
    async close() {
      await dimse?.close();
      await store.close();
      audit.close();
      shares.close();
    },
  };
}

/** The keys of `o` that are set (exactOptionalPropertyTypes forbids passing undefined through). */
function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
