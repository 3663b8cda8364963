// Runs: creating one (with its consult room), reading them with the access rules, calling a receiving
// team, letting hospital staff into the run's consult room, and the crew cancelling it.
import {
  ProtocolError,
  type AmbulanceRun,
  type CreateRunBody,
  type HospitalsResponse,
  type ReceivingTeam,
  type RunStatus,
  type UserInfo,
} from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ConsultRoomsRepository } from '../rooms/consult-rooms-repository.js';
import type { RoomChangeListener } from '../socket/cluster-bus.js';
import type { AmbulanceEvents } from './ambulance-events.js';
import { canCreateRun, canReceive, isCrew, scopeOf } from './run-access.js';
import type { RunViews } from './run-views.js';

export interface RunServiceDeps {
  db: Db;
  views: RunViews;
  accounts: AccountsRepository;
  rooms: ConsultRoomsRepository;
  changes: RoomChangeListener;
  events: AmbulanceEvents;
  logger: Logger;
}

const MAX_ROOM_TITLE = 120;

export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  hospitals(): HospitalsResponse {
    return {
      hospitals: this.deps.accounts.hospitals().map(({ id, name, location }) => ({ id, name, location })),
    };
  }

  create(user: UserInfo, body: CreateRunBody): AmbulanceRun {
    if (!canCreateRun(user))
      throw new ProtocolError('FORBIDDEN', 'Only ambulance crews and admins start ambulance runs');
    const destination = this.deps.accounts.institution(body.destinationId);
    if (!destination) throw new ProtocolError('BAD_REQUEST', 'Unknown destination institution');
    if (destination.kind !== 'hospital')
      throw new ProtocolError('BAD_REQUEST', 'The destination must be a hospital');
    // The room title is seen in lobbies: call sign and destination only, never patient data.
    const title = `🚑 ${body.callsign} → ${destination.name}`.slice(0, MAX_ROOM_TITLE);
    const { views, rooms, db } = this.deps;
    const { room, run } = db.transaction(() => {
      const room = rooms.create(user.id, title, []);
      const run = views.runs.create({
        callsign: body.callsign,
        patient: body.patient,
        crewUserId: user.id,
        crewInstitutionId: user.institution.id,
        destinationId: destination.id,
        roomId: room.id,
      });
      return { room, run };
    })();
    this.deps.logger.info(
      { runId: run.id, crewUserId: user.id, destinationId: destination.id, roomId: room.id },
      'ambulance run created',
    );
    this.deps.changes.roomsChanged(room, 'created', [user.id]);
    const view = views.view(run);
    this.deps.events.runUpdated(view);
    return view;
  }

  list(user: UserInfo, status?: RunStatus): AmbulanceRun[] {
    return this.deps.views.runs.list(scopeOf(user), status).map((r) => this.deps.views.view(r));
  }

  get(user: UserInfo, runId: string): AmbulanceRun {
    return this.deps.views.view(this.deps.views.visible(user, runId));
  }

  /** Calls a receiving team; a team already called is not called again (the run comes back unchanged). */
  prenotify(user: UserInfo, runId: string, team: ReceivingTeam): AmbulanceRun {
    const { views } = this.deps;
    const run = views.visible(user, runId);
    if (!canReceive(user, run))
      throw new ProtocolError(
        'FORBIDDEN',
        'Only staff of the destination hospital may call a receiving team',
      );
    if (run.status !== 'enroute') throw new ProtocolError('CONFLICT', `The run is already ${run.status}`);
    if (!views.runs.addPrenotification(run.id, team, user.id, user.displayName)) return views.view(run);
    this.deps.logger.info({ runId: run.id, team, userId: user.id }, 'receiving team prenotified');
    const view = views.view(run);
    const prenotification = view.prenotifications.find((p) => p.team === team)!;
    this.deps.events.prenotification(run.destination.id, {
      runId: run.id,
      callsign: run.callsign,
      prenotification,
    });
    this.deps.events.runUpdated(view);
    return view;
  }

  /**
   * The crew calls the run off (no transport after all, another unit took the patient): it leaves the
   * boards and takes no more telemetry — as after arrival, a resend of what is stored is still acked.
   * Only while en route; the reason is the crew's words (possibly patient data: stored, never logged).
   */
  cancel(user: UserInfo, runId: string, reason: string | undefined): AmbulanceRun {
    const { views } = this.deps;
    const run = views.visible(user, runId);
    if (user.role !== 'admin' && !isCrew(user, run))
      throw new ProtocolError('FORBIDDEN', "Only the run's crew or an admin cancels a run");
    const text = reason?.trim() || null;
    if (run.status !== 'enroute' || !views.runs.markCancelled(run.id, new Date().toISOString(), text))
      throw new ProtocolError(
        'CONFLICT',
        `The run is already ${views.runs.get(run.id)?.status ?? run.status}`,
      );
    this.deps.logger.info(
      { runId: run.id, userId: user.id, withReason: text !== null },
      'ambulance run cancelled',
    );
    const view = views.view(views.runs.get(run.id)!);
    this.deps.events.runUpdated(view);
    return view;
  }

  /** The run's consult room, with the caller invited if they are hospital staff not yet in it. */
  consult(user: UserInfo, runId: string): { roomId: string } {
    const run = this.deps.views.visible(user, runId);
    if (!canReceive(user, run) && !isCrew(user, run)) {
      throw new ProtocolError('FORBIDDEN', 'Only the crew and the destination hospital join this consult');
    }
    const room = this.deps.rooms.get(run.roomId);
    if (!room) throw new ProtocolError('NOT_FOUND', "The run's consult room no longer exists");
    // Admins may join any room without an invitation; the owner needs none.
    if (user.role !== 'admin' && room.ownerId !== user.id && !room.invitees.includes(user.id)) {
      const updated = this.deps.rooms.invite(room.id, [user.id])!;
      this.deps.logger.info({ runId: run.id, roomId: room.id, userId: user.id }, 'invited into run consult');
      this.deps.changes.roomsChanged(updated, 'invited', [user.id]);
    }
    return { roomId: room.id };
  }
}
