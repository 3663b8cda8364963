// Who may do what to a referral, and what status it moves to. Pure: the routes ask here before they
// write, so every rule is in one place and unit-tested (transitions.test.ts).
//
//   up-referral:   requested → claimed → in-report → reported (signed) → completed
//   down-referral: requested → claimed → completed      (the clinic takes the patient back)
//   either:        requested|claimed|in-report → declined (target side) | cancelled (referring side)
import type {
  ErrorCode,
  ReferralAction,
  ReferralDirection,
  ReferralStatus,
  Role,
} from '../protocol/index.js';

export interface Actor {
  id: string;
  role: Role;
  institutionId: string;
}

/** The parts of a referral the rules read. */
export interface ReferralFacts {
  direction: ReferralDirection;
  status: ReferralStatus;
  referrerId: string;
  referrerInstitutionId: string;
  targetInstitutionId: string;
  targetUserId?: string;
  claimedById?: string;
}

export type Decision =
  | { ok: true; next: ReferralStatus }
  | { ok: false; code: Extract<ErrorCode, 'FORBIDDEN' | 'CONFLICT' | 'BAD_REQUEST'>; message: string };

const deny = (message: string): Decision => ({ ok: false, code: 'FORBIDDEN', message });
const conflict = (message: string): Decision => ({ ok: false, code: 'CONFLICT', message });
const to = (next: ReferralStatus): Decision => ({ ok: true, next });

/** Roles that receive a referral going this way: specialists up, the clinic's staff down. */
const receivingRoles = (d: ReferralDirection): readonly Role[] =>
  d === 'up' ? ['specialist'] : ['clinician', 'ambulance'];

/** Roles that may send a referral this way. */
export const sendingRoles = (d: ReferralDirection): readonly Role[] =>
  d === 'up' ? ['clinician', 'ambulance', 'specialist'] : ['specialist'];

export const OPEN_STATUSES: readonly ReferralStatus[] = ['requested', 'claimed', 'in-report'];

/** Someone at the referring institution (who sent it, or a colleague in the same role family). */
export function isReferringSide(a: Actor, r: ReferralFacts): boolean {
  if (a.id === r.referrerId) return true;
  return a.institutionId === r.referrerInstitutionId && sendingRoles(r.direction).includes(a.role);
}

/** Someone the referral is addressed to (the named person if there is one, else the target's staff). */
export function isTargetCandidate(a: Actor, r: ReferralFacts): boolean {
  if (a.institutionId !== r.targetInstitutionId || !receivingRoles(r.direction).includes(a.role))
    return false;
  return r.targetUserId === undefined || r.targetUserId === a.id;
}

/** Admins, and both institutions' staff, may read a referral (and its report). */
export function canView(a: Actor, r: ReferralFacts): boolean {
  return (
    a.role === 'admin' ||
    isReferringSide(a, r) ||
    (a.institutionId === r.targetInstitutionId && receivingRoles(r.direction).includes(a.role))
  );
}

export function canCreate(a: Actor, direction: ReferralDirection): boolean {
  return a.role === 'admin' || sendingRoles(direction).includes(a.role);
}

export function decide(action: ReferralAction, a: Actor, r: ReferralFacts): Decision {
  const isClaimer = r.claimedById === a.id;
  switch (action) {
    case 'claim':
      if (!isTargetCandidate(a, r)) return deny('This referral is not addressed to you');
      if (r.status !== 'requested') {
        return conflict(
          r.claimedById
            ? 'This referral has already been claimed'
            : `A ${r.status} referral cannot be claimed`,
        );
      }
      return to('claimed');
    case 'decline':
      if (!(isClaimer || (r.status === 'requested' && isTargetCandidate(a, r))))
        return deny('Only the specialist it is addressed to may decline this referral');
      if (!OPEN_STATUSES.includes(r.status)) return conflict(`A ${r.status} referral cannot be declined`);
      return to('declined');
    case 'cancel':
      if (!(isReferringSide(a, r) || a.role === 'admin'))
        return deny('Only the referring side may cancel this referral');
      if (!OPEN_STATUSES.includes(r.status)) return conflict(`A ${r.status} referral cannot be cancelled`);
      return to('cancelled');
    case 'complete':
      if (r.direction === 'up') {
        if (!isReferringSide(a, r)) return deny('Only the referring side may complete this referral');
        if (r.status !== 'reported') return conflict('Only a referral with a signed report can be completed');
      } else {
        if (!isClaimer) return deny('Only whoever claimed this down-referral may complete it');
        if (r.status !== 'claimed') return conflict(`A ${r.status} down-referral cannot be completed`);
      }
      return to('completed');
  }
}

/** Saving a report draft: the claiming specialist, while it is being reported. */
export function decideDraft(a: Actor, r: ReferralFacts): Decision {
  if (r.direction !== 'up')
    return { ok: false, code: 'BAD_REQUEST', message: 'A down-referral has no report' };
  if (a.role !== 'specialist' || r.claimedById !== a.id)
    return deny('Only the specialist who claimed this referral may write its report');
  if (r.status === 'reported' || r.status === 'completed')
    return conflict('The report is signed and cannot be changed; add an addendum instead');
  if (r.status !== 'claimed' && r.status !== 'in-report')
    return conflict(`A ${r.status} referral cannot be reported`);
  return to('in-report');
}

/** Signing: the claiming specialist, once a draft exists. */
export function decideSign(a: Actor, r: ReferralFacts): Decision {
  const draft = decideDraft(a, r);
  if (!draft.ok) return draft;
  if (r.status !== 'in-report') return conflict('Write the report before signing it');
  return to('reported');
}

/** Addenda: specialists of the reporting institution, to a signed report. */
export function decideAddendum(a: Actor, r: ReferralFacts): Decision {
  if (a.role !== 'specialist' || a.institutionId !== r.targetInstitutionId)
    return deny('Only a specialist of the reporting hospital may add an addendum');
  if (r.status !== 'reported' && r.status !== 'completed')
    return conflict('Only a signed report takes addenda; edit the draft instead');
  return { ok: true, next: r.status };
}
