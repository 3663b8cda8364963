// A signed report as the DICOM writers need it: plain values, no database or HTTP types, so the
// bridge knows nothing of how signaling stores referrals.

export interface ReportSigner {
  userId: string;
  name: string;
  institutionName: string;
  /** ISO 8601. */
  signedAt: string;
}

export interface ReportField {
  /** Short code (≤ 16 characters), used as the SR concept's code value. */
  code: string;
  label: string;
  value: string;
}

export interface ReportAddendumDoc {
  id: string;
  text: string;
  signer: ReportSigner;
  contentHash: string;
}

export interface ReportDocument {
  reportId: string;
  studyInstanceUid: string;
  modality?: string;
  /** The reporting institution (the hospital). */
  institutionName: string;
  referringInstitutionName?: string;
  clinicalQuestion?: string;
  findings: string;
  impression: string;
  fields: ReportField[];
  signer: ReportSigner;
  contentHash: string;
  addenda: ReportAddendumDoc[];
}

/** Patient and study attributes copied from the study so the report files under the same patient. */
export interface StudyContext {
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  studyDescription?: string;
}

export interface WrittenInstance {
  bytes: Buffer;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  sopClassUid: string;
}
