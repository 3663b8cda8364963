// STOW-RS (PS3.18 10.5): POST /studies and /studies/{study}, multipart/related; type="application/dicom".
// Each part goes through the ingest pipeline as it arrives. The response is a DICOM JSON dataset with
// ReferencedSOPSequence (0008,1199) for stored instances and FailedSOPSequence (0008,1198) for the
// rest, each failed item carrying FailureReason (0008,1197) and — our choice, documented in the README —
// the human-readable reason in TextValue (0040,A160), since PS3.18 defines no text attribute for it.
// Status: 200 all stored, 202 some failed, 409 none stored and a conflict among the failures, 403 none
// stored and all refused for access, 400 none stored otherwise, 415 not multipart/related application/dicom.
import type { Request, Response } from 'express';
import type { DicomJson, IngestResult } from '../api.js';
import { isValidUid } from '../dicom/uids.js';
import type { WebContext } from './context.js';
import { baseUrlOf, HttpError, principalOf, sendError } from './http.js';
import { boundaryOf, MultipartError, readMultipart } from './multipart-related.js';

/** PS3.4 / PS3.18 failure reason codes used in FailedSOPSequence. */
export const FailureReason = {
  ProcessingFailure: 0x0110,
  DuplicateSopInstance: 0x0111,
  NotAuthorized: 0x0124,
  OutOfResources: 0xa700,
  DataSetDoesNotMatchSopClass: 0xa900,
  CannotUnderstand: 0xc000,
  TransferSyntaxNotSupported: 0xc122,
} as const;

type Outcome =
  | {
      ok: true;
      sopClassUid: string;
      sopInstanceUid: string;
      study: string;
      series: string;
      duplicate: boolean;
    }
  | {
      ok: false;
      sopClassUid?: string;
      sopInstanceUid?: string;
      code: number;
      reason: string;
      kind: 'conflict' | 'invalid' | 'denied' | 'error';
    };

export function isMultipartDicom(contentType: string | undefined): boolean {
  if (!contentType || !/^multipart\/related\s*(;|$)/i.test(contentType)) return false;
  const type = /;\s*type="?([^";]+)"?/i.exec(contentType)?.[1]?.trim().toLowerCase();
  return type === undefined || type === 'application/dicom';
}

export function stowHandler(ctx: WebContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const studyParam = req.params.study as string | undefined;
    if (studyParam !== undefined && !isValidUid(studyParam))
      throw new HttpError(400, 'the study UID in the URL is not a valid UID');
    const contentType = req.get('content-type');
    if (!isMultipartDicom(contentType)) {
      throw new HttpError(
        415,
        'STOW-RS needs Content-Type: multipart/related; type="application/dicom"; boundary=...',
      );
    }
    const boundary = boundaryOf(contentType!);
    if (!boundary) throw new HttpError(400, 'the multipart Content-Type has no boundary parameter');

    const outcomes: Outcome[] = [];
    try {
      for await (const part of readMultipart(req, boundary, {
        maxPartBytes: ctx.limits.maxInstanceBytes,
        maxParts: ctx.limits.maxInstancesPerRequest,
      })) {
        outcomes.push(await storePart(ctx, part.headers['content-type'], part.body, principal, studyParam));
      }
    } catch (err) {
      if (!(err instanceof MultipartError)) throw err;
      // Instances already stored stay stored (each is whole); say so rather than pretend nothing happened.
      if (outcomes.length === 0) {
        // Drain what is left so the client sees the answer instead of a reset connection.
        req.resume();
        sendError(res, err.status, err.message);
        return;
      }
      req.resume();
      outcomes.push({
        ok: false,
        code: FailureReason.CannotUnderstand,
        reason: err.message,
        kind: 'invalid',
      });
    }
    if (outcomes.length === 0) throw new HttpError(400, 'the request contains no DICOM instances');
    const base = baseUrlOf(req, ctx.mountPath);
    const body = responseDataset(outcomes, base, studyParam);
    res.status(statusFor(outcomes)).type('application/dicom+json').send(JSON.stringify(body));
  };
}

