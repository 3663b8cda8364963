// The one ingest pipeline (STOW-RS, C-STORE, browser upload, ECG import): validate → authorize →
// store atomically → audit → emit `instanceAdded`. Every outcome, good or bad, is audited; nothing
// about the patient (name, ID) goes into the audit detail or the log.
import type { EventEmitter } from 'node:events';
import type {
  AuditLog,
  IngestResult,
  Ingestor,
  InstanceRecord,
  Principal,
  StoreOutcome,
  StudyEvents,
  StudyStore,
} from '../api.js';
import type { AccessPolicy } from '../access/access-policy.js';
import { readFile } from 'node:fs/promises';
import { validatePart10 } from '../dicom/validate.js';
import { inspectPart10File, type FileFacts } from './file-inspect.js';
import type { Logger } from './logger.js';

export interface IngestOptions {
  /** STOW-RS /studies/{study}: instances of any other study are refused. */
  requireStudyInstanceUid?: string;
}

export interface PipelineIngestorOptions {
  store: StudyStore;
  access: AccessPolicy;
  audit: AuditLog;
  events: EventEmitter<StudyEvents>;
  logger?: Logger;
}

/** The institution that owns a study, from whichever store is in use. */
export async function studyOwner(store: StudyStore, studyUid: string): Promise<string | undefined> {
  const direct = (store as Partial<{ studyInstitution(uid: string): string | undefined }>).studyInstitution;
  if (typeof direct === 'function') return direct.call(store, studyUid);
  const instances = await store.instances(studyUid);
  return instances[0]?.institutionId;
}

export const auditRole = (p: Principal): 'modality' | Principal['role'] =>
  p.via === 'dimse' ? 'modality' : p.role;
export const auditSource = (p: Principal): string | undefined =>
  [p.address, p.callingAe ? `AE ${p.callingAe}` : undefined].filter(Boolean).join(' ') || undefined;

const auditBase = (principal: Principal) => ({
  userId: principal.userId,
  role: auditRole(principal),
  institutionId: principal.institutionId,
  action: 'store' as const,
  source: auditSource(principal),
});

export type FileIngestResult = IngestResult | { status: 'too-large'; reason: string };

type PutFile = (path: string, record: InstanceRecord) => Promise<StoreOutcome>;

/** A store that can adopt a durable file by path (optional: upstreams take bytes). */
function fileStoreOf(store: StudyStore): PutFile | undefined {
  const fn = (store as Partial<{ putFile: PutFile }>).putFile;
  return typeof fn === 'function' ? fn.bind(store) : undefined;
}

export class PipelineIngestor implements Ingestor {
  constructor(private readonly options: PipelineIngestorOptions) {}

  async ingest(bytes: Buffer, principal: Principal, opts: IngestOptions = {}): Promise<IngestResult> {
    const validation = validatePart10(bytes);
    if (!validation.ok) return this.refuseInvalid(validation, principal);
    return this.admit(validation.record, principal, opts, (record) => this.options.store.put(bytes, record));
  }

  /**
   * Ingests a complete Part 10 file that is already durable on disk (a browser upload), without
   * reading it into memory when the store can take a file: validated from disk, then handed over by
   * path (the embedded store renames it into place). Otherwise it is read into one buffer, up to
   * `maxInMemoryBytes`; a larger file is refused as 'too-large'. The file is consumed or left alone,
   * never modified.
   */
  async ingestFile(
    path: string,
    facts: FileFacts,
    principal: Principal,
    limits: { maxInMemoryBytes: number },
  ): Promise<FileIngestResult> {
    const putFile = fileStoreOf(this.options.store);
    if (putFile) {
      const inspected = await inspectPart10File(path, facts);
      if (inspected.ok === false) return this.refuseInvalid(inspected, principal);
      if (inspected.ok === true)
        return this.admit(inspected.record, principal, {}, (record) => putFile(path, record));
    }
    if (facts.size > limits.maxInMemoryBytes) {
      const reason =
        `the file is ${facts.size} bytes; files over ${limits.maxInMemoryBytes} bytes can only be ` +
        'taken as uncompressed or encapsulated (not deflated) little-endian DICOM into the embedded store';
      return { status: 'too-large', reason };
    }
    return this.ingest(await readFile(path), principal);
  }

