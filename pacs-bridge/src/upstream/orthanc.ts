// Orthanc as the hospital's PACS behind the bridge (the source of truth): instances go in through
// Orthanc's REST API (byte-exact, and it says whether the instance was new), STOW-RS, or C-STORE;
// searches go through QIDO-RS or C-FIND; retrieval streams Orthanc's stored file over REST. The
// bridge keeps a small index beside it (institution and sha256 per instance) in `indexPath`.
import { Readable } from 'node:stream';
import type { InstanceRecord } from '../api.js';
import { cMove, type DimsePeer } from '../dimse/scu.js';
import { DicomWebClient } from './dicomweb-client.js';
import { cFindUpstream, cStoreUpstream } from './dimse-transport.js';
import { expectOk, upstreamFetch, upstreamGetStream, UpstreamError, type HttpTarget } from './http.js';
import { MoveReceiver } from './move-receiver.js';
import { UpstreamIndex } from './upstream-index.js';
import {
  createUpstreamStore,
  type InstanceRef,
  type UpstreamStore,
  type UpstreamTransport,
} from './upstream-store.js';

export interface OrthancStoreOptions {
  /** Orthanc REST base, e.g. http://127.0.0.1:8042 */
  url: string;
  /** DICOMweb plugin root (default '/dicom-web'). */
  dicomWebRoot?: string;
  username?: string;
  password?: string;
  /** SQLite file for the bridge's index of what it sent (institution, sha256); ':memory:' for tests. */
  indexPath: string;
  /** How instances go in: 'rest' (default; POST /instances), 'stow' (STOW-RS) or 'dimse' (C-STORE). */
  storeVia?: 'rest' | 'stow' | 'dimse';
  /** How searches go: 'qido' (default) or 'dimse' (C-FIND). */
  queryVia?: 'qido' | 'dimse';
  /**
   * How instances come back: 'rest' (default; GET /instances/{id}/file, byte-exact) or 'c-move'
   * (Orthanc moves each instance to our SCP; needs `moveReceiver`, also given to the DIMSE server
   * as its upstreamMoveTarget, and Orthanc must know our AE as a modality).
   */
  retrieveVia?: 'rest' | 'c-move';
  moveReceiver?: MoveReceiver;
  /** Orthanc's DICOM side, needed for the 'dimse' options; Orthanc must list callingAe as a modality. */
  dimse?: DimsePeer;
  /** Institution of instances that reached Orthanc without the bridge. */
  defaultInstitutionId?: string;
  timeoutMs?: number;
}

