// Stores a signed report back into its study — a Basic Text SR and an Encapsulated PDF — through the
// one ingest pipeline, so it is validated, audited, announced live and found by QIDO/WADO like any
// image. The instances are stored on behalf of the institution that owns the study (the report is
// part of that patient's record there), in the signer's name for the audit.
import type { InstanceRecord, Principal, Role } from '../api.js';
import type { PipelineIngestor } from '../ingest/ingestor.js';
import type { StudyStore } from '../api.js';
import { reportSrUids, writeBasicTextSr } from './basic-text-sr.js';
import { writeEncapsulatedPdf } from './encapsulated-pdf.js';
import type { ReportDocument, StudyContext, WrittenInstance } from './model.js';
import { renderReportPdf, type PdfOptions } from './report-pdf.js';

export interface StoreReportDeps {
  store: StudyStore;
  ingestor: PipelineIngestor;
}

export interface StoredReport {
  sr: WrittenInstance;
  pdf: WrittenInstance;
  pdfBytes: Buffer;
}

export function studyContext(record: InstanceRecord | undefined): StudyContext {
  if (!record) return {};
  const { patientName, patientId, patientBirthDate, patientSex, studyDate, studyTime, studyId } = record;
  const { accessionNumber, referringPhysicianName, studyDescription } = record;
  return Object.fromEntries(
    Object.entries({
      patientName,
      patientId,
      patientBirthDate,
      patientSex,
      studyDate,
      studyTime,
      studyId,
      accessionNumber,
      referringPhysicianName,
      studyDescription,
    }).filter(([, v]) => v !== undefined && v !== ''),
  ) as StudyContext;
}

export class ReportStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportStoreError';
  }
}

export async function storeSignedReport(
  deps: StoreReportDeps,
  doc: ReportDocument,
  signer: { userId: string; role: Role },
  /** predecessorSop: the SR this one supersedes (the report as it was before its latest addendum). */
  options: PdfOptions & { predecessorSop?: string } = {},
): Promise<StoredReport> {
  // The first image's record carries the patient and study attributes (the index keeps them per instance).
  const instances = await deps.store.instances(doc.studyInstanceUid);
  const first = instances.find((i) => i.modality !== 'SR' && i.modality !== 'DOC') ?? instances[0];
  const ctx = studyContext(first);
  const owner = first?.institutionId;
  if (!owner) throw new ReportStoreError('the study has no images in the archive yet');
  const principal: Principal = {
    userId: signer.userId,
    role: signer.role,
    institutionId: owner,
    via: 'internal',
  };

  const predecessor = options.predecessorSop
    ? { seriesInstanceUid: reportSrUids(doc).seriesInstanceUid, sopInstanceUid: options.predecessorSop }
    : undefined;
  const sr = writeBasicTextSr(doc, ctx, predecessor ? { predecessor } : {});
  const pdfBytes = await renderReportPdf(doc, { ...options, study: ctx });
  const pdf = writeEncapsulatedPdf(doc, ctx, pdfBytes);
  for (const instance of [sr, pdf]) {
    const result = await deps.ingestor.ingest(instance.bytes, principal);
    if ('reason' in result)
      throw new ReportStoreError(`the report could not be stored in the study: ${result.reason}`);
  }
  return { sr, pdf, pdfBytes };
}
