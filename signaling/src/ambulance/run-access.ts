// Who may do what with a run. The crew: the user who created it, and any ambulance user of the same
// institution (a shift change, a second device in the vehicle). The hospital: any staff member of the
// destination. Admins: everything.
import type { UserInfo } from '../protocol/index.js';
import type { RunRecord, RunScope } from './runs-repository.js';

type Who = Pick<UserInfo, 'id' | 'role' | 'institution'>;

export function isCrew(user: Who, run: RunRecord): boolean {
  return (
    run.crew.userId === user.id ||
    (user.role === 'ambulance' && user.institution.id === run.crew.institutionId)
  );
}

export function isDestinationStaff(user: Who, run: RunRecord): boolean {
  return user.institution.kind === 'hospital' && user.institution.id === run.destination.id;
}

export const canSeeRun = (user: Who, run: RunRecord): boolean =>
  user.role === 'admin' || isCrew(user, run) || isDestinationStaff(user, run);

/** Sending telemetry for a run. */
export const canPush = (user: Who, run: RunRecord): boolean => user.role === 'admin' || isCrew(user, run);

/** Calling a receiving team, opening the consult from the hospital side. */
export const canReceive = (user: Who, run: RunRecord): boolean =>
  user.role === 'admin' || isDestinationStaff(user, run);

/** Declaring arrival: the crew at the door or the hospital taking the patient. */
export const canArrive = (user: Who, run: RunRecord): boolean =>
  user.role === 'admin' || isCrew(user, run) || isDestinationStaff(user, run);

export const canCreateRun = (user: Who): boolean => user.role === 'ambulance' || user.role === 'admin';

/** The arrival board: staff of a hospital (any role) and admins. */
export const canWatchBoard = (user: Who): boolean =>
  user.role === 'admin' || user.institution.kind === 'hospital';

/** The runs a user's lists show; null = all (admin). */
export function scopeOf(user: Who): RunScope | null {
  if (user.role === 'admin') return null;
  return {
    crewUserId: user.id,
    ...(user.role === 'ambulance' ? { crewInstitutionId: user.institution.id } : {}),
    ...(user.institution.kind === 'hospital' ? { destinationId: user.institution.id } : {}),
  };
}