export async function createOrthancStore(opts: OrthancStoreOptions): Promise<UpstreamStore> {
  const http: HttpTarget = {
    baseUrl: opts.url,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  };
  const dicomWeb = new DicomWebClient({ ...http, root: opts.dicomWebRoot ?? '/dicom-web' });
  const storeVia = opts.storeVia ?? 'rest';
  const queryVia = opts.queryVia ?? 'qido';
  const retrieveVia = opts.retrieveVia ?? 'rest';
  if ((storeVia === 'dimse' || queryVia === 'dimse' || retrieveVia === 'c-move') && !opts.dimse) {
    throw new Error('createOrthancStore: the DIMSE options need the `dimse` peer (host, port, AE titles)');
  }
  if (retrieveVia === 'c-move' && !opts.moveReceiver) {
    throw new Error(
      "createOrthancStore: retrieveVia 'c-move' needs a moveReceiver (shared with the DIMSE server)",
    );
  }
  // Fail at start, not at the first clinic's send, if Orthanc is unreachable or refuses us.
  await expectOk(await upstreamFetch(http, '/system'), 'Orthanc /system');

  const lookup = async (sopUid: string): Promise<string | null> => {
    const res = await expectOk(
      await upstreamFetch(http, '/tools/lookup', {
        method: 'POST',
        body: sopUid,
        headers: { 'content-type': 'text/plain' },
      }),
      'Orthanc lookup',
    );
    const hits = (await res.json()) as Array<{ ID: string; Type: string }>;
    return hits.find((h) => h.Type === 'Instance')?.ID ?? null;
  };

  const find = async <T>(level: 'Series' | 'Instance', query: Record<string, string>): Promise<T[]> => {
    const res = await expectOk(
      await upstreamFetch(http, '/tools/find', {
        method: 'POST',
        body: JSON.stringify({ Level: level, Query: query, Expand: true }),
        headers: { 'content-type': 'application/json' },
      }),
      'Orthanc find',
    );
    return (await res.json()) as T[];
  };

  // Identifiers from Orthanc's database only (its main DICOM tags): no file is read.
  const list = async (studyUid: string, seriesUid?: string): Promise<InstanceRef[]> => {
    type Series = { MainDicomTags: { SeriesInstanceUID?: string } };
    type Instance = { ID: string; MainDicomTags: { SOPInstanceUID?: string } };
    const seriesUids = seriesUid
      ? [seriesUid]
      : (await find<Series>('Series', { StudyInstanceUID: studyUid }))
          .map((s) => s.MainDicomTags.SeriesInstanceUID)
          .filter((uid): uid is string => typeof uid === 'string');
    const perSeries = await Promise.all(
      seriesUids.map(async (se) =>
        (await find<Instance>('Instance', { StudyInstanceUID: studyUid, SeriesInstanceUID: se }))
          .filter((i) => typeof i.MainDicomTags.SOPInstanceUID === 'string')
          .map((i) => ({
            studyInstanceUid: studyUid,
            seriesInstanceUid: se,
            sopInstanceUid: i.MainDicomTags.SOPInstanceUID!,
            upstreamId: i.ID,
          })),
      ),
    );
    return perSeries.flat();
  };

  const sendRest = async (bytes: Buffer): Promise<{ result: 'stored' | 'exists'; upstreamId: string }> => {
    const res = await upstreamFetch(http, '/instances', {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/dicom' },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamError(`Orthanc refused the instance (HTTP ${res.status})`, res.status);
    }
    const body = (await res.json()) as { ID: string; Status: string };
    return { result: body.Status === 'AlreadyStored' ? 'exists' : 'stored', upstreamId: body.ID };
  };

  const sendStow = async (
    bytes: Buffer,
    record: InstanceRecord,
  ): Promise<{ result: 'stored' | 'exists'; upstreamId?: string }> => {
    const existing = await lookup(record.sopInstanceUid);
    if (existing) return { result: 'exists', upstreamId: existing };
    const { failed, httpStatus } = await dicomWeb.stow([bytes]);
    if (failed.length > 0)
      throw new UpstreamError(`Orthanc refused the instance over STOW-RS (HTTP ${httpStatus})`, httpStatus);
    return { result: 'stored' };
  };

  const transport: UpstreamTransport = {
    kind: 'orthanc',
    // C-FIND-configured bridges keep to DIMSE for listings too.
    ...(queryVia === 'dimse' ? {} : { list }),
    send: (bytes, record) =>
      storeVia === 'rest'
        ? sendRest(bytes)
        : storeVia === 'stow'
          ? sendStow(bytes, record)
          : cStoreUpstream(opts.dimse!, bytes, record),
    query: (q) => (queryVia === 'dimse' ? cFindUpstream(opts.dimse!, q) : dicomWeb.qido(q)),
    async open(ref: InstanceRef) {
      if (retrieveVia === 'c-move') return moveOne(opts.dimse!, opts.moveReceiver!, ref);
      const id = ref.upstreamId ?? (await lookup(ref.sopInstanceUid));
      if (!id) return null;
      // identity: Orthanc gzips responses for clients that accept it, which costs more CPU than
      // a loopback or LAN link saves — and DICOM pixel data hardly compresses.
      const { status, body } = await upstreamGetStream(http, `/instances/${encodeURIComponent(id)}/file`, {
        accept: 'application/dicom',
        'accept-encoding': 'identity',
      });
      if (status === 200) return body;
      body.resume();
      if (status === 404) return null;
      throw new UpstreamError(`Orthanc instance file: upstream answered HTTP ${status}`, status);
    },
  };

  return createUpstreamStore({
    kind: 'orthanc',
    transport,
    index: new UpstreamIndex(opts.indexPath),
    ...(opts.defaultInstitutionId ? { defaultInstitutionId: opts.defaultInstitutionId } : {}),
  });
}

/** One instance by C-MOVE to our own AE (the peer's callingAe); null if the PACS has none. */
async function moveOne(peer: DimsePeer, receiver: MoveReceiver, ref: InstanceRef): Promise<Readable | null> {
  const wait = receiver.expect(ref.sopInstanceUid, peer.timeoutMs ?? 60_000);
  const result = await cMove(peer, peer.callingAe, ref);
  if (result.error || result.status !== 0 || result.completed === 0) {
    wait.cancel();
    // Nothing matched (success with no sub-operations) is "absent"; anything else a failure.
    if (!result.error && result.status === 0) return null;
    throw new UpstreamError(`C-MOVE failed: ${result.error ?? `status 0x${result.status.toString(16)}`}`);
  }
  const bytes = await wait.arrived;
  return bytes ? Readable.from([bytes]) : null;
}
