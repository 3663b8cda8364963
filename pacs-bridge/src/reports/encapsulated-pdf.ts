// The report's PDF as a DICOM Encapsulated PDF (PS3.3 A.45.1), so viewers and PACS that cannot read
// an SR still show the report, exactly as printed.
import type { NaturalDataset } from '../ecg/dcmjs.js';
import { clip, dicomDateTime, encodePart10, nameBasedUid, patientAndStudy } from './dicom-common.js';
import type { ReportDocument, StudyContext, WrittenInstance } from './model.js';

export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

export function writeEncapsulatedPdf(doc: ReportDocument, ctx: StudyContext, pdf: Buffer): WrittenInstance {
  const version = doc.addenda.map((a) => a.contentHash).join(',');
  const seriesInstanceUid = nameBasedUid('report-pdf-series', doc.studyInstanceUid, doc.reportId);
  const sopInstanceUid = nameBasedUid('report-pdf', doc.reportId, doc.contentHash, version);
  const last = doc.addenda.at(-1)?.signer ?? doc.signer;
  const when = dicomDateTime(last.signedAt);
  // OB values have even length; the trailing pad byte is allowed after %%EOF (PS3.3 C.24.2.1).
  const even = pdf.length % 2 === 0 ? pdf : Buffer.concat([pdf, Buffer.from([0])]);
  const body = even.buffer.slice(even.byteOffset, even.byteOffset + even.byteLength) as ArrayBuffer;
  const dataset: NaturalDataset = {
    _vrMap: { EncapsulatedDocument: 'OB' },
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: ENCAPSULATED_PDF_SOP_CLASS,
    SOPInstanceUID: sopInstanceUid,
    ...patientAndStudy(doc.studyInstanceUid, ctx),
    Modality: 'DOC',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: 9002,
    SeriesDescription: 'Consultation report (PDF)',
    Manufacturer: 'Telemed',
    InstitutionName: clip(doc.institutionName, 'LO'),
    ConversionType: 'WSD',
    InstanceNumber: doc.addenda.length + 1,
    ContentDate: when.date,
    ContentTime: when.time,
    AcquisitionDateTime: when.dateTime,
    BurnedInAnnotation: 'YES',
    DocumentTitle: clip('会诊报告 Consultation Report', 'ST'),
    ConceptNameCodeSequence: [
      { CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic Imaging Report' },
    ],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocumentLength: pdf.length,
    EncapsulatedDocument: [body],
  };
  return {
    bytes: encodePart10(dataset, ENCAPSULATED_PDF_SOP_CLASS, sopInstanceUid),
    sopInstanceUid,
    seriesInstanceUid,
    sopClassUid: ENCAPSULATED_PDF_SOP_CLASS,
  };
}
