// What every DICOMweb route needs, passed in once by the router factory.
import type { AuditLog, StudyStore } from '../api.js';
import type { AccessPolicy } from '../access/access-policy.js';
import type { PipelineIngestor } from '../ingest/ingestor.js';
import type { Logger } from '../ingest/logger.js';

export interface WebLimits {
  /** Largest single instance accepted by STOW-RS (bytes). */
  maxInstanceBytes: number;
  /** Most instances in one STOW-RS request. */
  maxInstancesPerRequest: number;
}

export const DEFAULT_LIMITS: WebLimits = {
  maxInstanceBytes: 1024 * 1024 * 1024,
  maxInstancesPerRequest: 10_000,
};

export interface WebContext {
  store: StudyStore;
  ingestor: PipelineIngestor;
  access: AccessPolicy;
  audit: AuditLog;
  logger: Logger;
  limits: WebLimits;
  /** Path the DICOMweb router is mounted at, e.g. `/dicomweb` (for RetrieveURL/BulkDataURI). */
  mountPath: string;
}
