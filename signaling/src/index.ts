// `startPlatform(options)`: the whole server in one call — database, accounts, SFU, HTTP API,
// Socket.IO, metrics — and one `close()` that stops all of it. `main.ts` calls it with the
// environment's configuration; tests call it with their own (port 0, a temp data dir, a fake SFU).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import type { Sfu, SfuConfig } from '@telemed/sfu';
import { MAX_MESSAGE_BYTES } from './protocol/index.js';
import { AccountsRepository } from './accounts/accounts-repository.js';
import { AmbulanceCameras } from './ambulance/camera/index.js';
import { createAmbulance, PacsSnapshots, socketAmbulanceEvents, type Ambulance } from './ambulance/index.js';
import { seedDemoAccounts } from './accounts/demo-accounts.js';
import { AccessTokens } from './auth/access-tokens.js';
import { AttemptLimiter, type LimitOptions } from './auth/attempt-limiter.js';
import { AuthService } from './auth/auth-service.js';
import { RefreshTokenRepository } from './auth/refresh-tokens.js';
import { ChatRepository } from './chat/chat-repository.js';
import { assertProductionSafe, defaultConfig, type PlatformConfig } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { createApp } from './http/app.js';
import { defaultViewerDir } from './http/viewer-static.js';
import type { RoomFeatureFactory } from './live/room-features.js';
import { RoomRegistry } from './live/room-registry.js';
import { sharedViewing } from './live/viewing/index.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { ConsultRoomsRepository } from './rooms/consult-rooms-repository.js';
import { ClusterBus } from './socket/cluster-bus.js';
import { openPacsLink, type PacsLink } from './pacs/pacs-link.js';
import { createReferrals, socketReferralNotifier } from './referrals/index.js';
import { attachGateway } from './socket/gateway.js';
import { attachRedisAdapter, type RedisLink } from './socket/redis-adapter.js';
import { DEFAULT_REQUEST_BUDGET, type BucketOptions } from './socket/token-bucket.js';
import type { TelemedServer } from './socket/types.js';

export { configFromEnv, defaultConfig, ConfigError, DEV_JWT_SECRET, type PlatformConfig } from './config.js';
export { DEMO_ACCOUNTS, DEMO_INSTITUTIONS, type DemoAccount } from './accounts/demo-accounts.js';
export type { RoomFeature, RoomFeatureFactory } from './live/room-features.js';
export type { TelemedServer } from './socket/types.js';
export type { Logger } from './logger.js';

export interface PlatformOptions extends Partial<PlatformConfig> {
  /**
   * A media plane to use instead of creating one (tests use a fake). An injected SFU belongs to the
   * caller: `close()` leaves it running.
   */
  sfu?: Sfu;
  /** Overrides on top of `sfuConfigFromEnv(process.env)` when the platform creates the SFU. */
  sfuConfig?: Partial<SfuConfig>;
  logger?: Logger;
  /** The built browser app; default `viewer/dist` of this repository. */
  viewerDir?: string;
  /** Login attempts per IP+username; default 10 a minute. */
  loginLimit?: LimitOptions;
  /** Socket.IO requests per connection; default burst 50, 20/s. */
  requestBudget?: BucketOptions;
  /** Per-room features; default: shared viewing of studies (issue 4). */
  roomFeatures?: RoomFeatureFactory[];
}

export interface Platform {
  /** Base URL to open (`http://localhost:<port>` when bound to all interfaces). */
  url: string;
  port: number;
  config: PlatformConfig;
  sfu: Sfu;
  io: TelemedServer;
  server: http.Server;
  app: Express;
  db: Db;
  rooms: RoomRegistry;
  accounts: AccountsRepository;
  auth: AuthService;
  metrics: Registry;
  logger: Logger;
  /** The PACS bridge (DICOMweb, DIMSE, uploads, ECG), unless started with `pacs: false`. */
  pacs: PacsLink['bridge'] | undefined;
  /** Ambulance runs, telemetry, board and handover (issue 5). */
  ambulance: Ambulance;
  /** True if this start created the demo accounts. */
  demoAccountsSeeded: boolean;
  /** Stops everything this call started: sockets, HTTP, live rooms and their timers, SFU, Redis, database. */
  close(): Promise<void>;
}

function resolveConfig(options: PlatformOptions): PlatformConfig {
  const config = defaultConfig();
  for (const key of Object.keys(config) as (keyof PlatformConfig)[]) {
    if (options[key] !== undefined) (config as unknown as Record<string, unknown>)[key] = options[key];
  }
  assertProductionSafe(config);
  return config;
}

