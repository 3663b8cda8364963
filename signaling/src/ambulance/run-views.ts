// A stored run as the protocol shows it: the record, its prenotifications, its acks and the newest
// vitals and position (the board's first paint).
import { ProtocolError, type AmbulanceRun, type UserInfo } from '../protocol/index.js';
import { canSeeRun } from './run-access.js';
import type { RunRecord, RunsRepository } from './runs-repository.js';
import type { TelemetryStore } from './telemetry-store.js';

export class RunViews {
  constructor(
    readonly runs: RunsRepository,
    readonly telemetry: TelemetryStore,
  ) {}

  view(run: RunRecord): AmbulanceRun {
    return {
      ...run,
      prenotifications: this.runs.prenotifications(run.id),
      acked: this.telemetry.acks(run.id),
      latest: {
        vitals: this.telemetry.latest(run.id, 'vitals'),
        position: this.telemetry.latest(run.id, 'position'),
      },
    };
  }

  /** The run if it exists (404) and the user may see it (403). */
  visible(user: UserInfo, runId: string): RunRecord {
    const run = this.runs.get(runId);
    if (!run) throw new ProtocolError('NOT_FOUND', 'No such ambulance run');
    if (!canSeeRun(user, run))
      throw new ProtocolError('FORBIDDEN', 'Only the crew, the destination hospital and admins see this run');
    return run;
  }
}
