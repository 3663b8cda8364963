// A signed report as a PDF (A4, bilingual headings, Chinese text in a CJK font embedded as a subset).
// The same bytes are offered for download and stored in the study as an Encapsulated PDF.
import PDFDocument from 'pdfkit';
import { resolveCjkFont, type CjkFont } from './cjk-font.js';
import type { ReportDocument, ReportSigner, StudyContext } from './model.js';

export interface PdfOptions {
  font?: CjkFont;
  /** Time zone the signature times are printed in; default Asia/Shanghai (the users' clock). */
  timeZone?: string;
  /** The patient and study the report is about (from the study's images), printed in the header. */
  study?: StudyContext;
}

/** A DICOM PN as printed: the ideographic group when there is one (王小明), else "Family Given". */
function personName(pn: string): string {
  const [alphabetic = '', ideographic = ''] = pn.split('=');
  const group = ideographic || alphabetic;
  const parts = group.split('^').filter(Boolean);
  return /[\u3400-\u9fff]/.test(group) ? parts.join('') : parts.join(' ');
}

const dicomDate = (da: string | undefined) =>
  da && /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : (da ?? '');

function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
  return `${parts.replace(/\//g, '-')} (${timeZone})`;
}

export function renderReportPdf(doc: ReportDocument, options: PdfOptions = {}): Promise<Buffer> {
  const font = options.font ?? resolveCjkFont();
  const timeZone = options.timeZone ?? process.env.TELEMED_TIMEZONE ?? 'Asia/Shanghai';
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `会诊报告 Consultation report ${doc.reportId}`,
      Author: doc.signer.name,
      Subject: `Study ${doc.studyInstanceUid}`,
      Creator: 'Telemed',
      // Fixed from the signature (not "now"): the same signed report renders to the same bytes, so
      // storing its Encapsulated PDF again is a duplicate rather than a conflict.
      CreationDate: new Date((doc.addenda.at(-1)?.signer ?? doc.signer).signedAt),
    },
  });
  pdf.registerFont('cjk', font.path, font.face);
  pdf.font('cjk');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const heading = (label: string) => {
    pdf.moveDown(0.6).fontSize(12).fillColor('#0b4f6c').text(label).fillColor('black').fontSize(11);
  };
  const paragraph = (value: string) => pdf.fontSize(11).text(value || '—', { align: 'left' });
  const signature = (label: string, s: ReportSigner) =>
    pdf
      .fontSize(10)
      .fillColor('#333333')
      .text(`${label}: ${s.name} · ${s.institutionName} · ${formatTime(s.signedAt, timeZone)}`)
      .fillColor('black');

  pdf.fontSize(18).text(doc.institutionName, { align: 'center' });
  pdf.fontSize(14).text('会诊报告 Consultation Report', { align: 'center' }).moveDown(0.8);
  const study = options.study ?? {};
  pdf.fontSize(10).fillColor('black');
  const patient = [
    study.patientName ? personName(study.patientName) : '',
    study.patientId ? `ID ${study.patientId}` : '',
    study.patientSex ? `性别 Sex ${study.patientSex}` : '',
    study.patientBirthDate ? `出生 Born ${dicomDate(study.patientBirthDate)}` : '',
  ].filter(Boolean);
  if (patient.length) pdf.text(`患者 Patient: ${patient.join(' · ')}`);
  const exam = [
    study.studyDate ? dicomDate(study.studyDate) : '',
    study.accessionNumber ? `检查号 Accession ${study.accessionNumber}` : '',
    study.studyDescription ?? '',
  ].filter(Boolean);
  if (exam.length) pdf.text(`检查 Exam: ${exam.join(' · ')}`);
  pdf.fontSize(9).fillColor('#555555');
  pdf.text(`检查 Study UID: ${doc.studyInstanceUid}`);
  if (doc.modality) pdf.text(`检查类型 Modality: ${doc.modality}`);
  if (doc.referringInstitutionName) pdf.text(`申请机构 Referred by: ${doc.referringInstitutionName}`);
  pdf.fillColor('black');

  if (doc.clinicalQuestion) {
    heading('临床问题 Clinical question');
    paragraph(doc.clinicalQuestion);
  }
  heading('检查所见 Findings');
  paragraph(doc.findings);
  const fields = doc.fields.filter((f) => f.value);
  if (fields.length) {
    heading('结构化信息 Structured fields');
    for (const f of fields) pdf.fontSize(11).text(`${f.label}: ${f.value}`);
  }
  heading('诊断意见 Impression');
  paragraph(doc.impression);

  pdf.moveDown(1);
  signature('电子签名 Signed', doc.signer);
  pdf.fontSize(8).fillColor('#777777').text(`SHA-256: ${doc.contentHash}`).fillColor('black');

  for (const [i, a] of doc.addenda.entries()) {
    heading(`补充报告 Addendum ${i + 1}`);
    paragraph(a.text);
    signature('电子签名 Signed', a.signer);
    pdf.fontSize(8).fillColor('#777777').text(`SHA-256: ${a.contentHash}`).fillColor('black');
  }
  pdf.end();
  return done;
}
