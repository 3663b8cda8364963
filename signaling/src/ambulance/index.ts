// The ambulance side of the server (issue 5): runs, their store-and-forward telemetry, the arrival
// board, prenotification and the handover. `createAmbulance` wires it; the HTTP routes and the socket
// gateway call into what it returns.
import type { Registry } from 'prom-client';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import type { RoomChangeListener } from '../socket/cluster-bus.js';
import type { AmbulanceEvents } from './ambulance-events.js';
import { ambulanceMetrics, noAmbulanceMetrics } from './ambulance-metrics.js';
import { AmbulanceSocket } from './ambulance-socket.js';
import { ArrivalService, type SnapshotStore } from './arrival-service.js';
import { RunService } from './run-service.js';
import { RunViews } from './run-views.js';
import { RunsRepository } from './runs-repository.js';
import { TelemetryService } from './telemetry-service.js';
import { TelemetryStore } from './telemetry-store.js';

export { socketAmbulanceEvents, type AmbulanceEvents } from './ambulance-events.js';
export { PacsSnapshots } from './pacs-snapshots.js';

export interface AmbulanceDeps {
  db: Db;
  /** A second connection to the same database, for telemetry only (see TelemetryStore). */
  telemetryDb: Db;
  accounts: AccountsRepository;
  rooms: ConsultRoomsRepository;
  changes: RoomChangeListener;
  events: AmbulanceEvents;
  logger: Logger;
  /** Where to register the ambulance metrics (none in unit tests that do not care). */
  metrics?: Registry;
  /** ECG snapshots into the PACS; null without one. */
  snapshots?: SnapshotStore | null;
}

export interface Ambulance {
  runs: RunService;
  telemetry: TelemetryService;
  arrivals: ArrivalService;
  socket: AmbulanceSocket;
  repository: RunsRepository;
}

export function createAmbulance(deps: AmbulanceDeps): Ambulance {
  const logger = deps.logger.child({ component: 'ambulance' });
  const repository = new RunsRepository(deps.db);
  const views = new RunViews(repository, new TelemetryStore(deps.telemetryDb));
  const metrics = deps.metrics
    ? ambulanceMetrics(deps.metrics, () => repository.countEnroute())
    : noAmbulanceMetrics;
  const telemetry = new TelemetryService(views, deps.events, metrics);
  return {
    runs: new RunService({
      db: deps.db,
      accounts: deps.accounts,
      rooms: deps.rooms,
      changes: deps.changes,
      events: deps.events,
      views,
      logger,
    }),
    telemetry,
    arrivals: new ArrivalService(views, deps.events, deps.snapshots ?? null, logger),
    socket: new AmbulanceSocket(telemetry),
    repository,
  };
}
