// A StudyStore in front of a real PACS. The PACS is the source of truth for what exists and
// serves the bytes; the bridge adds what a PACS cannot know — which institution sent a study
// (scoping queries) and the sha256 of what was sent (idempotency vs conflict). How instances move
// (REST, STOW-RS, DIMSE) is the transport's business, so dcm4chee or a cloud store is a transport.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DicomJson, InstanceRecord, QidoQuery, StoreOutcome, StudyStore } from '../api.js';
import { readFileMeta } from '../dicom/file-meta.js';
import { ReadAhead } from './read-ahead.js';
import { byPosition, RECORD_FIELDS, recordFromJson } from './records.js';
import type { UpstreamIndex } from './upstream-index.js';

export interface InstanceRef {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  upstreamId?: string;
}

export interface UpstreamTransport {
  readonly kind: string;
  /**
   * Sends one instance. 'exists': the PACS already held this SOP Instance UID and kept its own copy
   * (PACSes ignore re-sends). Throws (UpstreamError) when the PACS refuses the instance.
   */
  send(bytes: Buffer, record: InstanceRecord): Promise<{ result: 'stored' | 'exists'; upstreamId?: string }>;
  /** Unscoped search; the store applies institutions/shared studies, limit and offset. */
  query(query: QidoQuery): Promise<DicomJson[]>;
  /** The PACS's copy of an instance, streamed; null if absent. */
  open(ref: InstanceRef): Promise<Readable | null>;
  /**
   * Optional cheap listing of a study's (or series') instances: identifiers only, from the PACS's
   * database. A full instance-level query can make the PACS read every file for attributes it does
   * not index (Orthanc: Rows, NumberOfFrames, transfer syntax), which dominated a series retrieve.
   */
  list?(studyUid: string, seriesUid?: string): Promise<InstanceRef[]>;
  close?(): Promise<void>;
}

export interface UpstreamStoreOptions {
  kind: string;
  transport: UpstreamTransport;
  index: UpstreamIndex;
  /** Institution of instances that reached the PACS without the bridge (default 'upstream'). */
  defaultInstitutionId?: string;
}

const RETRIEVE_URL = '00081190';
const STUDY_UID = '0020000D';

export interface UpstreamStore extends StudyStore {
  studyInstitution(studyUid: string): string | undefined;
  counts(studyUid: string, seriesUid: string): { series: number; instances: number; seriesInstances: number };
}

