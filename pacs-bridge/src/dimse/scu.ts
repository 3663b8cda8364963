// DIMSE service-class-user helpers (C-ECHO, C-STORE, C-FIND, C-MOVE) over dcmjs-dimse, used for a
// DIMSE-speaking upstream PACS and by tests. C-STORE sends each file's dataset bytes unchanged in
// its own transfer syntax (RawDataset), so what the PACS receives is exactly what was ingested.
import type { Socket } from 'node:net';
import { readFileMeta } from '../dicom/file-meta.js';
import { DEFLATED_EXPLICIT_VR_LE, EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../dicom/transfer-syntaxes.js';
import {
  Client,
  Dataset,
  association,
  constants,
  requests,
  type CFindResponse,
  type CMoveResponse,
} from './lib.js';
import { RawDataset } from './raw-dataset.js';
import { PATIENT_ROOT_FIND, STUDY_ROOT_FIND } from './negotiation.js';

export interface DimsePeer {
  host: string;
  port: number;
  /** The peer's AE title. */
  calledAe: string;
  /** Ours. */
  callingAe: string;
  /** Give up on the whole association after this long (default 60 s). */
  timeoutMs?: number;
}

export interface StoreStatus {
  sopInstanceUid: string;
  /** DIMSE status; -1 when no response came (not sent, association failed). */
  status: number;
  comment?: string;
}

type Request = InstanceType<typeof requests.Request>;
type Response = { getStatus(): number; getErrorComment(): string };

/** Runs requests on one association; resolves when the association is closed, never rejects. */
function run(
  peer: DimsePeer,
  reqs: Request[],
  extraContexts: Array<{ sopClassUid: string; transferSyntaxUid: string }> = [],
): Promise<{ error?: string }> {
  return new Promise((resolve) => {
    const client = new Client();
    let error: string | undefined;
    for (const r of reqs) client.addRequest(r);
    for (const c of extraContexts) {
      client.addAdditionalPresentationContext(
        new association.PresentationContext(0, c.sopClassUid, c.transferSyntaxUid),
        true,
      );
    }
    const timer = setTimeout(() => {
      error = 'timed out';
      try {
        client.abort();
      } catch {
        resolve({ error });
      }
    }, peer.timeoutMs ?? 60_000);
    // Nagle + delayed ACK would add ~40 ms to every request/response exchange.
    client.on('connected', () =>
      (client as unknown as { network?: { socket?: Socket } }).network?.socket?.setNoDelay(true),
    );
    client.on('associationRejected', () => (error = 'association rejected'));
    client.on('networkError', (e: Error) => (error ??= `network error: ${e.message}`));
    client.on('closed', () => {
      clearTimeout(timer);
      resolve(error === undefined ? {} : { error });
    });
    client.send(peer.host, peer.port, peer.callingAe, peer.calledAe, {
      associationTimeout: peer.timeoutMs ?? 60_000,
      pduTimeout: peer.timeoutMs ?? 60_000,
    });
  });
}

export async function cEcho(peer: DimsePeer): Promise<{ status: number; error?: string }> {
  const request = new requests.CEchoRequest();
  let status = -1;
  request.on('response', (r: Response) => (status = r.getStatus()));
  const { error } = await run(peer, [request]);
  return error === undefined ? { status } : { status, error };
}

/**
 * C-STOREs Part 10 files, each in its own transfer syntax (one association per call; at most
 * 100 files, the presentation-context limit being 128). Files that are not Part 10 are reported
 * with status -1 and not sent.
 */
export async function cStore(
  peer: DimsePeer,
  files: Buffer[],
): Promise<{ results: StoreStatus[]; error?: string }> {
  if (files.length > 100) throw new Error('cStore: at most 100 files per association');
  const results: StoreStatus[] = [];
  const reqs: Request[] = [];
  const contexts = new Map<string, { sopClassUid: string; transferSyntaxUid: string }>();
  for (const file of files) {
    const meta = readFileMeta(file);
    if (
      !meta.ok ||
      !meta.meta.transferSyntaxUid ||
      !meta.meta.mediaStorageSopClassUid ||
      !meta.meta.mediaStorageSopInstanceUid
    ) {
      results.push({
        sopInstanceUid: meta.ok ? (meta.meta.mediaStorageSopInstanceUid ?? '') : '',
        status: -1,
        comment: 'not a Part 10 file',
      });
      continue;
    }
    const {
      transferSyntaxUid,
      mediaStorageSopClassUid: sopClassUid,
      mediaStorageSopInstanceUid: sopInstanceUid,
    } = meta.meta;
    let dataset = file.subarray(meta.meta.end);
    if (dataset.length % 2 !== 0) {
      if (transferSyntaxUid !== DEFLATED_EXPLICIT_VR_LE) {
        // Values have even lengths (PS3.5 7.1.1); DCMTK-based peers wait forever for the byte
        // an odd-length dataset lacks, so it is refused here rather than hang the association.
        results.push({ sopInstanceUid, status: -1, comment: 'odd-length dataset cannot be sent over DIMSE' });
        continue;
      }
      // A deflated stream of odd length gets the trailing NUL pad PS3.5 A.5 asks for.
      dataset = Buffer.concat([dataset, Buffer.alloc(1)]);
    }
    const request = new requests.CStoreRequest(new RawDataset(dataset, transferSyntaxUid));
    request.setAffectedSopClassUid(sopClassUid);
    request.setAffectedSopInstanceUid(sopInstanceUid);
    const result: StoreStatus = { sopInstanceUid, status: -1 };
    results.push(result);
    request.on('response', (r: Response) => {
      result.status = r.getStatus();
      const comment = r.getErrorComment();
      if (comment) result.comment = comment;
    });
    reqs.push(request);
    // dcmjs-dimse proposes implicit+explicit LE in one context and lets the peer choose; a context
    // with only the file's own syntax makes sure the dataset goes as-is (it prefers exact matches).
    if (transferSyntaxUid === IMPLICIT_VR_LE || transferSyntaxUid === EXPLICIT_VR_LE) {
      contexts.set(`${sopClassUid}|${transferSyntaxUid}`, { sopClassUid, transferSyntaxUid });
    }
  }
  if (reqs.length === 0) return { results };
  const { error } = await run(peer, reqs, [...contexts.values()]);
  return error === undefined ? { results } : { results, error };
}

export type FindModel = 'study' | 'patient';

export interface FindResult {
  status: number;
  matches: Record<string, unknown>[];
  error?: string;
}

/** C-FIND with a naturalized identifier (dcmjs keywords; include QueryRetrieveLevel). */
export async function cFind(
  peer: DimsePeer,
  identifier: Record<string, unknown>,
  model: FindModel = 'study',
): Promise<FindResult> {
  const request = new requests.CFindRequest();
  request.setAffectedSopClassUid(model === 'patient' ? PATIENT_ROOT_FIND : STUDY_ROOT_FIND);
  request.setDataset(new Dataset(identifier));
  const matches: Record<string, unknown>[] = [];
  let status = -1;
  request.on('response', (r: CFindResponse) => {
    status = r.getStatus();
    const ds = r.getDataset();
    if (status === constants.Status.Pending && ds) matches.push(ds.getElements());
  });
  const { error } = await run(peer, [request]);
  return error === undefined ? { status, matches } : { status, matches, error };
}

export interface MoveResult {
  status: number;
  completed: number;
  failed: number;
  warnings: number;
  error?: string;
}

/** C-MOVE of a study, series or instance to `destinationAe` (which the peer must know). */
export async function cMove(
  peer: DimsePeer,
  destinationAe: string,
  uids: { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string },
): Promise<MoveResult> {
  const { CMoveRequest } = requests;
  const request =
    uids.sopInstanceUid && uids.seriesInstanceUid
      ? CMoveRequest.createImageMoveRequest(
          destinationAe,
          uids.studyInstanceUid,
          uids.seriesInstanceUid,
          uids.sopInstanceUid,
        )
      : uids.seriesInstanceUid
        ? CMoveRequest.createSeriesMoveRequest(destinationAe, uids.studyInstanceUid, uids.seriesInstanceUid)
        : CMoveRequest.createStudyMoveRequest(destinationAe, uids.studyInstanceUid);
  const result: MoveResult = { status: -1, completed: 0, failed: 0, warnings: 0 };
  request.on('response', (r: CMoveResponse) => {
    result.status = r.getStatus();
    result.completed = r.getCompleted() ?? result.completed;
    result.failed = r.getFailures() ?? result.failed;
    result.warnings = r.getWarnings() ?? result.warnings;
  });
  const { error } = await run(peer, [request]);
  return error === undefined ? result : { ...result, error };
}
