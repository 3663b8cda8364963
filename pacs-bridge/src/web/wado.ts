// WADO-RS (PS3.18 10.4): whole instances (study/series/instance, multipart/related; type=
// "application/dicom", streamed file by file from the store, byte-identical to what was stored),
// metadata at all three levels (a JSON array written item by item) and bulk data for the
// BulkDataURIs the metadata hands out.
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import type { InstanceRecord, Principal, StudyStore } from '../api.js';
import { datasetToJson, binaryValueLE } from '../dicom/dicom-json.js';
import { dpTag } from '../dicom/dicom-parser-api.js';
import { parsePart10 } from '../dicom/part10.js';
import { PIXEL_DATA, readImagePixel } from '../dicom/pixel-data.js';
import { vrForTag } from '../dicom/dictionary.js';
import { auditRole, auditSource } from '../ingest/ingestor.js';
import type { WebContext } from './context.js';
import { baseUrlOf, HttpError, newBoundary, parseAccept, principalOf } from './http.js';
import { framesResponse } from './frames.js';
import { readInstanceBytes, resolveInstances } from './resolve.js';

function auditRetrieve(ctx: WebContext, principal: Principal, study: string, what: string): void {
  ctx.audit.append({
    userId: principal.userId,
    role: auditRole(principal),
    institutionId: principal.institutionId,
    action: 'retrieve',
    studyInstanceUid: study,
    result: 'ok',
    detail: what,
    source: auditSource(principal),
  });
}

/** Accept for whole instances: multipart/related with type application/dicom, original syntax only. */
function checkInstanceAccept(req: Request, records: InstanceRecord[]): void {
  const ranges = parseAccept(req.get('accept'));
  if (ranges.length === 0) return;
  for (const r of ranges) {
    if (
      r.type === '*/*' ||
      (r.type === 'multipart/related' && (!r.params.type || r.params.type === 'application/dicom'))
    ) {
      const ts = r.params['transfer-syntax'];
      if (!ts || ts === '*' || records.every((rec) => rec.transferSyntaxUid === ts)) return;
    }
  }
  throw new HttpError(
    406,
    'instances are served as multipart/related; type="application/dicom" in their original transfer syntax only',
  );
}

export function retrieveHandler(ctx: WebContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const records = await resolveInstances(ctx, principal, req);
    checkInstanceAccept(req, records);
    auditRetrieve(ctx, principal, records[0]!.studyInstanceUid, `${records.length} instance(s)`);
    const boundary = newBoundary();
    res.status(200).type(`multipart/related; type="application/dicom"; boundary=${boundary}`);
    // Only the embedded store is sure to give back exactly the bytes it indexed; an upstream PACS may
    // hold instances that never passed through us (size unknown) or rewrite what it was sent.
    const sized = ctx.store.kind === 'embedded';
    for await (const [record, stream] of openAhead(ctx.store, records)) {
      if (!stream) continue;
      if (res.destroyed) {
        stream.destroy();
        return; // the client went away without backpressure telling us
      }
      const length = sized && record.size > 0 ? `\r\nContent-Length: ${record.size}` : '';
      res.write(`\r\n--${boundary}\r\nContent-Type: application/dicom${length}\r\n\r\n`);
      for await (const chunk of stream) {
        if (!res.write(chunk) && !(await drained(res))) {
          stream.destroy();
          return; // the client went away; openAhead releases what it opened
        }
      }
    }
    res.end(`\r\n--${boundary}--\r\n`);
  };
}

/** How many instances are opened ahead of the one being written (bounded memory: ~1 MiB each). */
const OPEN_AHEAD = 4;

/**
 * Yields each record with its opened stream, opening the next few while the current one is written:
 * file opens, index lookups and the first reads (or an upstream PACS's round trips) overlap the
 * socket instead of queueing behind it. Streams opened ahead are released if the loop stops early.
 */
