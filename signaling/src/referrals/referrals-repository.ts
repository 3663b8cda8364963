// Referral records. Status changes go through `transition`, which re-checks the expected status in
// the UPDATE itself, so two specialists claiming at once cannot both win.
import { randomUUID } from 'node:crypto';
import type {
  Referral,
  ReferralDirection,
  ReferralStatus,
  ReportStatus,
  Urgency,
} from '../protocol/index.js';
import type { Db } from '../db/database.js';
import type { ReferralFacts } from './transitions.js';

export interface NewReferral {
  studyInstanceUid: string;
  modality?: string;
  clinicalQuestion: string;
  urgency: Urgency;
  direction: ReferralDirection;
  referrerId: string;
  referrerInstitutionId: string;
  targetInstitutionId: string;
  targetDepartment?: string;
  targetUserId?: string;
  parentId?: string;
}

export interface ReferralFilter {
  status?: ReferralStatus;
  urgency?: Urgency;
  modality?: string;
  /** Referrals sent from, or addressed to, these institutions. */
  referrerInstitutionId?: string;
  targetInstitutionId?: string;
}

interface Row {
  id: string;
  study_uid: string;
  modality: string | null;
  clinical_question: string;
  urgency: Urgency;
  direction: ReferralDirection;
  status: ReferralStatus;
  referrer_id: string;
  referrer_name: string;
  referrer_institution_id: string;
  referrer_institution_name: string;
  target_institution_id: string;
  target_institution_name: string;
  target_department: string | null;
  target_user_id: string | null;
  claimed_by: string | null;
  claimed_by_name: string | null;
  parent_id: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
  report_signed_at: string | null;
  report_id: string | null;
}

const SELECT = `
  SELECT r.*, u.display_name AS referrer_name, ri.name AS referrer_institution_name,
         ti.name AS target_institution_name, c.display_name AS claimed_by_name,
         rep.id AS report_id, rep.signed_at AS report_signed_at
  FROM referrals r
  JOIN users u ON u.id = r.referrer_id
  JOIN institutions ri ON ri.id = r.referrer_institution_id
  JOIN institutions ti ON ti.id = r.target_institution_id
  LEFT JOIN users c ON c.id = r.claimed_by
  LEFT JOIN reports rep ON rep.referral_id = r.id`;

/** A referral as the API shows it, plus the facts the permission rules need. */
export type ReferralRecord = Referral & { facts: ReferralFacts };

function toRecord(row: Row): ReferralRecord {
  const reportStatus: ReportStatus | undefined = row.report_id
    ? row.report_signed_at
      ? 'signed'
      : 'draft'
    : undefined;
  return {
    id: row.id,
    studyInstanceUid: row.study_uid,
    ...(row.modality ? { modality: row.modality } : {}),
    clinicalQuestion: row.clinical_question,
    urgency: row.urgency,
    direction: row.direction,
    status: row.status,
    referrer: {
      id: row.referrer_id,
      displayName: row.referrer_name,
      institutionId: row.referrer_institution_id,
      institutionName: row.referrer_institution_name,
    },
    targetInstitutionId: row.target_institution_id,
    targetInstitutionName: row.target_institution_name,
    ...(row.target_department ? { targetDepartment: row.target_department } : {}),
    ...(row.target_user_id ? { targetUserId: row.target_user_id } : {}),
    ...(row.claimed_by ? { claimedBy: { id: row.claimed_by, displayName: row.claimed_by_name ?? '' } } : {}),
    ...(row.parent_id ? { parentId: row.parent_id } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(reportStatus
      ? {
          report: {
            status: reportStatus,
            ...(row.report_signed_at ? { signedAt: row.report_signed_at } : {}),
          },
        }
      : {}),
    facts: {
      direction: row.direction,
      status: row.status,
      referrerId: row.referrer_id,
      referrerInstitutionId: row.referrer_institution_id,
      targetInstitutionId: row.target_institution_id,
      ...(row.target_user_id ? { targetUserId: row.target_user_id } : {}),
      ...(row.claimed_by ? { claimedById: row.claimed_by } : {}),
    },
  };
}

/** The API shape: the rule facts stay on the server. */
export function publicReferral(record: ReferralRecord): Referral {
  const { facts: _facts, ...referral } = record;
  return referral;
}

const URGENCY_ORDER = `CASE r.urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END`;

export class ReferralsRepository {
  constructor(private readonly db: Db) {}

  create(input: NewReferral): ReferralRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO referrals (id, study_uid, modality, clinical_question, urgency, direction, status,
           referrer_id, referrer_institution_id, target_institution_id, target_department, target_user_id,
           parent_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.studyInstanceUid,
        input.modality ?? null,
        input.clinicalQuestion,
        input.urgency,
        input.direction,
        input.referrerId,
        input.referrerInstitutionId,
        input.targetInstitutionId,
        input.targetDepartment ?? null,
        input.targetUserId ?? null,
        input.parentId ?? null,
        now,
        now,
      );
    return this.get(id)!;
  }

  get(id: string): ReferralRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first within urgency (emergencies on top). */
  list(filter: ReferralFilter): ReferralRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const sides: string[] = [];
    if (filter.referrerInstitutionId) {
      sides.push('r.referrer_institution_id = ?');
      args.push(filter.referrerInstitutionId);
    }
    if (filter.targetInstitutionId) {
      sides.push('r.target_institution_id = ?');
      args.push(filter.targetInstitutionId);
    }
    if (sides.length) where.push(`(${sides.join(' OR ')})`);
    if (filter.status) {
      where.push('r.status = ?');
      args.push(filter.status);
    }
    if (filter.urgency) {
      where.push('r.urgency = ?');
      args.push(filter.urgency);
    }
    if (filter.modality) {
      where.push('r.modality = ? COLLATE NOCASE');
      args.push(filter.modality);
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${URGENCY_ORDER}, r.created_at DESC LIMIT 500`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toRecord);
  }

  /**
   * Moves `from` → `to` only if the referral is still in `from` (and, for a claim, sets the claimer).
   * Returns false when someone else changed it first.
   */
  transition(
    id: string,
    from: ReferralStatus,
    to: ReferralStatus,
    changes: { claimedBy?: string; reason?: string } = {},
  ): boolean {
    const info = this.db
      .prepare(
        `UPDATE referrals SET status = ?, updated_at = ?,
           claimed_by = COALESCE(?, claimed_by), reason = COALESCE(?, reason)
         WHERE id = ? AND status = ?`,
      )
      .run(to, new Date().toISOString(), changes.claimedBy ?? null, changes.reason ?? null, id, from);
    return info.changes === 1;
  }

  touch(id: string): void {
    this.db.prepare('UPDATE referrals SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }
}
