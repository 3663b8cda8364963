// Arrival: the run stops taking telemetry, and the handover — vitals timeline, alarms, events, route,
// ECG snapshots in the PACS — is built from what was stored and saved to the record. Declaring
// arrival twice (crew and hospital both press) answers the same handover; a handover that failed to
// save is built again by the next call.
import { ProtocolError, type AmbulanceRun, type Handover, type UserInfo } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import type { AmbulanceEvents } from './ambulance-events.js';
import { assembleWindow } from './ecg-window.js';
import { planSnapshots, summarizeRoute, summarizeVitals } from './handover-builder.js';
import type { WindowData } from './pacs-snapshots.js';
import { canArrive } from './run-access.js';
import type { RunRecord } from './runs-repository.js';
import type { RunViews } from './run-views.js';

/** Stores ECG windows of a run in the PACS; absent when no PACS runs here. */
export interface SnapshotStore {
  store(user: UserInfo, run: RunRecord, windows: readonly WindowData[]): Promise<Handover['ecg']>;
}

/** A chunk holds at most 1000 samples at ≥ 100 Hz: one starting this long before a window may reach into it. */
const MAX_CHUNK_MS = 10_000;

export interface ArrivalResult {
  run: AmbulanceRun;
  handover: Handover;
}

export class ArrivalService {
  private readonly pending = new Map<string, Promise<Handover>>();

  constructor(
    private readonly views: RunViews,
    private readonly events: AmbulanceEvents,
    private readonly snapshots: SnapshotStore | null,
    private readonly logger: Logger,
  ) {}

  async arrive(user: UserInfo, runId: string): Promise<ArrivalResult> {
    const run = this.views.visible(user, runId);
    if (!canArrive(user, run))
      throw new ProtocolError('FORBIDDEN', 'Only the crew or the destination hospital declares arrival');
    if (run.status === 'cancelled') throw new ProtocolError('CONFLICT', 'The run was cancelled');
    const arrived = run.status === 'enroute' && this.views.runs.markArrived(run.id, new Date().toISOString());
    if (arrived) this.logger.info({ runId: run.id, userId: user.id }, 'ambulance arrived');
    try {
      const handover = await this.handoverOf(user, run.id);
      return { run: this.views.view(this.views.runs.get(run.id)!), handover };
    } finally {
      // Announced once the handover is saved, so a board reacting to it can open the handover at once.
      if (arrived) this.events.runUpdated(this.views.view(this.views.runs.get(run.id)!));
    }
  }

  handover(user: UserInfo, runId: string): Handover {
    const run = this.views.visible(user, runId);
    const handover = this.views.runs.handover(run.id);
    if (!handover)
      throw new ProtocolError(
        'NOT_FOUND',
        run.status === 'enroute' ? 'The run has not arrived yet' : 'The handover is being prepared',
      );
    return handover;
  }

  /** The saved handover, or the one being built, or a new one (one build per run at a time). */
  private handoverOf(user: UserInfo, runId: string): Promise<Handover> {
    const saved = this.views.runs.handover(runId);
    if (saved) return Promise.resolve(saved);
    let building = this.pending.get(runId);
    if (!building) {
      building = this.build(user, runId).finally(() => this.pending.delete(runId));
      this.pending.set(runId, building);
    }
    return building;
  }

  private async build(user: UserInfo, runId: string): Promise<Handover> {
    const run = this.views.runs.get(runId)!;
    const store = this.views.telemetry;
    const { vitals, alarms } = summarizeVitals(store.all(run.id, 'vitals'));
    const route = summarizeRoute(store.all(run.id, 'position'));
    const events = [...store.all(run.id, 'event')];
    const acked = store.acks(run.id);
    const extent = this.ecgExtent(run.id, acked.ecg);
    const windows = extent ? planSnapshots(extent.startT, extent.endT, alarms) : [];
    let ecg: Handover['ecg'];
    if (!extent) ecg = { studyInstanceUid: null, snapshots: [], unavailable: 'No ECG was received' };
    else if (!this.snapshots)
      ecg = {
        studyInstanceUid: null,
        snapshots: [],
        unavailable: 'No image archive (PACS) runs on this server',
      };
    else ecg = await this.snapshots.store(user, run, this.windowData(run.id, windows));
    const handover: Handover = {
      runId: run.id,
      callsign: run.callsign,
      patient: run.patient,
      destination: { id: run.destination.id, name: run.destination.name },
      createdAt: new Date().toISOString(),
      arrivedAt: run.arrivedAt ?? new Date().toISOString(),
      vitals,
      alarms,
      events,
      route,
      prenotifications: this.views.runs.prenotifications(run.id),
      counts: acked,
      ecg,
    };
    this.views.runs.saveHandover(handover);
    this.logger.info(
      { runId: run.id, snapshots: ecg.snapshots.length, alarms: alarms.length },
      'handover saved',
    );
    return handover;
  }

  private windowData(runId: string, windows: ReturnType<typeof planSnapshots>): WindowData[] {
    return windows.flatMap((window) => {
      const chunks = this.views.telemetry.ecgBetween(runId, window.fromT - MAX_CHUNK_MS, window.toT);
      const ecg = assembleWindow(chunks, window.fromT, window.toT);
      return ecg ? [{ window, ecg }] : [];
    });
  }

  /** Device time covered by the stored ECG: first chunk's start to last chunk's end. */
  private ecgExtent(runId: string, acked: number): { startT: number; endT: number } | null {
    if (acked === 0) return null;
    const first = this.views.telemetry.history(runId, 'ecg', 0, 1)[0];
    const last = this.views.telemetry.latest(runId, 'ecg');
    if (!first || !last) return null;
    return { startT: first.t, endT: last.t + Math.round((last.count * 1000) / last.sampleRate) };
  }
}
