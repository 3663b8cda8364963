// A signed report as a DICOM Basic Text SR (PS3.3 A.35.1): a CONTAINER titled "Diagnostic Imaging
// Report" holding the clinical question, findings, impression, the modality's structured fields and
// any addenda as TEXT items; the signer (and each addendum's signer) is a verifying observer, so a
// PACS shows the report as VERIFIED by a named physician. An addendum produces a new SR instance with
// everything so far, pointing at the one before it (Predecessor Documents), never changing the old one.
import type { NaturalDataset } from '../ecg/dcmjs.js';
import {
  clip,
  dicomDateTime,
  encodePart10,
  nameBasedUid,
  patientAndStudy,
  personName,
} from './dicom-common.js';
import type { ReportDocument, ReportSigner, StudyContext, WrittenInstance } from './model.js';

export const BASIC_TEXT_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.11';

const code = (value: string, scheme: string, meaning: string) => [
  { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: clip(meaning, 'LO') },
];

export const SR_CODES = {
  title: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
  history: code('121060', 'DCM', 'History'),
  finding: code('121071', 'DCM', 'Finding'),
  impression: code('121073', 'DCM', 'Impression'),
} as const;

const text = (concept: unknown, value: string): NaturalDataset => ({
  RelationshipType: 'CONTAINS',
  ValueType: 'TEXT',
  ConceptNameCodeSequence: concept,
  TextValue: value,
});

const observer = (s: ReportSigner): NaturalDataset => ({
  VerifyingObserverName: personName(s.name),
  VerifyingObserverIdentificationCodeSequence: [],
  VerifyingOrganization: clip(s.institutionName, 'LO'),
  VerificationDateTime: dicomDateTime(s.signedAt).dateTime,
});

export interface SrOptions {
  /** The SR this one supersedes (the report before its latest addendum). */
  predecessor?: { seriesInstanceUid: string; sopInstanceUid: string };
}

/** The SR's UIDs depend on the report, its signature and how many addenda it holds: re-storing is idempotent. */
export function reportSrUids(doc: ReportDocument): { seriesInstanceUid: string; sopInstanceUid: string } {
  const version = doc.addenda.map((a) => a.contentHash).join(',');
  return {
    seriesInstanceUid: nameBasedUid('report-sr-series', doc.studyInstanceUid, doc.reportId),
    sopInstanceUid: nameBasedUid('report-sr', doc.reportId, doc.contentHash, version),
  };
}

export function writeBasicTextSr(
  doc: ReportDocument,
  ctx: StudyContext,
  options: SrOptions = {},
): WrittenInstance {
  const { seriesInstanceUid, sopInstanceUid } = reportSrUids(doc);
  const last = doc.addenda.at(-1)?.signer ?? doc.signer;
  const content = dicomDateTime(last.signedAt);
  const items: NaturalDataset[] = [];
  if (doc.clinicalQuestion) items.push(text(SR_CODES.history, doc.clinicalQuestion));
  items.push(text(SR_CODES.finding, doc.findings || '-'));
  for (const f of doc.fields) {
    if (f.value) items.push(text(code(clip(f.code, 'SH'), '99TELEMED', f.label), f.value));
  }
  items.push(text(SR_CODES.impression, doc.impression || '-'));
  for (const a of doc.addenda) {
    const when = dicomDateTime(a.signer.signedAt).dateTime;
    items.push(text(code('ADDENDUM', '99TELEMED', 'Addendum'), `${a.text}\n— ${a.signer.name}, ${when}`));
  }

  const dataset: NaturalDataset = {
    _vrMap: {},
    SpecificCharacterSet: 'ISO_IR 192', // dcmjs writes text as UTF-8; reports are in Chinese
    SOPClassUID: BASIC_TEXT_SR_SOP_CLASS,
    SOPInstanceUID: sopInstanceUid,
    ...patientAndStudy(doc.studyInstanceUid, ctx),
    Modality: 'SR',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: 9001,
    SeriesDescription: 'Consultation report',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: 'Telemed',
    InstitutionName: clip(doc.institutionName, 'LO'),
    InstanceNumber: doc.addenda.length + 1,
    ContentDate: content.date,
    ContentTime: content.time,
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: SR_CODES.title,
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'VERIFIED',
    VerifyingObserverSequence: [doc.signer, ...doc.addenda.map((a) => a.signer)].map(observer),
    PerformedProcedureCodeSequence: [],
    ContentSequence: items,
  };
  if (options.predecessor) {
    dataset.PredecessorDocumentsSequence = [
      {
        StudyInstanceUID: doc.studyInstanceUid,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: options.predecessor.seriesInstanceUid,
            ReferencedSOPSequence: [
              {
                ReferencedSOPClassUID: BASIC_TEXT_SR_SOP_CLASS,
                ReferencedSOPInstanceUID: options.predecessor.sopInstanceUid,
              },
            ],
          },
        ],
      },
    ];
  }
  return {
    bytes: encodePart10(dataset, BASIC_TEXT_SR_SOP_CLASS, sopInstanceUid),
    sopInstanceUid,
    seriesInstanceUid,
    sopClassUid: BASIC_TEXT_SR_SOP_CLASS,
  };
}
