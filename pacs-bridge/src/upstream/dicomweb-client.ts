// A DICOMweb client for any PS3.18 server (Orthanc's plugin, dcm4chee-arc, cloud healthcare APIs):
// STOW-RS to store, QIDO-RS to search, WADO-RS to retrieve. Stores build on it (see
// upstream-store.ts); nothing here knows about institutions or idempotency.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DicomJson, QidoQuery } from '../api.js';
import { boundaryOf, readMultipart } from '../web/multipart-related.js';
import { expectOk, upstreamFetch, UpstreamError, type HttpTarget } from './http.js';

export interface DicomWebTarget extends HttpTarget {
  /** Path of the DICOMweb root under baseUrl, e.g. '/dicom-web' (Orthanc) or '/dcm4chee-arc/aets/DCM4CHEE/rs'. */
  root: string;
}

export interface StowFailure {
  sopInstanceUid?: string;
  failureReason?: number;
}

const LEVEL_PATH = { study: 'studies', series: 'series', instance: 'instances' } as const;

export class DicomWebClient {
  constructor(readonly target: DicomWebTarget) {}

  private path(rest: string): string {
    return `${this.target.root.replace(/\/+$/, '')}/${rest}`;
  }

  /** QIDO-RS. Scoping (institutions/sharedStudies) is the caller's business: it is not sent. */
  async qido(query: QidoQuery): Promise<DicomJson[]> {
    const scope = [
      query.studyInstanceUid ? `studies/${query.studyInstanceUid}` : '',
      query.seriesInstanceUid && query.level === 'instance' ? `series/${query.seriesInstanceUid}` : '',
    ].filter(Boolean);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query.match)) params.append(key, value);
    if (query.includeFields === 'all') params.append('includefield', 'all');
    else for (const field of query.includeFields) params.append('includefield', field);
    if (query.fuzzyMatching) params.append('fuzzymatching', 'true');
    if (query.limit !== undefined) params.append('limit', String(query.limit));
    if (query.offset !== undefined) params.append('offset', String(query.offset));
    const url = this.path([...scope, LEVEL_PATH[query.level]].join('/')) + (params.size ? `?${params}` : '');
    const res = await upstreamFetch(this.target, url, { headers: { accept: 'application/dicom+json' } });
    if (res.status === 204) return [];
    if (res.status === 404 && scope.length) {
      await res.body?.cancel();
      return [];
    }
    await expectOk(res, 'QIDO-RS');
    const text = await res.text();
    return text.trim() ? (JSON.parse(text) as DicomJson[]) : [];
  }

  /** STOW-RS of Part 10 files in one request; resolves to the instances the server refused. */
  async stow(files: Buffer[]): Promise<{ httpStatus: number; failed: StowFailure[] }> {
    const boundary = `telemed-${randomBytes(12).toString('hex')}`;
    const chunks: Buffer[] = [];
    for (const file of files) {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
        file,
        Buffer.from('\r\n'),
      );
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await upstreamFetch(this.target, this.path('studies'), {
      method: 'POST',
      headers: {
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body: Buffer.concat(chunks),
    });
    const text = await res.text();
    if (res.status >= 500)
      throw new UpstreamError(`STOW-RS: upstream answered HTTP ${res.status}`, res.status);
    const failed: StowFailure[] = [];
    try {
      const body = text.trim() ? (JSON.parse(text) as DicomJson) : {};
      // Failed SOP Sequence (0008,1198): Referenced SOP Instance UID + Failure Reason per item.
      for (const item of (body['00081198']?.Value ?? []) as DicomJson[]) {
        const uid = item['00081155']?.Value?.[0];
        const reason = item['00081197']?.Value?.[0];
        failed.push({
          ...(typeof uid === 'string' ? { sopInstanceUid: uid } : {}),
          ...(typeof reason === 'number' ? { failureReason: reason } : {}),
        });
      }
    } catch {
      // Not JSON: the status alone tells success (200) from failure.
    }
    if (res.status >= 400 && failed.length === 0) failed.push({});
    return { httpStatus: res.status, failed };
  }

  /** WADO-RS of one instance: its Part 10 bytes streamed (one multipart part), or null if absent. */
  async retrieveInstance(study: string, series: string, sop: string): Promise<Readable | null> {
    const res = await upstreamFetch(
      this.target,
      this.path(`studies/${study}/series/${series}/instances/${sop}`),
      {
        headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
      },
    );
    if (res.status === 404 || res.status === 204) {
      await res.body?.cancel();
      return null;
    }
    await expectOk(res, 'WADO-RS');
    const boundary = boundaryOf(res.headers.get('content-type') ?? '');
    if (!boundary || !res.body) throw new UpstreamError('WADO-RS: answer is not multipart/related');
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    // One part is one instance: buffering it is bounded by the instance, never by the study.
    const parts = readMultipart(body, boundary, { maxPartBytes: 4 * 1024 * 1024 * 1024, maxParts: 1 });
    const first = await parts.next();
    body.destroy();
    return first.done ? null : Readable.from([first.value.body]);
  }
}