async function createOwnSfu(overrides: Partial<SfuConfig> | undefined, logger: Logger): Promise<Sfu> {
  // Loaded only when needed: tests with a fake SFU never load mediasoup.
  const { createSfu, sfuConfigFromEnv } = await import('@telemed/sfu');
  return createSfu(
    { ...sfuConfigFromEnv(process.env), ...overrides },
    { logger: logger.child({ component: 'sfu' }) },
  );
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger(config.logLevel);
  // Undo in reverse order if a later step fails, so a failed start leaves nothing running.
  const undo: Array<() => Promise<void> | void> = [];
  const rollback = async () => {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };

  try {
    const db = openDatabase(config.dataDir);
    undo.push(() => void db.close());
    let demoAccountsSeeded = false;
    if (config.demoAccounts && !config.production)
      demoAccountsSeeded = await seedDemoAccounts(db, config.demoPassword);
    if (demoAccountsSeeded) logger.info('demo accounts created');

    const sfu = options.sfu ?? (await createOwnSfu(options.sfuConfig, logger));
    if (!options.sfu) undo.push(() => sfu.close());

    const accounts = new AccountsRepository(db);
    const consultRooms = new ConsultRoomsRepository(db);
    const auth = new AuthService(
      accounts,
      new AccessTokens(config.jwtSecret, config.accessTtlS),
      new RefreshTokenRepository(db, config.refreshTtlS),
      new AttemptLimiter(options.loginLimit ?? { max: 10, windowMs: 60_000 }),
    );
    let pacs: PacsLink | undefined;
    const registry = new RoomRegistry(sfu, {
      graceMs: config.reconnectGraceMs,
      iceServers: config.iceServers,
      chat: new ChatRepository(db),
      logger: logger.child({ component: 'rooms' }),
      // Shared viewing only of studies attached to the room (the PACS link is opened below).
      features: options.roomFeatures ?? [
        sharedViewing.with({
          studyAttached: (roomId, uid) =>
            !pacs || pacs.bridge.access.shares.attachedTo(roomId).some((s) => s.studyInstanceUid === uid),
        }),
      ],
    });
    const metrics = createMetrics(registry, sfu);

    const server = http.createServer();
    const io: TelemedServer = new Server(server, {
      path: '/socket.io',
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      serveClient: false,
      // Ambulances and tablets on mobile networks: a dead link (tunnel, cell handover) must be noticed
      // in well under the 15 s seat grace, not the 45 s of the defaults (25 s interval + 20 s timeout).
      pingInterval: 10_000,
      pingTimeout: 8_000,
    });
    let redis: RedisLink | null = null;
    if (config.redisUrl) {
      redis = await attachRedisAdapter(io, config.redisUrl, logger);
      const link = redis;
      undo.push(() => link.close());
    }
    undo.push(async () => {
      const closing = io.close();
      // Idle keep-alive connections (fetch in tests, browsers) would otherwise hold close() open.
      server.closeAllConnections();
      await closing;
    });
    // Runs first at close: live rooms end (timers cleared, routers closed) before sockets drop, so
    // the disconnects start no grace periods.
    undo.push(() => registry.closeAll());
    const bus = new ClusterBus(io, registry, redis !== null);
    if (config.pacs) {
      const link = await openPacsLink({
        config,
        auth,
        accounts,
        rooms: consultRooms,
        studyUpdated: (update) => bus.studyUpdated(update),
        studyWatched: (update) => bus.studyWatched(update),
        logger,
      });
      pacs = link;
      undo.push(() => link.close());
    }
    // Telemetry commits on a connection of its own, fsynced at every commit (see TelemetryStore).
    const telemetryDb = openDatabase(config.dataDir);
    undo.push(() => void telemetryDb.close());
    const ambulance = createAmbulance({
      db,
      telemetryDb,
      accounts,
      rooms: consultRooms,
      changes: bus,
      events: socketAmbulanceEvents(io),
      logger,
      metrics,
      snapshots: pacs ? new PacsSnapshots({ bridge: pacs.bridge, logger }) : null,
    });
    attachGateway(io, {
      ...(pacs ? { studies: pacs } : {}),
      ambulance: ambulance.socket,
      auth,
      rooms: consultRooms,
      registry,
      logger,
      requestBudget: options.requestBudget ?? DEFAULT_REQUEST_BUDGET,
    });
    // Vehicle cameras: seated in their run's live room, so they leave before the rooms close.
    const cameras = new AmbulanceCameras({ registry, runs: (u, id) => ambulance.runs.get(u, id), logger });
    undo.push(() => cameras.closeAll());

    const app = createApp({
      auth,
      accounts,
      rooms: consultRooms,
      participants: (roomId) => registry.participants(roomId),
      changes: bus,
      sfu,
      db,
      metrics,
      ambulance,
      cameras,
      viewerDir: options.viewerDir ?? defaultViewerDir(),
      logger,
      ...(pacs ? { pacs } : {}),
      ...(pacs
        ? {
            referrals: createReferrals({
              db,
              accounts,
              bridge: pacs.bridge,
              notifier: socketReferralNotifier(io),
              logger,
            }),
          }
        : {}),
    });
    server.on('request', app);
    const port = await listen(server, config.port, config.host);
    const url = publicUrl(config.host, port);
    logger.info({ port, host: config.host, redis: redis !== null }, 'platform listening');

    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      config: { ...config, port },
      sfu,
      io,
      server,
      app,
      db,
      rooms: registry,
      accounts,
      auth,
      metrics,
      logger,
      demoAccountsSeeded,
      ambulance,
      pacs: pacs?.bridge,
      close() {
        closing ??= (async () => {
          logger.info('platform stopping');
          await rollback();
        })();
        return closing;
      },
    };
  } catch (err) {
    await rollback();
    throw err;
  }
}