  private refuseInvalid(
    validation: { reason: string; sopInstanceUid?: string; sopClassUid?: string },
    principal: Principal,
  ): IngestResult {
    this.options.audit.append({
      ...auditBase(principal),
      result: 'failed',
      detail: `invalid: ${validation.reason}`,
    });
    return { status: 'invalid', reason: validation.reason, ...ids(validation) };
  }

  /** Authorize → store → audit → announce, for a record that passed validation. */
  private async admit(
    validated: Omit<InstanceRecord, 'institutionId'>,
    principal: Principal,
    opts: IngestOptions,
    put: (record: InstanceRecord) => Promise<StoreOutcome>,
  ): Promise<IngestResult> {
    const { store, access, audit } = this.options;
    const base = auditBase(principal);
    const record: InstanceRecord = { ...validated, institutionId: principal.institutionId };
    const idsOf = { sopInstanceUid: record.sopInstanceUid, sopClassUid: record.sopClassUid };
    const study = record.studyInstanceUid;
    if (opts.requireStudyInstanceUid !== undefined && opts.requireStudyInstanceUid !== study) {
      const reason = 'the instance belongs to a different study than the one in the request URL';
      audit.append({
        ...base,
        studyInstanceUid: opts.requireStudyInstanceUid,
        result: 'failed',
        detail: `${reason} (${record.sopInstanceUid})`,
      });
      return { status: 'invalid', reason, ...idsOf };
    }
    const owner = await studyOwner(store, study);
    if (!(await access.canStore(principal, study, owner))) {
      audit.append({
        ...base,
        studyInstanceUid: study,
        result: 'denied',
        detail: `instance ${record.sopInstanceUid}`,
      });
      return {
        status: 'denied',
        reason: 'this study belongs to another institution and was not shared with you',
        ...idsOf,
      };
    }
    let outcome;
    try {
      outcome = await put(record);
    } catch (err) {
      audit.append({
        ...base,
        studyInstanceUid: study,
        result: 'failed',
        detail: `store error: ${errorCode(err)}`,
      });
      this.options.logger?.error(
        { err: errorCode(err), sopInstanceUid: record.sopInstanceUid },
        'store failed',
      );
      throw err;
    }
    if (outcome.status === 'conflict') {
      audit.append({
        ...base,
        studyInstanceUid: study,
        result: 'failed',
        detail: `conflict: ${record.sopInstanceUid}`,
      });
      return { status: 'conflict', reason: outcome.reason, ...idsOf };
    }
    audit.append({
      ...base,
      studyInstanceUid: study,
      result: 'ok',
      detail: `${outcome.status}: ${record.sopInstanceUid}`,
    });
    if (outcome.status === 'stored') await this.announce(record);
    return { status: outcome.status, record: outcome.record };
  }

  private async announce(record: InstanceRecord): Promise<void> {
    const { store, events } = this.options;
    const countsFn = (
      store as Partial<{ counts(s: string, se: string): StudyEvents['instanceAdded'][0]['counts'] }>
    ).counts;
    let counts: StudyEvents['instanceAdded'][0]['counts'];
    if (typeof countsFn === 'function') {
      counts = countsFn.call(store, record.studyInstanceUid, record.seriesInstanceUid);
    } else {
      const all = await store.instances(record.studyInstanceUid);
      counts = {
        series: new Set(all.map((r) => r.seriesInstanceUid)).size,
        instances: all.length,
        seriesInstances: all.filter((r) => r.seriesInstanceUid === record.seriesInstanceUid).length,
      };
    }
    try {
      events.emit('instanceAdded', {
        studyInstanceUid: record.studyInstanceUid,
        seriesInstanceUid: record.seriesInstanceUid,
        sopInstanceUid: record.sopInstanceUid,
        ...(record.modality ? { modality: record.modality } : {}),
        counts,
        newSeries: counts.seriesInstances === 1,
        newStudy: counts.instances === 1,
      });
    } catch (err) {
      // A failing listener must not turn a stored instance into a failed store.
      this.options.logger?.warn({ err: errorCode(err) }, 'instanceAdded listener threw');
    }
  }
}

function ids(v: { sopInstanceUid?: string; sopClassUid?: string }): {
  sopInstanceUid?: string;
  sopClassUid?: string;
} {
  return {
    ...(v.sopInstanceUid ? { sopInstanceUid: v.sopInstanceUid } : {}),
    ...(v.sopClassUid ? { sopClassUid: v.sopClassUid } : {}),
  };
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : 'unknown';
}
