// Report drafts, signatures and addenda. Signing freezes the report (also enforced by a database
// trigger, migration 2); corrections after that are addenda, each signed when written.
import { randomUUID } from 'node:crypto';
import type { Addendum, Report, Signature } from '../protocol/index.js';
import type { Db } from '../db/database.js';
import { contentHash } from './content-hash.js';

interface ReportRow {
  id: string;
  referral_id: string;
  author_id: string;
  findings: string;
  impression: string;
  fields: string;
  updated_at: string;
  signed_by: string | null;
  signed_by_name: string | null;
  signed_by_institution: string | null;
  signed_at: string | null;
  content_hash: string | null;
  sr_sop_uid: string | null;
  pdf_sop_uid: string | null;
  dicom_error: string | null;
}

interface AddendumRow {
  id: string;
  text: string;
  signed_by: string;
  signed_by_name: string;
  signed_by_institution: string;
  signed_at: string;
  content_hash: string;
  sr_sop_uid: string | null;
}

export interface Signer {
  userId: string;
  displayName: string;
  institutionName: string;
}

export interface DraftContent {
  findings: string;
  impression: string;
  fields: Record<string, string>;
}

/** Thrown when a signed report would change; the routes answer 409 with its message. */
export class ImmutableReportError extends Error {
  constructor(message = 'The report is signed and cannot be changed; add an addendum instead') {
    super(message);
    this.name = 'ImmutableReportError';
  }
}

/** What a report signature covers. */
export function signedContent(
  report: Pick<Report, 'id' | 'referralId' | 'findings' | 'impression' | 'fields'>,
  studyInstanceUid: string,
  signer: Signer,
  signedAt: string,
): unknown {
  return {
    report: report.id,
    referral: report.referralId,
    study: studyInstanceUid,
    findings: report.findings,
    impression: report.impression,
    fields: report.fields,
    signer: signer.userId,
    signedAt,
  };
}

export class ReportsRepository {
  constructor(private readonly db: Db) {}

  forReferral(referralId: string): Report | null {
    const row = this.db.prepare('SELECT * FROM reports WHERE referral_id = ?').get(referralId) as
      ReportRow | undefined;
    return row ? this.toReport(row) : null;
  }

  /** Creates or replaces the draft. Refuses (ImmutableReportError) once the report is signed. */
  saveDraft(referralId: string, authorId: string, content: DraftContent): Report {
    const save = this.db.transaction(() => {
      const existing = this.forReferral(referralId);
      if (existing?.status === 'signed') throw new ImmutableReportError();
      const now = new Date().toISOString();
      const fields = JSON.stringify(content.fields);
      if (existing) {
        this.db
          .prepare(
            'UPDATE reports SET findings = ?, impression = ?, fields = ?, author_id = ?, updated_at = ? WHERE id = ?',
          )
          .run(content.findings, content.impression, fields, authorId, now, existing.id);
      } else {
        this.db
          .prepare(
            `INSERT INTO reports (id, referral_id, author_id, findings, impression, fields, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(randomUUID(), referralId, authorId, content.findings, content.impression, fields, now);
      }
      return this.forReferral(referralId)!;
    });
    return save.immediate();
  }

  /** Signs the current draft: signer, time and the content hash are recorded together. */
  sign(referralId: string, studyInstanceUid: string, signer: Signer): Report {
    const sign = this.db.transaction(() => {
      const draft = this.forReferral(referralId);
      if (!draft) throw new Error('no draft to sign');
      if (draft.status === 'signed') throw new ImmutableReportError('The report is already signed');
      const signedAt = new Date().toISOString();
      const hash = contentHash(signedContent(draft, studyInstanceUid, signer, signedAt));
      this.db
        .prepare(
          `UPDATE reports SET signed_by = ?, signed_by_name = ?, signed_by_institution = ?, signed_at = ?,
             content_hash = ? WHERE id = ? AND signed_at IS NULL`,
        )
        .run(signer.userId, signer.displayName, signer.institutionName, signedAt, hash, draft.id);
      return this.forReferral(referralId)!;
    });
    return sign.immediate();
  }

  addAddendum(report: Report, text: string, signer: Signer): Addendum {
    const id = randomUUID();
    const signedAt = new Date().toISOString();
    const hash = contentHash({ addendum: id, report: report.id, text, signer: signer.userId, signedAt });
    this.db
      .prepare(
        `INSERT INTO report_addenda (id, report_id, text, signed_by, signed_by_name, signed_by_institution,
           signed_at, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, report.id, text, signer.userId, signer.displayName, signer.institutionName, signedAt, hash);
    return this.addenda(report.id).find((a) => a.id === id)!;
  }

  recordDicom(
    reportId: string,
    result: { srSopInstanceUid?: string; pdfSopInstanceUid?: string; error?: string },
  ) {
    this.db
      .prepare(
        `UPDATE reports SET sr_sop_uid = COALESCE(?, sr_sop_uid), pdf_sop_uid = COALESCE(?, pdf_sop_uid),
           dicom_error = ? WHERE id = ?`,
      )
      .run(result.srSopInstanceUid ?? null, result.pdfSopInstanceUid ?? null, result.error ?? null, reportId);
  }

  recordAddendumDicom(addendumId: string, srSopInstanceUid: string): void {
    this.db
      .prepare('UPDATE report_addenda SET sr_sop_uid = ? WHERE id = ?')
      .run(srSopInstanceUid, addendumId);
  }

  private addenda(reportId: string): Addendum[] {
    const rows = this.db
      .prepare('SELECT * FROM report_addenda WHERE report_id = ? ORDER BY seq')
      .all(reportId) as AddendumRow[];
    return rows.map((r) => ({
      id: r.id,
      text: r.text,
      signature: {
        userId: r.signed_by,
        displayName: r.signed_by_name,
        institutionName: r.signed_by_institution,
        signedAt: r.signed_at,
        contentHash: r.content_hash,
      },
      ...(r.sr_sop_uid ? { srSopInstanceUid: r.sr_sop_uid } : {}),
    }));
  }

  private toReport(row: ReportRow): Report {
    const signature: Signature | undefined =
      row.signed_at && row.signed_by && row.content_hash
        ? {
            userId: row.signed_by,
            displayName: row.signed_by_name ?? '',
            institutionName: row.signed_by_institution ?? '',
            signedAt: row.signed_at,
            contentHash: row.content_hash,
          }
        : undefined;
    const dicom =
      row.sr_sop_uid || row.pdf_sop_uid || row.dicom_error
        ? {
            ...(row.sr_sop_uid ? { srSopInstanceUid: row.sr_sop_uid } : {}),
            ...(row.pdf_sop_uid ? { pdfSopInstanceUid: row.pdf_sop_uid } : {}),
            ...(row.dicom_error ? { error: row.dicom_error } : {}),
          }
        : undefined;
    return {
      id: row.id,
      referralId: row.referral_id,
      status: signature ? 'signed' : 'draft',
      findings: row.findings,
      impression: row.impression,
      fields: JSON.parse(row.fields) as Record<string, string>,
      authorId: row.author_id,
      updatedAt: row.updated_at,
      ...(signature ? { signature } : {}),
      ...(dicom ? { dicom } : {}),
      addenda: this.addenda(row.id),
    };
  }
}
