// Referrals: creating one (which shares the study with whoever it is addressed to), listing them for
// the clinic ("my referrals") and the specialist (worklist), and the status changes. Every step and
// every refused step is written to the bridge's audit chain; everyone concerned hears of each change.
import type { PacsBridge, Principal } from '@telemed/pacs-bridge';
import {
  ProtocolError,
  type CreateReferralRequestSchema,
  type ReferralAction,
  type ReferralEvent,
  type ReferralQuerySchema,
  type UserInfo,
} from '../protocol/index.js';
import type { z } from 'zod';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { Logger } from '../logger.js';
import type { ReferralNotifier } from './referral-notifier.js';
import { publicReferral, type ReferralRecord, type ReferralsRepository } from './referrals-repository.js';
import { canCreate, canView, decide, isTargetCandidate, type Actor, type Decision } from './transitions.js';

export interface ReferralServiceDeps {
  referrals: ReferralsRepository;
  accounts: AccountsRepository;
  bridge: PacsBridge;
  notifier: ReferralNotifier;
  logger: Logger;
}

export const actorOf = (u: UserInfo): Actor => ({ id: u.id, role: u.role, institutionId: u.institution.id });

export const principalOf = (u: UserInfo): Principal => ({
  userId: u.id,
  role: u.role,
  institutionId: u.institution.id,
  via: 'http',
});

const NON_IMAGE = new Set(['SR', 'DOC', 'KO', 'PR']);

export class ReferralService {
  constructor(private readonly deps: ReferralServiceDeps) {}

  /** The referral if it exists and the user may see it; 404 otherwise (its existence does not leak). */
  visible(user: UserInfo, id: string): ReferralRecord {
    const record = this.deps.referrals.get(id);
    if (!record || !canView(actorOf(user), record.facts))
      throw new ProtocolError('NOT_FOUND', 'No such referral');
    return record;
  }

  list(user: UserInfo, query: z.output<typeof ReferralQuerySchema>): ReferralRecord[] {
    const inst = user.institution.id;
    const all = user.role === 'admin';
    const records = this.deps.referrals.list({
      ...(query.status ? { status: query.status } : {}),
      ...(query.urgency ? { urgency: query.urgency } : {}),
      ...(query.modality ? { modality: query.modality } : {}),
      ...(all
        ? {}
        : query.view === 'worklist'
          ? { targetInstitutionId: inst }
          : { referrerInstitutionId: inst, targetInstitutionId: inst }),
    });
    const actor = actorOf(user);
    return records.filter((r) =>
      query.view === 'worklist'
        ? all || isTargetCandidate(actor, r.facts) || r.facts.claimedById === user.id
        : canView(actor, r.facts),
    );
  }

  async create(user: UserInfo, body: z.output<typeof CreateReferralRequestSchema>): Promise<ReferralRecord> {
    const actor = actorOf(user);
    const fail = (code: 'FORBIDDEN' | 'BAD_REQUEST' | 'NOT_FOUND', message: string): never => {
      this.audit(user, 'referral', body.studyInstanceUid, 'denied', `create ${body.direction}: ${message}`);
      throw new ProtocolError(code, message);
    };
    if (!canCreate(actor, body.direction))
      fail(
        'FORBIDDEN',
        body.direction === 'up'
          ? 'Your role cannot refer upwards'
          : 'Only specialists refer patients back down',
      );
    const users = this.deps.accounts.list();
    const targetStaff = users.filter((u) => u.institution.id === body.targetInstitutionId);
    const target = targetStaff[0]?.institution;
    if (!target) fail('BAD_REQUEST', 'Unknown target institution');
    const wantKind = body.direction === 'up' ? ['hospital'] : ['clinic', 'ambulance-service'];
    if (!wantKind.includes(target!.kind))
      fail(
        'BAD_REQUEST',
        body.direction === 'up' ? 'An up-referral goes to a hospital' : 'A down-referral goes to a clinic',
      );
    if (body.targetInstitutionId === user.institution.id) fail('BAD_REQUEST', 'Refer to another institution');
    const receivers = targetStaff.filter((u) =>
      isTargetCandidate(actorOf(u), {
        direction: body.direction,
        status: 'requested',
        referrerId: user.id,
        referrerInstitutionId: user.institution.id,
        targetInstitutionId: body.targetInstitutionId,
        ...(body.targetUserId ? { targetUserId: body.targetUserId } : {}),
      }),
    );
    if (body.targetUserId && receivers.length === 0)
      fail('BAD_REQUEST', 'The named colleague does not work there or cannot take referrals');
    if (body.parentId) {
      const parent = this.deps.referrals.get(body.parentId);
      if (!parent || !canView(actor, parent.facts)) fail('NOT_FOUND', 'No such referral to answer');
      if (parent!.direction !== 'up' || parent!.studyInstanceUid !== body.studyInstanceUid)
        fail('BAD_REQUEST', 'A down-referral answers an up-referral of the same study');
    }

    // The study must exist and be readable by the referrer: referring is sharing it.
    const instances = await this.deps.bridge.store.instances(body.studyInstanceUid);
    const owner = instances[0]?.institutionId;
    if (!owner || !(await this.deps.bridge.access.canRead(principalOf(user), body.studyInstanceUid, owner)))
      fail('NOT_FOUND', 'No such study');
    const modality =
      instances.find((i) => i.modality && !NON_IMAGE.has(i.modality))?.modality ?? body.modality;

    const record = this.deps.referrals.create({
      studyInstanceUid: body.studyInstanceUid,
      ...(modality ? { modality } : {}),
      clinicalQuestion: body.clinicalQuestion,
      urgency: body.urgency,
      direction: body.direction,
      referrerId: user.id,
      referrerInstitutionId: user.institution.id,
      targetInstitutionId: body.targetInstitutionId,
      ...(body.targetDepartment ? { targetDepartment: body.targetDepartment } : {}),
      ...(body.targetUserId ? { targetUserId: body.targetUserId } : {}),
      ...(body.parentId ? { parentId: body.parentId } : {}),
    });
    for (const u of receivers)
      this.deps.bridge.access.shares.share(body.studyInstanceUid, { userId: u.id }, user.id);
    this.audit(
      user,
      'referral',
      record.studyInstanceUid,
      'ok',
      `create ${record.direction} ${record.id} (${record.urgency})`,
    );
    this.deps.logger.info(
      { referralId: record.id, direction: record.direction, urgency: record.urgency },
      'referral created',
    );
    this.notify(record, 'created');
    return record;
  }

