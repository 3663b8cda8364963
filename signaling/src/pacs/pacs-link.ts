// The PACS bridge inside the platform process: it authenticates with the same access tokens as the
// rest of the API, learns room membership from the consult rooms, and its live `instanceAdded`
// events become `studyUpdated` notifications in the consult rooms a study is attached to.
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import {
  allowListAeAccess,
  createOrthancStore,
  createPacsBridge,
  demoAeAccess,
  type PacsBridge,
  type Principal,
  type StudyStore,
} from '@telemed/pacs-bridge';
import type { StudyUpdate, UserInfo } from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { AuthService } from '../auth/auth-service.js';
import type { PlatformConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';

/** Paths the bridge answers; everything else stays with signalling. */
export const PACS_PATHS = /^\/(dicomweb|api\/(uploads|ecg|audit|annotations))(\/|$)/;

export interface PacsLinkDeps {
  config: PlatformConfig;
  auth: AuthService;
  accounts: AccountsRepository;
  rooms: ConsultRoomsRepository;
  /** Delivers a study update to the consult room's live call, wherever it runs. */
  studyUpdated(update: StudyUpdate): void;
  /** Delivers it to every connection watching the study (open viewers). */
  studyWatched(update: Omit<StudyUpdate, 'roomId'>): void;
  logger: Logger;
}

export interface PacsLink {
  bridge: PacsBridge;
  /** Express middleware: the bridge for its own paths, `next()` for the rest. */
  handler: RequestHandler;
  /** Whether the user may read the study (it exists and is theirs, or shared with them). */
  mayRead(user: UserInfo, studyInstanceUid: string): Promise<boolean>;
  close(): Promise<void>;
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // WADO-RS URLs are also opened by <img>/download links, which cannot send headers.
  const q = req.query.access_token;
  return typeof q === 'string' ? q : undefined;
}

export async function openPacsLink(deps: PacsLinkDeps): Promise<PacsLink> {
  const { config, logger } = deps;
  const dataDir = path.join(config.dataDir, 'pacs');
  let upstream: StudyStore | undefined;
  if (config.orthancUrl) {
    upstream = await createOrthancStore({
      url: config.orthancUrl,
      indexPath: path.join(dataDir, 'orthanc-index.sqlite'),
      ...(config.orthancUsername !== undefined ? { username: config.orthancUsername } : {}),
      ...(config.orthancPassword !== undefined ? { password: config.orthancPassword } : {}),
    });
  }
  const aeAccess = config.dicomAllowedAes
    ? allowListAeAccess(config.dicomAllowedAes)
    : config.production
      ? allowListAeAccess([])
      : demoAeAccess();

  const bridge = await createPacsBridge({
    dataDir,
    ...(upstream ? { upstream } : {}),
    logger: logger.child({ component: 'pacs' }),
    authenticate: async (req): Promise<Principal | null> => {
      const token = bearer(req);
      if (!token) return null;
      try {
        const { user } = await deps.auth.authenticate(token);
        return {
          userId: user.id,
          role: user.role,
          institutionId: user.institution.id,
          via: 'http',
          address: req.ip,
        };
      } catch {
        return null;
      }
    },
    roomsOf: (userId) => {
      const user = deps.accounts.get(userId);
      return user ? deps.rooms.listFor(user).map((r) => r.id) : [];
    },
    ...(config.dicomPort !== null
      ? { dimse: { host: config.dicomHost, port: config.dicomPort, aeTitle: config.dicomAeTitle, aeAccess } }
      : {}),
  });

  const shares = bridge.access.shares;
  bridge.events.on('instanceAdded', (info) => {
    for (const roomId of shares.roomsFor(info.studyInstanceUid)) deps.studyUpdated({ roomId, ...info });
    deps.studyWatched(info);
  });
  if (bridge.dimse)
    logger.info({ port: bridge.dimse.port, aeTitle: config.dicomAeTitle }, 'DICOM SCP listening');

  return {
    bridge,
    handler: (req, res, next) => (PACS_PATHS.test(req.path) ? bridge.router(req, res, next) : next()),
    async mayRead(user, studyInstanceUid) {
      const owner = (await bridge.store.instances(studyInstanceUid))[0]?.institutionId;
      if (owner === undefined) return false;
      const principal: Principal = {
        userId: user.id,
        role: user.role,
        institutionId: user.institution.id,
        via: 'http',
      };
      return bridge.access.canRead(principal, studyInstanceUid, owner);
    },
    close: () => bridge.close(),
  };
}
