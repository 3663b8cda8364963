import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { dcmjs, exactArrayBuffer } from '../ecg/dcmjs.js';
import { validatePart10 } from '../dicom/validate.js';
import { createPacsBridge } from '../service.js';
import { BASIC_TEXT_SR_SOP_CLASS, writeBasicTextSr } from './basic-text-sr.js';
import { ENCAPSULATED_PDF_SOP_CLASS, writeEncapsulatedPdf } from './encapsulated-pdf.js';
import type { ReportDocument } from './model.js';
import { renderReportPdf } from './report-pdf.js';
import { storeSignedReport } from './store-report.js';

const STUDY = '1.2.826.0.1.3680043.8.498.11111';
const doc: ReportDocument = {
  reportId: 'r-1',
  studyInstanceUid: STUDY,
  modality: 'CT',
  institutionName: "County People's Hospital",
  referringInstitutionName: 'Riverside Township Health Center',
  clinicalQuestion: '头部外伤后头痛，排除颅内出血',
  findings: '右侧额叶见小片状高密度影，约 12 mm。中线结构居中。',
  impression: '右额叶少量脑挫裂伤伴出血，建议复查。',
  fields: [
    { code: 'contrast', label: '对比剂 Contrast', value: '平扫 none' },
    { code: 'region', label: '部位 Region', value: '头颅 head' },
  ],
  signer: {
    userId: 'u-wang',
    name: '王立',
    institutionName: "County People's Hospital",
    signedAt: '2026-11-26T05:00:00.000Z',
  },
  contentHash: 'a'.repeat(64),
  addenda: [],
};

// dcmjs 0.51 applies Specific Character Set to the top-level dataset only: text inside sequence
// items comes back as the raw UTF-8 bytes read as latin1. The bytes are right (dicom-parser and the
// bridge read them as UTF-8 below); this undoes the reader's slip for the assertions.
const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

