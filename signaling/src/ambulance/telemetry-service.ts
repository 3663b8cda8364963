// Telemetry in and out: a crew's push is stored (exactly once, in order, durably) and only then
// acknowledged and announced to the boards; a sender's resume learns what is stored; a board or the
// handover reads history.
import {
  ProtocolError,
  type Responses,
  type TelemetryHistory,
  type TelemetryPush,
  type TelemetryStream,
  type UserInfo,
  type AmbulanceRun,
} from '../protocol/index.js';
import type { AmbulanceEvents } from './ambulance-events.js';
import type { AmbulanceMetrics } from './ambulance-metrics.js';
import { canPush, canWatchBoard } from './run-access.js';
import type { RunViews } from './run-views.js';

export const HISTORY_DEFAULT_LIMIT = 500;
export const HISTORY_MAX_LIMIT = 5000;

export class TelemetryService {
  constructor(
    private readonly views: RunViews,
    private readonly events: AmbulanceEvents,
    private readonly metrics: AmbulanceMetrics,
  ) {}

  push(user: UserInfo, push: TelemetryPush): Responses['telemetry:push'] {
    const done = this.metrics.pushTimer();
    try {
      const run = this.views.visible(user, push.runId);
      if (!canPush(user, run))
        throw new ProtocolError('FORBIDDEN', "Only the run's crew sends its telemetry");
      const { acked, stored } = this.views.telemetry.append(run.id, push.stream, push.items);
      if (stored.length > 0) {
        this.metrics.stored(push.stream, stored.length);
        // After the commit: a board never sees a sample the record might not have.
        this.events.telemetry(run.destination.id, {
          runId: run.id,
          stream: push.stream,
          items: stored,
        } as never);
      }
      return { stream: push.stream, acked };
    } finally {
      done();
    }
  }

  resume(user: UserInfo, runId: string): Responses['telemetry:resume'] {
    const run = this.views.visible(user, runId);
    if (!canPush(user, run)) throw new ProtocolError('FORBIDDEN', "Only the run's crew sends its telemetry");
    return { acked: this.views.telemetry.acks(run.id) };
  }

  history<S extends TelemetryStream>(
    user: UserInfo,
    runId: string,
    stream: S,
    after: number,
    limit: number,
  ): TelemetryHistory<S> {
    const run = this.views.visible(user, runId);
    const items = this.views.telemetry.history(run.id, stream, after, limit);
    return { items, acked: this.views.telemetry.acked(run.id, stream) };
  }

  /** The en-route runs a board shows: bound for the user's hospital, or all for an admin. */
  boardRuns(user: UserInfo): AmbulanceRun[] {
    if (!canWatchBoard(user)) throw new ProtocolError('FORBIDDEN', 'The arrival board is for hospital staff');
    const scope = user.role === 'admin' ? null : { destinationId: user.institution.id };
    return this.views.runs.list(scope, 'enroute').map((r) => this.views.view(r));
  }
}
