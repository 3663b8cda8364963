import { describe, expect, it } from 'vitest';
import type { ReferralStatus } from '../protocol/index.js';
import {
  canCreate,
  canView,
  decide,
  decideAddendum,
  decideDraft,
  decideSign,
  type Actor,
  type ReferralFacts,
} from './transitions.js';

const zhao: Actor = { id: 'zhao', role: 'clinician', institutionId: 'clinic' };
const liu: Actor = { id: 'liu', role: 'clinician', institutionId: 'clinic' };
const sun: Actor = { id: 'sun', role: 'ambulance', institutionId: 'clinic' };
const wang: Actor = { id: 'wang', role: 'specialist', institutionId: 'hospital' };
const chen: Actor = { id: 'chen', role: 'specialist', institutionId: 'hospital' };
const other: Actor = { id: 'li', role: 'specialist', institutionId: 'other-hospital' };
const admin: Actor = { id: 'admin', role: 'admin', institutionId: 'hospital' };

const up = (status: ReferralStatus, more: Partial<ReferralFacts> = {}): ReferralFacts => ({
  direction: 'up',
  status,
  referrerId: 'zhao',
  referrerInstitutionId: 'clinic',
  targetInstitutionId: 'hospital',
  ...more,
});
const down = (status: ReferralStatus, more: Partial<ReferralFacts> = {}): ReferralFacts => ({
  direction: 'down',
  status,
  referrerId: 'wang',
  referrerInstitutionId: 'hospital',
  targetInstitutionId: 'clinic',
  ...more,
});

describe('referral permissions and status flow', () => {
  it('lets the clinic refer up and only specialists refer down', () => {
    expect(canCreate(zhao, 'up')).toBe(true);
    expect(canCreate(sun, 'up')).toBe(true);
    expect(canCreate(zhao, 'down')).toBe(false);
    expect(canCreate(wang, 'down')).toBe(true);
  });

  it('shows a referral to both institutions and admins, nobody else', () => {
    const r = up('requested');
    expect([zhao, liu, wang, chen, admin].every((a) => canView(a, r))).toBe(true);
    expect(canView(other, r)).toBe(false);
  });

  it('walks an up-referral requested → claimed → in-report → reported → completed', () => {
    expect(decide('claim', wang, up('requested'))).toEqual({ ok: true, next: 'claimed' });
    const claimed = up('claimed', { claimedById: 'wang' });
    expect(decideDraft(wang, claimed)).toEqual({ ok: true, next: 'in-report' });
    expect(decideSign(wang, claimed)).toMatchObject({ ok: false, code: 'CONFLICT' }); // nothing written yet
    expect(decideSign(wang, up('in-report', { claimedById: 'wang' }))).toEqual({
      ok: true,
      next: 'reported',
    });
    expect(decide('complete', liu, up('reported', { claimedById: 'wang' }))).toEqual({
      ok: true,
      next: 'completed',
    });
  });

  it('lets one specialist claim: a second claim is a conflict, the clinic may not claim', () => {
    expect(decide('claim', chen, up('claimed', { claimedById: 'wang' }))).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(decide('claim', zhao, up('requested'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decide('claim', other, up('requested'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('keeps a referral addressed to a named specialist for them', () => {
    const named = up('requested', { targetUserId: 'chen' });
    expect(decide('claim', wang, named)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decide('claim', chen, named)).toEqual({ ok: true, next: 'claimed' });
  });

  it('lets only the claimer write and sign, and never after signing', () => {
    const inReport = up('in-report', { claimedById: 'wang' });
    expect(decideDraft(chen, inReport)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decideDraft(zhao, inReport)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decideSign(chen, inReport)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    for (const s of ['reported', 'completed'] as const) {
      expect(decideDraft(wang, up(s, { claimedById: 'wang' }))).toMatchObject({
        ok: false,
        code: 'CONFLICT',
      });
      expect(decideSign(wang, up(s, { claimedById: 'wang' }))).toMatchObject({ ok: false, code: 'CONFLICT' });
    }
  });

  it('takes addenda from the hospital’s specialists only, and only to a signed report', () => {
    expect(decideAddendum(chen, up('reported', { claimedById: 'wang' }))).toMatchObject({ ok: true });
    expect(decideAddendum(zhao, up('reported', { claimedById: 'wang' }))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(decideAddendum(wang, up('in-report', { claimedById: 'wang' }))).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });

  it('declines on the target side and cancels on the referring side, while open', () => {
    expect(decide('decline', wang, up('requested'))).toEqual({ ok: true, next: 'declined' });
    expect(decide('decline', chen, up('claimed', { claimedById: 'wang' }))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(decide('cancel', liu, up('claimed', { claimedById: 'wang' }))).toEqual({
      ok: true,
      next: 'cancelled',
    });
    expect(decide('cancel', wang, up('requested'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decide('cancel', zhao, up('reported'))).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(decide('complete', zhao, up('in-report'))).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('sends a down-referral back to the clinic, which claims and completes it', () => {
    expect(decide('claim', wang, down('requested'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(decide('claim', zhao, down('requested'))).toEqual({ ok: true, next: 'claimed' });
    expect(decide('complete', zhao, down('claimed', { claimedById: 'zhao' }))).toEqual({
      ok: true,
      next: 'completed',
    });
    expect(decide('complete', liu, down('claimed', { claimedById: 'zhao' }))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(decideDraft(zhao, down('claimed', { claimedById: 'zhao' }))).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
  });
});