async function storePart(
  ctx: WebContext,
  partType: string | undefined,
  body: Buffer,
  principal: ReturnType<typeof principalOf>,
  study: string | undefined,
): Promise<Outcome> {
  const type = partType?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/dicom') {
    return {
      ok: false,
      code: FailureReason.CannotUnderstand,
      reason: `part has Content-Type ${type}; only application/dicom is accepted`,
      kind: 'invalid',
    };
  }
  let result: IngestResult;
  try {
    result = await ctx.ingestor.ingest(body, principal, study ? { requireStudyInstanceUid: study } : {});
  } catch (err) {
    const code = (err as { code?: string }).code;
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    return {
      ok: false,
      code: full ? FailureReason.OutOfResources : FailureReason.ProcessingFailure,
      reason: full ? 'the archive is out of disk space' : 'the instance could not be stored (server error)',
      kind: 'error',
    };
  }
  switch (result.status) {
    case 'stored':
    case 'duplicate':
      return {
        ok: true,
        sopClassUid: result.record.sopClassUid,
        sopInstanceUid: result.record.sopInstanceUid,
        study: result.record.studyInstanceUid,
        series: result.record.seriesInstanceUid,
        duplicate: result.status === 'duplicate',
      };
    case 'conflict':
      return {
        ...idsOf(result),
        ok: false,
        code: FailureReason.DuplicateSopInstance,
        reason: result.reason,
        kind: 'conflict',
      };
    case 'denied':
      return {
        ...idsOf(result),
        ok: false,
        code: FailureReason.NotAuthorized,
        reason: result.reason,
        kind: 'denied',
      };
    case 'invalid':
      return {
        ...idsOf(result),
        ok: false,
        code: invalidCode(result.reason),
        reason: result.reason,
        kind: 'invalid',
      };
  }
}

const idsOf = (r: { sopClassUid?: string; sopInstanceUid?: string }) => ({
  ...(r.sopClassUid ? { sopClassUid: r.sopClassUid } : {}),
  ...(r.sopInstanceUid ? { sopInstanceUid: r.sopInstanceUid } : {}),
});

function invalidCode(reason: string): number {
  if (/transfer syntax/i.test(reason) && /not supported/i.test(reason))
    return FailureReason.TransferSyntaxNotSupported;
  if (/different study|differs from the dataset/i.test(reason))
    return FailureReason.DataSetDoesNotMatchSopClass;
  return FailureReason.CannotUnderstand;
}

export function statusFor(outcomes: Outcome[]): number {
  const stored = outcomes.filter((o) => o.ok).length;
  if (stored === outcomes.length) return 200;
  if (stored > 0) return 202;
  const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  if (failures.some((f) => f.kind === 'conflict')) return 409;
  if (failures.every((f) => f.kind === 'denied')) return 403;
  if (failures.every((f) => f.kind === 'error'))
    return failures.some((f) => f.code === FailureReason.OutOfResources) ? 507 : 500;
  return 400;
}

function responseDataset(outcomes: Outcome[], base: string, study: string | undefined): DicomJson {
  const referenced: DicomJson[] = [];
  const failed: DicomJson[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      const item: DicomJson = {
        '00081150': { vr: 'UI', Value: [o.sopClassUid] },
        '00081155': { vr: 'UI', Value: [o.sopInstanceUid] },
        '00081190': {
          vr: 'UR',
          Value: [`${base}/studies/${o.study}/series/${o.series}/instances/${o.sopInstanceUid}`],
        },
      };
      if (o.duplicate) item['0040A160'] = { vr: 'UT', Value: ['already stored with identical content'] };
      referenced.push(item);
    } else {
      const item: DicomJson = {
        '00081150': o.sopClassUid ? { vr: 'UI', Value: [o.sopClassUid] } : { vr: 'UI' },
        '00081155': o.sopInstanceUid ? { vr: 'UI', Value: [o.sopInstanceUid] } : { vr: 'UI' },
        '00081197': { vr: 'US', Value: [o.code] },
        '0040A160': { vr: 'UT', Value: [o.reason] },
      };
      failed.push(item);
    }
  }
  const out: DicomJson = {};
  if (study) out['00081190'] = { vr: 'UR', Value: [`${base}/studies/${study}`] };
  if (failed.length) out['00081198'] = { vr: 'SQ', Value: failed };
  if (referenced.length) out['00081199'] = { vr: 'SQ', Value: referenced };
  return out;
}