export function createUpstreamStore(opts: UpstreamStoreOptions): UpstreamStore {
  const { transport, index } = opts;
  const defaultInstitution = opts.defaultInstitutionId ?? 'upstream';
  const locks = new Map<string, Promise<unknown>>();
  const readAhead = new ReadAhead((ref) => transport.open(ref));

  // One send per SOP Instance UID at a time, so two concurrent sends cannot both look "new".
  const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (locks.get(key) === settled) locks.delete(key);
    }
  };

  const ownerOf = (studyUid: string): string => index.studyInstitution(studyUid) ?? defaultInstitution;

  async function put(bytes: Buffer, record: InstanceRecord): Promise<StoreOutcome> {
    return withLock(record.sopInstanceUid, async () => {
      const known = index.get(record.sopInstanceUid);
      if (known) return compareKnown(known.record, record);
      const sent = await transport.send(bytes, record);
      if (sent.result === 'stored') {
        index.add(record, sent.upstreamId);
        return { status: 'stored', record };
      }
      // The PACS had it before us: same content is a re-send, anything else a conflict.
      const copy = await transport.open({
        ...record,
        ...(sent.upstreamId ? { upstreamId: sent.upstreamId } : {}),
      });
      if (copy && (await sameContent(copy, bytes))) {
        index.add(record, sent.upstreamId);
        return { status: 'duplicate', record };
      }
      return {
        status: 'conflict',
        reason: 'the PACS already holds different content under this SOP Instance UID',
      };
    });
  }

  async function query(q: QidoQuery): Promise<DicomJson[]> {
    const strip = (rows: DicomJson[]): DicomJson[] => rows.map(({ [RETRIEVE_URL]: _url, ...rest }) => rest);
    if (!q.institutions) return strip(await transport.query(q));
    const allowed = index.studiesOf(q.institutions);
    for (const uid of q.sharedStudies ?? []) allowed.add(uid);
    if (q.studyInstanceUid && !allowed.has(q.studyInstanceUid)) return [];
    if (allowed.size === 0) return [];
    const includeFields =
      q.includeFields === 'all' ? 'all' : [...new Set([...q.includeFields, 'StudyInstanceUID'])];
    const { limit, offset, ...unpaged } = q;
    const rows = await transport.query({ ...unpaged, includeFields });
    const visible = rows.filter((row) => {
      const uid = row[STUDY_UID]?.Value?.[0] ?? q.studyInstanceUid;
      return typeof uid === 'string' && allowed.has(uid);
    });
    const start = offset ?? 0;
    return strip(visible.slice(start, limit === undefined ? undefined : start + limit));
  }

  /**
   * The PACS says which instances exist; when it can list them cheaply and the bridge sent every one
   * of them (so it has their records from the bytes it validated), no attribute query is needed.
   */
  async function knownInstances(studyUid: string, seriesUid?: string): Promise<InstanceRecord[] | undefined> {
    if (!transport.list) return undefined;
    const listed = await transport.list(studyUid, seriesUid);
    const records: InstanceRecord[] = [];
    const refs = new Map<string, InstanceRef>();
    for (const ref of listed) {
      const known = index.get(ref.sopInstanceUid);
      if (!known || known.record.studyInstanceUid !== studyUid) return undefined;
      if (seriesUid && known.record.seriesInstanceUid !== seriesUid) continue;
      records.push(known.record);
      const upstreamId = ref.upstreamId ?? known.upstreamId;
      refs.set(ref.sopInstanceUid, { ...known.record, ...(upstreamId ? { upstreamId } : {}) });
    }
    records.sort(byPosition);
    readAhead.listed(
      `${studyUid}/${seriesUid ?? ''}`,
      records.map((r) => refs.get(r.sopInstanceUid)!),
    );
    return records;
  }

  async function instances(studyUid: string, seriesUid?: string): Promise<InstanceRecord[]> {
    const known = await knownInstances(studyUid, seriesUid);
    if (known) return known;
    const rows = await transport.query({
      level: 'instance',
      studyInstanceUid: studyUid,
      ...(seriesUid ? { seriesInstanceUid: seriesUid } : {}),
      match: {},
      includeFields: RECORD_FIELDS,
    });
    const owner = ownerOf(studyUid);
    const refs = new Map<string, InstanceRef>();
    const records = rows
      .map((row) => {
        const fromPacs = recordFromJson(row, owner, {
          studyInstanceUid: studyUid,
          ...(seriesUid ? { seriesInstanceUid: seriesUid } : {}),
        });
        const known = index.get(fromPacs.sopInstanceUid);
        const record = known?.record ?? fromPacs;
        refs.set(record.sopInstanceUid, {
          ...record,
          ...(known?.upstreamId ? { upstreamId: known.upstreamId } : {}),
        });
        return record;
      })
      .filter((r) => !seriesUid || r.seriesInstanceUid === seriesUid)
      .sort(byPosition);
    // A listing is usually followed by opening each instance in this order (WADO-RS of a series).
    readAhead.listed(
      `${studyUid}/${seriesUid ?? ''}`,
      records.map((r) => refs.get(r.sopInstanceUid)!),
    );
    return records;
  }

  async function find(sopUid: string): Promise<InstanceRecord | null> {
    const known = index.get(sopUid);
    if (known) return known.record;
    const rows = await transport.query({
      level: 'instance',
      match: { SOPInstanceUID: sopUid },
      includeFields: RECORD_FIELDS,
    });
    const row = rows[0];
    if (!row) return null;
    const record = recordFromJson(row, defaultInstitution);
    return { ...record, institutionId: ownerOf(record.studyInstanceUid) };
  }

  async function open(sopUid: string): Promise<Readable | null> {
    const known = index.get(sopUid);
    const ref = known
      ? { ...known.record, ...(known.upstreamId ? { upstreamId: known.upstreamId } : {}) }
      : await find(sopUid);
    return ref ? readAhead.take(ref) : null;
  }

  return {
    kind: opts.kind,
    put,
    query,
    instances,
    find,
    open,
    studyInstitution: (uid) => index.studyInstitution(uid),
    counts: (study, series) => index.counts(study, series),
    async close() {
      readAhead.close();
      await transport.close?.();
      index.close();
    },
  };
}

function compareKnown(known: InstanceRecord, incoming: InstanceRecord): StoreOutcome {
  return known.sha256 === incoming.sha256
    ? { status: 'duplicate', record: known }
    : { status: 'conflict', reason: 'different content was already stored under this SOP Instance UID' };
}

/**
 * Same instance? Byte-identical files, or the same dataset under a different file meta header
 * (a PACS that received the instance over DIMSE writes its own meta group).
 */
async function sameContent(copy: Readable, bytes: Buffer): Promise<boolean> {
  const chunks: Buffer[] = [];
  for await (const chunk of copy) chunks.push(chunk as Buffer);
  const theirs = Buffer.concat(chunks);
  if (sha256(theirs) === sha256(bytes)) return true;
  const a = readFileMeta(theirs);
  const b = readFileMeta(bytes);
  return a.ok && b.ok && theirs.subarray(a.meta.end).equals(bytes.subarray(b.meta.end));
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