/** A read-back dataset, walked by keyword: its shape is what these tests check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const natural = (bytes: Buffer): Loose => {
  const dict = dcmjs.data.DicomMessage.readFile(exactArrayBuffer(bytes));
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict) as Loose;
};

describe('report → DICOM Basic Text SR', () => {
  it('reads back with dcmjs: findings, impression, fields, signer as verifying observer', () => {
    const sr = writeBasicTextSr(doc, { patientId: 'P1', patientName: 'Doe^Jane', studyDate: '20261125' });
    const ds = natural(sr.bytes);
    expect(ds.SOPClassUID).toBe(BASIC_TEXT_SR_SOP_CLASS);
    expect(ds.StudyInstanceUID).toBe(STUDY);
    expect(ds.Modality).toBe('SR');
    expect(ds.VerificationFlag).toBe('VERIFIED');
    expect(ds.CompletionFlag).toBe('COMPLETE');
    const observer = [ds.VerifyingObserverSequence].flat()[0];
    expect(observer.VerifyingOrganization).toBe("County People's Hospital");
    expect(utf8(JSON.stringify(observer.VerifyingObserverName))).toContain('王立');
    expect(observer.VerificationDateTime.trim()).toBe('20261126050000+0000');
    const texts = [ds.ContentSequence]
      .flat()
      .map((i: Loose) => [utf8([i.ConceptNameCodeSequence].flat()[0].CodeMeaning), utf8(i.TextValue)]);
    expect(texts).toContainEqual(['Finding', doc.findings]);
    expect(texts).toContainEqual(['Impression', doc.impression]);
    expect(texts).toContainEqual(['History', doc.clinicalQuestion]);
    expect(texts).toContainEqual(['对比剂 Contrast', '平扫 none']);
  });

  it('passes the bridge validation (dicom-parser) and dicom-parser reads the UTF-8 text', () => {
    const sr = writeBasicTextSr(doc, {});
    const v = validatePart10(sr.bytes);
    expect(v.ok).toBe(true);
    if (v.ok)
      expect(v.record).toMatchObject({
        studyInstanceUid: STUDY,
        modality: 'SR',
        sopClassUid: BASIC_TEXT_SR_SOP_CLASS,
      });
    const parsed = dicomParser.parseDicom(new Uint8Array(sr.bytes));
    expect(parsed.string('x00080005')).toBe('ISO_IR 192');
    const items = parsed.elements.x0040a730!.items!;
    const values = items.map((i) =>
      Buffer.from(
        i.dataSet!.byteArray.buffer,
        i.dataSet!.elements.x0040a160!.dataOffset + i.dataSet!.byteArray.byteOffset,
        i.dataSet!.elements.x0040a160!.length,
      )
        .toString('utf8')
        .trimEnd(),
    );
    expect(values).toContain(doc.impression);
  });

  it('an addendum makes a new instance that lists both signers and points at its predecessor', () => {
    const first = writeBasicTextSr(doc, {});
    const amended = {
      ...doc,
      addenda: [
        {
          id: 'a-1',
          text: '补充：左侧顶骨无骨折。',
          contentHash: 'b'.repeat(64),
          signer: { ...doc.signer, name: 'Dr. Chen Yu', signedAt: '2026-11-26T06:00:00.000Z' },
        },
      ],
    };
    const second = writeBasicTextSr(amended, {}, { predecessor: first });
    expect(second.sopInstanceUid).not.toBe(first.sopInstanceUid);
    expect(second.seriesInstanceUid).toBe(first.seriesInstanceUid);
    const ds = natural(second.bytes);
    expect([ds.VerifyingObserverSequence].flat()).toHaveLength(2);
    const pred = [ds.PredecessorDocumentsSequence].flat()[0];
    const ref = [[pred.ReferencedSeriesSequence].flat()[0].ReferencedSOPSequence].flat()[0];
    expect(ref.ReferencedSOPInstanceUID).toBe(first.sopInstanceUid);
    expect(utf8(JSON.stringify(ds.ContentSequence))).toContain('左侧顶骨无骨折');
    // Same content → same UIDs: storing again is a duplicate, not a second copy.
    expect(writeBasicTextSr(doc, {}).sopInstanceUid).toBe(first.sopInstanceUid);
  });
});

describe('report → PDF and Encapsulated PDF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a real PDF whose text (Chinese included) extracts back', async () => {
    const pdf = await renderReportPdf(doc, {
      study: { patientName: 'Wang^Xiaoming=王^小明', patientId: 'P123', studyDate: '20261125' },
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(text)).toContain(squash(doc.findings));
    expect(squash(text)).toContain(squash(doc.impression));
    expect(text).toContain('王立');
    expect(text).toContain('会诊报告');
    expect(text).toContain('王小明');
    expect(text).toContain('2026-11-25');
  });

  it('wraps the PDF byte-exact in an Encapsulated PDF instance', async () => {
    const pdf = await renderReportPdf(doc);
    const enc = writeEncapsulatedPdf(doc, { patientId: 'P1' }, pdf);
    expect(validatePart10(enc.bytes).ok).toBe(true);
    const ds = natural(enc.bytes);
    expect(ds.SOPClassUID).toBe(ENCAPSULATED_PDF_SOP_CLASS);
    expect(ds.MIMETypeOfEncapsulatedDocument).toBe('application/pdf');
    const body = Buffer.from([ds.EncapsulatedDocument].flat()[0] as ArrayBuffer);
    expect(body.subarray(0, pdf.length).equals(pdf)).toBe(true);
    expect(ds.EncapsulatedDocumentLength).toBe(pdf.length);
  });
});

describe('storing a signed report in its study', () => {
  it('goes through the ingest pipeline, under the study owner, and is found by QIDO', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'report-store-'));
    const bridge = await createPacsBridge({ dataDir, authenticate: async () => null });
    try {
      const ct = readFileSync('test/fixtures/dicom/ct/CT_small.dcm');
      const v = validatePart10(ct);
      if (!v.ok) throw new Error(v.reason);
      const clinic = {
        userId: 'zhao',
        role: 'clinician' as const,
        institutionId: 'township-clinic',
        via: 'http' as const,
      };
      expect((await bridge.ingestor.ingest(ct, clinic)).status).toBe('stored');
      const study = v.record.studyInstanceUid;
      const stored = await storeSignedReport(
        bridge,
        { ...doc, studyInstanceUid: study },
        { userId: 'wang', role: 'specialist' },
      );
      const instances = await bridge.store.instances(study);
      const sr = instances.find((i) => i.sopInstanceUid === stored.sr.sopInstanceUid);
      expect(sr).toMatchObject({
        modality: 'SR',
        institutionId: 'township-clinic',
        patientId: v.record.patientId,
      });
      expect(instances.find((i) => i.sopInstanceUid === stored.pdf.sopInstanceUid)?.modality).toBe('DOC');
      const found = await bridge.store.query({
        level: 'instance',
        studyInstanceUid: study,
        match: { Modality: 'SR' },
        includeFields: [],
        institutions: ['township-clinic'],
      });
      expect(found.map((d) => d['00080018']?.Value?.[0])).toEqual([stored.sr.sopInstanceUid]);
      // Storing the same signed report again is idempotent.
      await storeSignedReport(
        bridge,
        { ...doc, studyInstanceUid: study },
        { userId: 'wang', role: 'specialist' },
      );
      expect((await bridge.store.instances(study)).length).toBe(3);
      const audit = bridge.audit.query({ studyInstanceUid: study });
      expect(audit.some((e) => e.userId === 'wang' && e.action === 'store' && e.result === 'ok')).toBe(true);
    } finally {
      await bridge.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