async function* openAhead(
  store: StudyStore,
  records: InstanceRecord[],
): AsyncGenerator<[InstanceRecord, Readable | null]> {
  const queue: Array<Promise<Readable | null>> = [];
  let next = 0;
  const fill = (): void => {
    while (queue.length < OPEN_AHEAD && next < records.length) {
      const opening = store.open(records[next++]!.sopInstanceUid).then((stream) => {
        stream?.read(0); // start filling its buffer now
        return stream;
      });
      opening.catch(() => undefined); // surfaces when its turn comes
      queue.push(opening);
    }
  };
  try {
    for (const record of records) {
      fill();
      yield [record, await queue.shift()!];
    }
  } finally {
    for (const opening of queue)
      void opening.then(
        (stream) => stream?.destroy(),
        () => undefined,
      );
  }
}

/** Waits for 'drain'; false if the response closed first (client gone), so writing stops. */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export function metadataHandler(ctx: WebContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const records = await resolveInstances(ctx, principal, req);
    auditRetrieve(ctx, principal, records[0]!.studyInstanceUid, `metadata of ${records.length} instance(s)`);
    const base = baseUrlOf(req, ctx.mountPath);
    res.status(200).type('application/dicom+json');
    res.write('[');
    let first = true;
    for (const record of records) {
      const bytes = await readInstanceBytes(ctx.store, record.sopInstanceUid);
      const parsed = parsePart10(bytes);
      if (!parsed.ok) continue;
      const instanceUrl = `${base}/studies/${record.studyInstanceUid}/series/${record.seriesInstanceUid}/instances/${record.sopInstanceUid}`;
      const { transferSyntax, dataSet } = parsed.file;
      const json = datasetToJson(dataSet, transferSyntax.explicitVr, transferSyntax.littleEndian, {
        bulkDataUri: (tag) => `${instanceUrl}/bulkdata/${tag}`,
      });
      json['00083002'] = { vr: 'UI', Value: [transferSyntax.uid] };
      if (!res.write(`${first ? '' : ','}${JSON.stringify(json)}`) && !(await drained(res))) return;
      first = false;
    }
    res.end(']');
  };
}

export function bulkdataHandler(ctx: WebContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const tag = String(req.params.tag ?? '').toUpperCase();
    if (!/^[0-9A-F]{8}$/.test(tag)) throw new HttpError(400, 'bulk data tag must be 8 hex digits (GGGGEEEE)');
    const [record] = await resolveInstances(ctx, principal, req);
    if (tag === '7FE00010') {
      const bytes = await readInstanceBytes(ctx.store, record!.sopInstanceUid);
      const parsed = parsePart10(bytes);
      const pixel = parsed.ok ? readImagePixel(parsed.file.dataSet) : undefined;
      if (!parsed.ok || !pixel?.ok || !pixel.pixel)
        throw new HttpError(404, 'the instance has no pixel data');
      const frames = Array.from({ length: pixel.pixel.numberOfFrames }, (_, i) => i + 1);
      await framesResponse(ctx, req, res, record!, parsed.file, pixel.pixel, frames);
      return;
    }
    const bytes = await readInstanceBytes(ctx.store, record!.sopInstanceUid);
    const parsed = parsePart10(bytes);
    if (!parsed.ok) throw new HttpError(500, 'the stored instance cannot be read');
    const { dataSet, transferSyntax } = parsed.file;
    const element = dataSet.elements[dpTag(tag)];
    if (!element || element.items) throw new HttpError(404, `the instance has no bulk data element ${tag}`);
    const vr = transferSyntax.explicitVr && element.vr ? element.vr : vrForTag(tag);
    const value = binaryValueLE(dataSet, element, vr, transferSyntax.littleEndian);
    auditRetrieve(ctx, principal, record!.studyInstanceUid, `bulk data ${tag}`);
    const boundary = newBoundary();
    res.status(200).type(`multipart/related; type="application/octet-stream"; boundary=${boundary}`);
    res.write(
      `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${value.length}\r\n\r\n`,
    );
    res.write(value);
    res.end(`\r\n--${boundary}--\r\n`);
  };
}

export { PIXEL_DATA };
