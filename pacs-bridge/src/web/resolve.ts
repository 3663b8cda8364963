// Finding what a WADO-RS URL names, with access control folded in: an instance, series or study the
// caller may not see is "not found" (404), exactly like one that does not exist, so UIDs of other
// clinics' patients cannot be probed.
import type { Request } from 'express';
import type { InstanceRecord, Principal, StudyStore } from '../api.js';
import { studyOwner } from '../ingest/ingestor.js';
import { isValidUid } from '../dicom/uids.js';
import type { WebContext } from './context.js';
import { HttpError } from './http.js';

export function uidParam(req: Request, name: string): string | undefined {
  const value = req.params[name] as string | undefined;
  if (value === undefined) return undefined;
  if (!isValidUid(value)) throw new HttpError(400, `${name} in the URL is not a valid DICOM UID`);
  return value;
}

/** The instances a WADO-RS URL refers to (in series/instance order), after the access check. */
export async function resolveInstances(
  ctx: WebContext,
  principal: Principal,
  req: Request,
): Promise<InstanceRecord[]> {
  const study = uidParam(req, 'study')!;
  const series = uidParam(req, 'series');
  const instance = uidParam(req, 'instance');
  await assertCanRead(ctx, principal, study);
  let records: InstanceRecord[];
  if (instance) {
    const record = await ctx.store.find(instance);
    records =
      record && record.studyInstanceUid === study && (!series || record.seriesInstanceUid === series)
        ? [record]
        : [];
  } else {
    records = await ctx.store.instances(study, series);
  }
  if (records.length === 0)
    throw new HttpError(404, `no such ${instance ? 'instance' : series ? 'series' : 'study'}`);
  return records;
}

export async function assertCanRead(ctx: WebContext, principal: Principal, study: string): Promise<void> {
  const owner = await studyOwner(ctx.store, study);
  if (owner === undefined || !(await ctx.access.canRead(principal, study, owner))) {
    ctx.audit.append({
      userId: principal.userId,
      role: principal.via === 'dimse' ? 'modality' : principal.role,
      institutionId: principal.institutionId,
      action: 'retrieve',
      studyInstanceUid: study,
      result: owner === undefined ? 'failed' : 'denied',
      detail: owner === undefined ? 'no such study' : 'not visible to caller',
      ...(principal.address ? { source: principal.address } : {}),
    });
    throw new HttpError(404, 'no such study');
  }
}

/** A stored instance's bytes (one instance at a time in memory, never a whole study). */
export async function readInstanceBytes(store: StudyStore, sopInstanceUid: string): Promise<Buffer> {
  const stream = await store.open(sopInstanceUid);
  if (!stream) throw new HttpError(404, 'the instance file is missing from the archive');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
