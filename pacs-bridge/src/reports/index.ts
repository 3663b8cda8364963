// Signed reports into DICOM: Basic Text SR, Encapsulated PDF, and the PDF itself.
export type * from './model.js';
export { writeBasicTextSr, reportSrUids, BASIC_TEXT_SR_SOP_CLASS } from './basic-text-sr.js';
export { writeEncapsulatedPdf, ENCAPSULATED_PDF_SOP_CLASS } from './encapsulated-pdf.js';
export { renderReportPdf, type PdfOptions } from './report-pdf.js';
export { resolveCjkFont, MissingFontError, type CjkFont } from './cjk-font.js';
export { storeSignedReport, studyContext, ReportStoreError, type StoredReport } from './store-report.js';
