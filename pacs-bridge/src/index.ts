// @telemed/pacs-bridge: the one public entry point. DICOM in (STOW-RS, DIMSE, browser upload) and out
// (QIDO-RS, WADO-RS), the embedded store or a PACS upstream, access control and the audit chain.
export const PACS_BRIDGE_VERSION = '0.1.0';

export type * from './api.js';
export { createPacsBridge, type PacsBridge, type PacsBridgeOptions, type DimseOptions } from './service.js';
export { verifyAudit, type AuditVerification } from './audit/verify-audit.js';
export { SqliteAuditLog, type AuditQuery } from './audit/audit-log.js';
export { AccessPolicy, type AccessScope } from './access/access-policy.js';
export { StudyShares, type Grantee, type ShareRecord } from './access/study-shares.js';
export { PipelineIngestor, type IngestOptions } from './ingest/ingestor.js';
export type { Logger } from './ingest/logger.js';
export { createEmbeddedStore, type EmbeddedStore } from './store/embedded/embedded-store.js';
export { validatePart10, inspectPart10 } from './dicom/validate.js';
export { datasetToJson } from './dicom/dicom-json.js';
export { knownTransferSyntaxes, transferSyntax } from './dicom/transfer-syntaxes.js';
export { isValidUid } from './dicom/uids.js';
// ECG writing for servers that produce ECGs themselves (the ambulance handover's snapshots).
export {
  writeTwelveLeadEcg,
  EcgSubject,
  STANDARD_LEADS,
  TWELVE_LEAD_ECG_SOP_CLASS,
  type EcgChannel,
  type ImportedEcg,
  type WrittenEcg,
} from './ecg/index.js';
export type { UploadEvents, UploadProgress } from './web/uploads.js';
export {
  startDimseServer,
  demoAeAccess,
  allowListAeAccess,
  DEFAULT_AE_TITLE,
  cEcho,
  cStore,
  cFind,
  cMove,
  type DimseServer,
  type DimseServerOptions,
  type DimsePeer,
  type AeEntry,
} from './dimse/index.js';
export { createOrthancStore, type OrthancStoreOptions } from './upstream/orthanc.js';
export { createDicomWebStore, type DicomWebStoreOptions } from './upstream/dicomweb-store.js';
export {
  createUpstreamStore,
  type UpstreamTransport,
  type UpstreamStore,
} from './upstream/upstream-store.js';
export { DicomWebClient } from './upstream/dicomweb-client.js';
export { UpstreamError } from './upstream/http.js';
export {
  storeSignedReport,
  renderReportPdf,
  writeBasicTextSr,
  writeEncapsulatedPdf,
  resolveCjkFont,
  MissingFontError,
  ReportStoreError,
  studyContext,
  BASIC_TEXT_SR_SOP_CLASS,
  ENCAPSULATED_PDF_SOP_CLASS,
  type ReportDocument,
  type ReportField,
  type ReportSigner,
  type StoredReport,
} from './reports/index.js';
export {
  readWfdbRecord,
  parseWfdbHeader,
  decodeWfdbSignals,
  wfdbChecksum,
  adcToMicrovolts,
  signalToMicrovoltUnits,
  WfdbError,
  type WfdbHeader,
  type WfdbRecord,
  type WfdbSignalSpec,
} from './ecg/wfdb.js';
export { resampleSignal, resampleInt16 } from './ecg/wfdb-resample.js';
