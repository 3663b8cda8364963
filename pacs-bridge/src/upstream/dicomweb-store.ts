// Any standard DICOMweb PACS (dcm4chee-arc, a cloud healthcare API, Orthanc's plugin) as the store
// behind the bridge, with nothing but PS3.18: QIDO-RS to learn whether an instance is already
// there, STOW-RS to send, QIDO-RS to search, WADO-RS to retrieve.
import type { InstanceRecord } from '../api.js';
import { DicomWebClient } from './dicomweb-client.js';
import { UpstreamError } from './http.js';
import { UpstreamIndex } from './upstream-index.js';
import { createUpstreamStore, type UpstreamStore } from './upstream-store.js';

export interface DicomWebStoreOptions {
  /** Server base URL, e.g. https://pacs.example.org */
  url: string;
  /** DICOMweb root path under it, e.g. '/dcm4chee-arc/aets/DCM4CHEE/rs'. */
  root: string;
  username?: string;
  password?: string;
  indexPath: string;
  defaultInstitutionId?: string;
  timeoutMs?: number;
  /** Reported as the store's kind (default 'dicomweb'). */
  kind?: string;
}

export function createDicomWebStore(opts: DicomWebStoreOptions): UpstreamStore {
  const client = new DicomWebClient({
    baseUrl: opts.url,
    root: opts.root,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const exists = async (record: InstanceRecord): Promise<boolean> => {
    const rows = await client.qido({
      level: 'instance',
      studyInstanceUid: record.studyInstanceUid,
      seriesInstanceUid: record.seriesInstanceUid,
      match: { SOPInstanceUID: record.sopInstanceUid },
      includeFields: [],
    });
    return rows.length > 0;
  };
  return createUpstreamStore({
    kind: opts.kind ?? 'dicomweb',
    index: new UpstreamIndex(opts.indexPath),
    ...(opts.defaultInstitutionId ? { defaultInstitutionId: opts.defaultInstitutionId } : {}),
    transport: {
      kind: 'dicomweb',
      async send(bytes, record) {
        if (await exists(record)) return { result: 'exists' };
        const { failed, httpStatus } = await client.stow([bytes]);
        if (failed.length > 0) {
          const reason = failed[0]?.failureReason;
          throw new UpstreamError(
            `the PACS refused the instance over STOW-RS (HTTP ${httpStatus}${reason !== undefined ? `, reason 0x${reason.toString(16)}` : ''})`,
            httpStatus,
          );
        }
        return { result: 'stored' };
      },
      query: (q) => client.qido(q),
      open: (ref) => client.retrieveInstance(ref.studyInstanceUid, ref.seriesInstanceUid, ref.sopInstanceUid),
    },
  });
}
