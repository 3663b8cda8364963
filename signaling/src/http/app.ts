// The express application: security headers, JSON bodies, the API (auth first, then bearer-protected
// routes), operations endpoints, the browser app, and one JSON error handler at the end.
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Sfu } from '@telemed/sfu';
import { MAX_MESSAGE_BYTES, ProtocolError } from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import type { RoomChangeListener } from '../socket/cluster-bus.js';
import type { AmbulanceCameras } from '../ambulance/camera/index.js';
import { ambulanceCameraRoutes } from './ambulance-camera-routes.js';
import type { Ambulance } from '../ambulance/index.js';
import { ambulanceRoutes } from './ambulance-routes.js';
import { authRoutes } from './auth-routes.js';
import { requireUser } from './authenticate.js';
import { directoryRoutes } from './directory-routes.js';
import { errorHandler } from './errors.js';
import { opsRoutes } from './ops-routes.js';
import { roomsRoutes } from './rooms-routes.js';
import { roomStudiesRoutes } from './room-studies-routes.js';
import { referralRoutes } from './referral-routes.js';
import { reportRoutes } from './report-routes.js';
import type { Referrals } from '../referrals/index.js';
import type { PacsLink } from '../pacs/pacs-link.js';
import { securityHeaders } from './security-headers.js';
import { viewerRoutes } from './viewer-static.js';

export interface AppDeps {
  auth: AuthService;
  accounts: AccountsRepository;
  rooms: ConsultRoomsRepository;
  participants(roomId: string): number;
  changes: RoomChangeListener;
  sfu: Sfu;
  db: Db;
  metrics: Registry;
  viewerDir: string;
  logger: Logger;
  /** The PACS bridge, when it runs in this process. */
  pacs?: PacsLink;
  /** Referrals and reports (need the PACS bridge). */
  referrals?: Referrals;
  /** Ambulance runs, telemetry history, prenotification, handover (issue 5). */
  ambulance?: Ambulance;
  /** Vehicle cameras of ambulance runs (plain RTP into the run's room). */
  cameras?: AmbulanceCameras;
}

export function createApp(deps: AppDeps): Express {
  const logger = deps.logger.child({ component: 'http' });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      // Path only: query strings may carry search terms.
      logger.debug(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'http',
      );
    });
    next();
  });

  app.use(opsRoutes(deps));
  // DICOMweb, uploads and ECG parse their own bodies (multipart, large) and answer DICOMweb-style errors.
  if (deps.pacs) app.use(deps.pacs.handler);

  const api = express.Router();
  api.use(express.json({ limit: MAX_MESSAGE_BYTES }));
  api.use('/auth', authRoutes(deps.auth, logger));
  api.use(requireUser(deps.auth));
  api.use(directoryRoutes(deps.accounts));
  api.use(roomsRoutes({ ...deps, logger }));
  if (deps.pacs) api.use(roomStudiesRoutes({ rooms: deps.rooms, bridge: deps.pacs.bridge, logger }));
  if (deps.ambulance) api.use(ambulanceRoutes(deps.ambulance));
  if (deps.referrals) {
    api.use(reportRoutes({ reports: deps.referrals.reports }));
    api.use(referralRoutes(deps.referrals));
  }
  if (deps.cameras) api.use(ambulanceCameraRoutes(deps.cameras));
  api.use(() => {
    throw new ProtocolError('NOT_FOUND', 'No such API endpoint');
  });
  app.use('/api', api);

  app.use(viewerRoutes(deps.viewerDir));
  app.use((_req, _res) => {
    throw new ProtocolError('NOT_FOUND', 'Not found');
  });
  app.use(errorHandler(logger));
  return app;
}
