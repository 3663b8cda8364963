// WADO-RS /frames/{list} (PS3.18 8.7.3 and 10.4.1.1.3): each frame a part of a multipart/related
// response. Accept negotiation: no preference or transfer-syntax=* → the original syntax (compressed
// frames as stored, native frames as little endian); application/octet-stream without a syntax or with
// Explicit VR Little Endian → decoded to native samples; a compressed media type only when it is the
// stored one. Anything else is 406 with the reason, since we do not re-encode.
import type { Request, Response } from 'express';
import type { InstanceRecord } from '../api.js';
import { swapBytes } from '../dicom/dicom-json.js';
import { canDecode, decodeFrame } from '../dicom/frame-decoders.js';
import { parsePart10, type Part10 } from '../dicom/part10.js';
import { frameBytes, readImagePixel, type ImagePixel } from '../dicom/pixel-data.js';
import { EXPLICIT_VR_LE } from '../dicom/transfer-syntaxes.js';
import { auditRole, auditSource } from '../ingest/ingestor.js';
import type { WebContext } from './context.js';
import { HttpError, newBoundary, parseAccept, principalOf } from './http.js';
import { readInstanceBytes, resolveInstances } from './resolve.js';

type Plan = { mode: 'original' | 'native'; partType: string };

export function negotiateFrames(
  accept: string | undefined,
  file: Part10,
  pixel: ImagePixel,
): Plan | { reason: string } {
  const syntax = file.transferSyntax;
  const nativeType = `application/octet-stream; transfer-syntax=${EXPLICIT_VR_LE}`;
  const original: Plan =
    syntax.encoding === 'native'
      ? { mode: 'original', partType: nativeType }
      : { mode: 'original', partType: `${syntax.frameMediaType}; transfer-syntax=${syntax.uid}` };
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return original;
  const reasons: string[] = [];
  for (const r of ranges) {
    if (r.type === '*/*' || r.type === 'multipart/*') return original;
    if (r.type !== 'multipart/related') continue;
    const type = r.params.type?.toLowerCase();
    const ts = r.params['transfer-syntax'];
    if (!type || type === '*/*') return original;
    if (type === 'application/octet-stream') {
      if (ts === '*')
        return {
          mode: 'original',
          partType: `application/octet-stream; transfer-syntax=${syntax.uid === EXPLICIT_VR_LE || syntax.encoding === 'native' ? EXPLICIT_VR_LE : syntax.uid}`,
        };
      if (ts === undefined || ts === EXPLICIT_VR_LE || ts === '1.2.840.10008.1.2') {
        if (syntax.encoding === 'native') return { mode: 'original', partType: nativeType };
        if (canDecode(syntax.uid, pixel)) return { mode: 'native', partType: nativeType };
        reasons.push(`frames in ${syntax.name} cannot be decoded to uncompressed here`);
        continue;
      }
      if (ts === syntax.uid) return original;
      reasons.push(`transfer syntax ${ts} is not offered (stored as ${syntax.uid})`);
      continue;
    }
    if (type === syntax.frameMediaType && (ts === undefined || ts === '*' || ts === syntax.uid))
      return original;
    reasons.push(
      `${type}${ts ? ` (${ts})` : ''} is not offered; frames are stored as ${syntax.frameMediaType} (${syntax.uid})`,
    );
  }
  return { reason: reasons.join('; ') || 'no acceptable media type: frames are multipart/related' };
}

export function parseFrameList(list: string, frames: number): number[] {
  if (!/^\d{1,6}(,\d{1,6})*$/.test(list))
    throw new HttpError(400, 'frame list must be comma-separated frame numbers, e.g. 1,2,3');
  const numbers = list.split(',').map(Number);
  for (const n of numbers) {
    if (n < 1 || n > frames)
      throw new HttpError(404, `frame ${n} does not exist (the instance has ${frames})`);
  }
  return numbers;
}

export function framesHandler(ctx: WebContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(req);
    const [record] = await resolveInstances(ctx, principal, req);
    const bytes = await readInstanceBytes(ctx.store, record!.sopInstanceUid);
    const parsed = parsePart10(bytes);
    if (!parsed.ok) throw new HttpError(500, 'the stored instance cannot be read');
    const pixel = readImagePixel(parsed.file.dataSet);
    if (!pixel.ok || !pixel.pixel) throw new HttpError(404, 'the instance has no pixel data');
    const numbers = parseFrameList(String(req.params.frames), pixel.pixel.numberOfFrames);
    await framesResponse(ctx, req, res, record!, parsed.file, pixel.pixel, numbers);
  };
}

export async function framesResponse(
  ctx: WebContext,
  req: Request,
  res: Response,
  record: InstanceRecord,
  file: Part10,
  pixel: ImagePixel,
  numbers: number[],
): Promise<void> {
  const plan = negotiateFrames(req.get('accept'), file, pixel);
  if ('reason' in plan) throw new HttpError(406, plan.reason);
  const parts: Uint8Array[] = [];
  for (const n of numbers) {
    const raw = frameBytes(file.dataSet, file.transferSyntax, pixel, n - 1);
    if (!raw) throw new HttpError(406, 'this frame layout cannot be cut into single frames');
    if (plan.mode === 'native') {
      try {
        parts.push(await decodeFrame(file.transferSyntax.uid, raw, pixel));
      } catch {
        throw new HttpError(406, `frame ${n} could not be decoded from ${file.transferSyntax.name}`);
      }
    } else if (
      file.transferSyntax.encoding === 'native' &&
      !file.transferSyntax.littleEndian &&
      pixel.bitsAllocated > 8
    ) {
      parts.push(swapBytes(raw, pixel.bitsAllocated / 8));
    } else {
      parts.push(raw);
    }
  }
  const principal = principalOf(req);
  ctx.audit.append({
    userId: principal.userId,
    role: auditRole(principal),
    institutionId: principal.institutionId,
    action: 'retrieve',
    studyInstanceUid: record.studyInstanceUid,
    result: 'ok',
    detail: `frames ${numbers.join(',')} of ${record.sopInstanceUid}`,
    source: auditSource(principal),
  });
  const boundary = newBoundary();
  const partMain = plan.partType.split(';')[0]!;
  const ts = /transfer-syntax=([0-9.]+)/.exec(plan.partType)?.[1];
  res
    .status(200)
    .type(
      `multipart/related; type="${partMain}"; ${ts ? `transfer-syntax=${ts}; ` : ''}boundary=${boundary}`,
    );
  for (const part of parts) {
    res.write(
      `\r\n--${boundary}\r\nContent-Type: ${plan.partType}\r\nContent-Length: ${part.length}\r\n\r\n`,
    );
    res.write(part);
  }
  res.end(`\r\n--${boundary}--\r\n`);
}