  act(user: UserInfo, id: string, action: ReferralAction, reason?: string): ReferralRecord {
    const record = this.visible(user, id);
    const decision = decide(action, actorOf(user), record.facts);
    this.enforce(user, record, decision, action);
    if (!decision.ok) throw new Error('unreachable');
    if ((action === 'decline' || action === 'cancel') && !reason)
      throw new ProtocolError(
        'BAD_REQUEST',
        `Say why the referral is ${action === 'decline' ? 'declined' : 'cancelled'}`,
      );
    const moved = this.deps.referrals.transition(record.id, record.status, decision.next, {
      ...(action === 'claim' ? { claimedBy: user.id } : {}),
      ...(reason ? { reason } : {}),
    });
    if (!moved) {
      this.audit(
        user,
        'referral',
        record.studyInstanceUid,
        'denied',
        `${action} ${record.id}: changed meanwhile`,
      );
      throw new ProtocolError('CONFLICT', 'The referral was changed by someone else meanwhile; reload it');
    }
    if (action === 'claim')
      this.deps.bridge.access.shares.share(record.studyInstanceUid, { userId: user.id }, user.id);
    const updated = this.deps.referrals.get(record.id)!;
    this.audit(
      user,
      'referral',
      record.studyInstanceUid,
      'ok',
      `${action} ${record.id}: ${record.status} → ${decision.next}`,
    );
    this.notify(updated, EVENT_OF[action]);
    return updated;
  }

  /** Throws the decision's refusal (after auditing it). */
  enforce(
    user: UserInfo,
    record: ReferralRecord,
    decision: Decision,
    what: string,
    kind: 'referral' | 'report' = 'referral',
  ) {
    if (decision.ok) return;
    this.audit(user, kind, record.studyInstanceUid, 'denied', `${what} ${record.id}: ${decision.message}`);
    throw new ProtocolError(decision.code, decision.message);
  }

  /** Everyone who may see the referral hears of it: both sides' staff, the claimer, admins. */
  notify(record: ReferralRecord, event: ReferralEvent): void {
    const userIds = this.deps.accounts
      .list()
      .filter((u) => canView(actorOf(u), record.facts))
      .map((u) => u.id);
    this.deps.notifier.referralUpdated(userIds, { referral: publicReferral(record), event });
  }

  /** Audit entries name the referral and the step; never the patient or the clinical text. */
  audit(
    user: UserInfo,
    action: 'referral' | 'report',
    study: string,
    result: 'ok' | 'denied' | 'failed',
    detail: string,
  ) {
    this.deps.bridge.audit.append({
      userId: user.id,
      role: user.role,
      institutionId: user.institution.id,
      action,
      studyInstanceUid: study,
      result,
      detail,
      source: 'api',
    });
  }
}

const EVENT_OF: Record<ReferralAction, ReferralEvent> = {
  claim: 'claimed',
  decline: 'declined',
  cancel: 'cancelled',
  complete: 'completed',
};
