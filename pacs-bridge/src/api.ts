// The pacs-bridge contract: the pieces (parsing, stores, ingest paths, DICOMweb, DIMSE, ECG, audit)
// meet only through these types. Orthanc mirrors the DICOM model (patient/study/series/instance),
// and so do we.
import type { Readable } from 'node:stream';

export type Role = 'specialist' | 'clinician' | 'ambulance' | 'admin';

/** Who is asking, however they came in (HTTP token or DIMSE association). */
export interface Principal {
  userId: string;
  role: Role;
  institutionId: string;
  via: 'http' | 'dimse' | 'internal';
  /** Remote address (IP) and, for DIMSE, the calling AE title — for the audit record. */
  address?: string;
  callingAe?: string;
}

/** What the index keeps of one instance: the QIDO-RS attributes, nothing more. */
export interface InstanceRecord {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  patientId?: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyDate?: string;
  studyTime?: string;
  studyDescription?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  modality?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  instanceNumber?: number;
  rows?: number;
  columns?: number;
  numberOfFrames?: number;
  /** Bytes of the Part 10 file and its SHA-256 (idempotency vs conflict). */
  size: number;
  sha256: string;
  /** Institution that sent it (clinicians see their institution's studies). */
  institutionId: string;
}

/** Result of validating a Part 10 file; a bad one says why in words a clinician's IT can act on. */
export type Validation =
  | { ok: true; record: Omit<InstanceRecord, 'institutionId'> }
  | { ok: false; reason: string; sopInstanceUid?: string; sopClassUid?: string };

export type StoreOutcome =
  | { status: 'stored'; record: InstanceRecord }
  | { status: 'duplicate'; record: InstanceRecord }
  | { status: 'conflict'; reason: string };

export type QueryLevel = 'study' | 'series' | 'instance';

/** QIDO-RS query, already parsed and validated from the URL. */
export interface QidoQuery {
  level: QueryLevel;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  /** DICOM keyword → matching value, e.g. PatientName: 'DOE*', StudyDate: '20200101-20201231'. */
  match: Record<string, string>;
  includeFields: string[] | 'all';
  limit?: number;
  offset?: number;
  fuzzyMatching?: boolean;
  /** Institutions whose studies the caller may see; undefined = all (admin). */
  institutions?: string[];
  /** Studies shared with the caller through consults/referrals (seen even from other institutions). */
  sharedStudies?: string[];
}

/** One QIDO result: a DICOM JSON dataset (PS3.18 F.2), keyed by tag `GGGGEEEE`. */
export type DicomJson = Record<
  string,
  { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string }
>;

/** Where instances live: the embedded default or a real PACS upstream (Orthanc first). */
export interface StudyStore {
  readonly kind: 'embedded' | 'orthanc' | string;
  /**
   * Stores one validated Part 10 file atomically: the same bytes again → duplicate; other bytes under
   * the same SOP Instance UID → conflict (never overwritten).
   */
  put(bytes: Buffer, record: InstanceRecord): Promise<StoreOutcome>;
  query(query: QidoQuery): Promise<DicomJson[]>;
  /** Instances of a study (or one series), in series/instance number order. */
  instances(studyInstanceUid: string, seriesInstanceUid?: string): Promise<InstanceRecord[]>;
  find(sopInstanceUid: string): Promise<InstanceRecord | null>;
  /** The stored Part 10 bytes, streamed; null if absent. */
  open(sopInstanceUid: string): Promise<Readable | null>;
  close(): Promise<void>;
}

/** Events for live viewing: the signaling layer relays them to rooms the study is attached to. */
export interface StudyEvents {
  instanceAdded: [
    info: {
      studyInstanceUid: string;
      seriesInstanceUid: string;
      sopInstanceUid: string;
      modality?: string;
      counts: { series: number; instances: number; seriesInstances: number };
      newSeries: boolean;
      newStudy: boolean;
    },
  ];
}

export interface AuditEntry {
  seq: number;
  time: string;
  userId: string;
  role: Role | 'modality';
  institutionId: string;
  action: 'store' | 'query' | 'retrieve' | 'echo' | 'ecg' | 'share' | 'referral' | 'report';
  studyInstanceUid?: string;
  result: 'ok' | 'denied' | 'failed' | 'partial';
  detail?: string;
  source?: string;
  prevHash: string;
  hash: string;
}

/** Appends to the hash-chained audit log (seq, time and hashes are filled in by the log). */
export interface AuditLog {
  append(entry: Omit<AuditEntry, 'seq' | 'time' | 'prevHash' | 'hash'>): void;
}

/** The result of one instance through the ingest pipeline, whichever door it came in by. */
export type IngestResult =
  | { status: 'stored' | 'duplicate'; record: InstanceRecord }
  | {
      status: 'conflict' | 'invalid' | 'denied';
      reason: string;
      sopInstanceUid?: string;
      sopClassUid?: string;
    };

/**
 * The one pipeline every ingest path (STOW-RS, C-STORE SCP, ECG import, browser upload) calls:
 * validate → authorize → store atomically → audit → emit `instanceAdded`.
 */
export interface Ingestor {
  ingest(bytes: Buffer, principal: Principal): Promise<IngestResult>;
}
