// The report of a referral: draft (autosaved whole), sign (specialist who claimed it; signer, time and
// content hash recorded; the report is immutable from then on), addenda (each signed), and the DICOM
// copies (Basic Text SR + Encapsulated PDF) stored back into the study through the bridge's ingestor.
import {
  renderReportPdf,
  storeSignedReport,
  studyContext,
  type PacsBridge,
  type ReportDocument,
} from '@telemed/pacs-bridge';
import {
  ProtocolError,
  structuredFieldsProblem,
  type Report,
  type ReportDraftSchema,
  type UserInfo,
} from '../protocol/index.js';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ReferralRecord } from '../referrals/referrals-repository.js';
import { actorOf, type ReferralService } from '../referrals/referral-service.js';
import { decideAddendum, decideDraft, decideSign } from '../referrals/transitions.js';
import type { ReferralsRepository } from '../referrals/referrals-repository.js';
import { labelledFields } from './field-labels.js';
import { ImmutableReportError, type ReportsRepository, type Signer } from './reports-repository.js';

export interface ReportServiceDeps {
  referrals: ReferralsRepository;
  reports: ReportsRepository;
  service: ReferralService;
  bridge: PacsBridge;
  logger: Logger;
}

const signerOf = (u: UserInfo): Signer => ({
  userId: u.id,
  displayName: u.displayName,
  institutionName: u.institution.name,
});

/** The signed report as the DICOM/PDF writers take it. */
export function reportDocument(referral: ReferralRecord, report: Report): ReportDocument {
  const sig = report.signature;
  if (!sig) throw new ProtocolError('CONFLICT', 'The report is not signed yet');
  return {
    reportId: report.id,
    studyInstanceUid: referral.studyInstanceUid,
    ...(referral.modality ? { modality: referral.modality } : {}),
    institutionName: sig.institutionName,
    referringInstitutionName: referral.referrer.institutionName,
    clinicalQuestion: referral.clinicalQuestion,
    findings: report.findings,
    impression: report.impression,
    fields: labelledFields(referral.modality, report.fields),
    signer: {
      userId: sig.userId,
      name: sig.displayName,
      institutionName: sig.institutionName,
      signedAt: sig.signedAt,
    },
    contentHash: sig.contentHash,
    addenda: report.addenda.map((a) => ({
      id: a.id,
      text: a.text,
      contentHash: a.signature.contentHash,
      signer: {
        userId: a.signature.userId,
        name: a.signature.displayName,
        institutionName: a.signature.institutionName,
        signedAt: a.signature.signedAt,
      },
    })),
  };
}

export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  get(user: UserInfo, referralId: string): { referral: ReferralRecord; report: Report | null } {
    const referral = this.deps.service.visible(user, referralId);
    const report = this.deps.reports.forReferral(referral.id);
    return {
      referral,
      report: report ? { ...report, ...(referral.modality ? { modality: referral.modality } : {}) } : null,
    };
  }

  saveDraft(user: UserInfo, referralId: string, draft: z.output<typeof ReportDraftSchema>): Report {
    const referral = this.deps.service.visible(user, referralId);
    const existing = this.deps.reports.forReferral(referral.id);
    if (existing?.status === 'signed') this.refuseSigned(user, referral);
    this.deps.service.enforce(
      user,
      referral,
      decideDraft(actorOf(user), referral.facts),
      'edit report of',
      'report',
    );
    const problem = structuredFieldsProblem(referral.modality, draft.fields);
    if (problem) throw new ProtocolError('BAD_REQUEST', `Invalid report: ${problem}`);
    let report: Report;
    try {
      report = this.deps.reports.saveDraft(referral.id, user.id, draft);
    } catch (err) {
      if (err instanceof ImmutableReportError) this.refuseSigned(user, referral);
      throw err;
    }
    if (referral.status === 'claimed') {
      this.deps.referrals.transition(referral.id, 'claimed', 'in-report');
      this.deps.service.audit(
        user,
        'report',
        referral.studyInstanceUid,
        'ok',
        `start report ${referral.id}: claimed → in-report`,
      );
      this.deps.service.notify(this.deps.referrals.get(referral.id)!, 'draft');
    }
    return report;
  }

  async sign(user: UserInfo, referralId: string): Promise<Report> {
    const referral = this.deps.service.visible(user, referralId);
    if (this.deps.reports.forReferral(referral.id)?.status === 'signed') this.refuseSigned(user, referral);
    this.deps.service.enforce(
      user,
      referral,
      decideSign(actorOf(user), referral.facts),
      'sign report of',
      'report',
    );
    let signed: Report;
    try {
      signed = this.deps.reports.sign(referral.id, referral.studyInstanceUid, signerOf(user));
    } catch (err) {
      // Two sign requests at once: the second finds the report already signed.
      if (err instanceof ImmutableReportError) this.refuseSigned(user, referral);
      throw err;
    }
    if (!this.deps.referrals.transition(referral.id, 'in-report', 'reported')) {
      // Cancelled or declined between the check and now: the signature stands, the status says why.
      this.deps.logger.warn({ referralId: referral.id }, 'report signed after the referral left in-report');
    }
    this.deps.service.audit(
      user,
      'report',
      referral.studyInstanceUid,
      'ok',
      `sign report ${signed.id} of ${referral.id} sha256=${signed.signature!.contentHash}`,
    );
    const updated = this.deps.referrals.get(referral.id)!;
    await this.storeDicom(user, updated, signed);
    this.deps.service.notify(updated, 'signed');
    return this.deps.reports.forReferral(referral.id)!;
  }

  async addAddendum(user: UserInfo, referralId: string, text: string): Promise<Report> {
    const referral = this.deps.service.visible(user, referralId);
    this.deps.service.enforce(
      user,
      referral,
      decideAddendum(actorOf(user), referral.facts),
      'add addendum to',
      'report',
    );
    const report = this.deps.reports.forReferral(referral.id);
    if (report?.status !== 'signed')
      throw new ProtocolError('CONFLICT', 'Only a signed report takes addenda');
    const predecessorSop = report.addenda.at(-1)?.srSopInstanceUid ?? report.dicom?.srSopInstanceUid;
    const addendum = this.deps.reports.addAddendum(report, text, signerOf(user));
    this.deps.service.audit(
      user,
      'report',
      referral.studyInstanceUid,
      'ok',
      `addendum ${addendum.id} to report ${report.id} sha256=${addendum.signature.contentHash}`,
    );
    const withAddendum = this.deps.reports.forReferral(referral.id)!;
    await this.storeDicom(user, referral, withAddendum, predecessorSop, addendum.id);
    this.deps.referrals.touch(referral.id);
    this.deps.service.notify(this.deps.referrals.get(referral.id)!, 'addendum');
    return this.deps.reports.forReferral(referral.id)!;
  }

  async pdf(user: UserInfo, referralId: string): Promise<{ bytes: Buffer; fileName: string }> {
    const { referral, report } = this.get(user, referralId);
    if (!report || report.status !== 'signed')
      throw new ProtocolError('CONFLICT', 'Only a signed report can be exported');
    const instances = await this.deps.bridge.store.instances(referral.studyInstanceUid);
    const study = studyContext(
      instances.find((i) => i.modality !== 'SR' && i.modality !== 'DOC') ?? instances[0],
    );
    const bytes = await renderReportPdf(reportDocument(referral, report), { study }).catch((err: Error) => {
      // A missing CJK font says what to install; it is the operator's to fix, not the user's.
      this.deps.logger.error({ err: err.message }, 'report PDF failed');
      throw new ProtocolError('INTERNAL', err.message);
    });
    return { bytes, fileName: `report-${referral.id}.pdf` };
  }

  private refuseSigned(user: UserInfo, referral: ReferralRecord): never {
    this.deps.service.audit(
      user,
      'report',
      referral.studyInstanceUid,
      'denied',
      `edit signed report of ${referral.id}`,
    );
    throw new ProtocolError(
      'CONFLICT',
      'The report is signed and cannot be changed; add an addendum instead',
    );
  }

  /** Stores the SR and the PDF in the study; a failure is recorded on the report, the signature stands. */
  private async storeDicom(
    user: UserInfo,
    referral: ReferralRecord,
    report: Report,
    predecessorSop?: string,
    addendumId?: string,
  ) {
    try {
      const stored = await storeSignedReport(
        this.deps.bridge,
        reportDocument(referral, report),
        { userId: user.id, role: user.role },
        predecessorSop ? { predecessorSop } : {},
      );
      if (addendumId) this.deps.reports.recordAddendumDicom(addendumId, stored.sr.sopInstanceUid);
      else
        this.deps.reports.recordDicom(report.id, {
          srSopInstanceUid: stored.sr.sopInstanceUid,
          pdfSopInstanceUid: stored.pdf.sopInstanceUid,
        });
      if (addendumId)
        this.deps.reports.recordDicom(report.id, { pdfSopInstanceUid: stored.pdf.sopInstanceUid });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.logger.error(
        { referralId: referral.id, err: message },
        'storing the report in the study failed',
      );
      this.deps.reports.recordDicom(report.id, { error: message });
      this.deps.service.audit(
        user,
        'report',
        referral.studyInstanceUid,
        'failed',
        `store report ${report.id} as DICOM: ${message}`,
      );
    }
  }
}
