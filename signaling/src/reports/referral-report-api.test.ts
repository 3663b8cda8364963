// The referral → claim → report → sign → addendum flow through the real HTTP API (fake SFU, embedded
// PACS): permissions, the one-claimer rule, immutability of a signed report (API and database),
// live notifications to the clinic, the DICOM SR in the study, and the audit trail.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePart10 } from '@telemed/pacs-bridge';
import type { Referral, ReferralDetailResponse, Report, Session } from '../protocol/index.js';
import {
  api,
  connectedClient,
  login,
  startTestPlatform,
  type TestClient,
  type TestPlatform,
} from '../test-support/platform.js';

const CT = readFileSync('test/fixtures/dicom/ct/CT_small.dcm');
const v = validatePart10(CT);
if (!v.ok) throw new Error(v.reason);
const STUDY = v.record.studyInstanceUid;

describe('referral and report API', () => {
  let p: TestPlatform;
  let zhao: Session, wang: Session, chen: Session, liu: Session, admin: Session;
  let zhaoSocket: TestClient;
  let referral: Referral;

  const as = (s: Session) => ({
    get: <T>(path: string) => api<T>(p.url, 'GET', path, { token: s.accessToken }),
    post: <T>(path: string, body: unknown = {}) =>
      api<T>(p.url, 'POST', path, { token: s.accessToken, body }),
    put: <T>(path: string, body: unknown) => api<T>(p.url, 'PUT', path, { token: s.accessToken, body }),
  });

  beforeAll(async () => {
    p = await startTestPlatform();
    [zhao, wang, chen, liu, admin] = await Promise.all(
      ['nurse.zhao', 'dr.wang', 'dr.chen', 'dr.liu', 'admin'].map((u) => login(p.url, u)),
    );
    const clinic = {
      userId: zhao.user.id,
      role: 'clinician' as const,
      institutionId: zhao.user.institution.id,
      via: 'http' as const,
    };
    expect((await p.pacs!.ingestor.ingest(CT, clinic)).status).toBe('stored');
    zhaoSocket = await connectedClient(p.url, zhao.accessToken);
  });

  afterAll(async () => {
    zhaoSocket?.close();
    await p?.close();
  });

  it('creates an up-referral that shares the study with the hospital and tells the clinic', async () => {
    const before = await as(wang).get<unknown[]>(`/dicomweb/studies?StudyInstanceUID=${STUDY}`);
    expect(before.status === 204 || (before.body as unknown[]).length === 0).toBe(true);
    const bad = await as(zhao).post('/api/referrals', {
      studyInstanceUid: STUDY,
      clinicalQuestion: 'x',
      urgency: 'soon',
      targetInstitutionId: 'county-hospital',
    });
    expect(bad.status).toBe(400);
    const wrongWay = await as(zhao).post('/api/referrals', {
      studyInstanceUid: STUDY,
      clinicalQuestion: 'x',
      urgency: 'urgent',
      direction: 'down',
      targetInstitutionId: 'county-hospital',
    });
    expect(wrongWay.status).toBe(403);
    const created = await as(zhao).post<Referral>('/api/referrals', {
      studyInstanceUid: STUDY,
      clinicalQuestion: '头痛三天，排除颅内病变',
      urgency: 'urgent',
      targetInstitutionId: 'county-hospital',
      targetDepartment: 'radiology',
    });
    expect(created.status).toBe(201);
    referral = created.body;
    expect(referral).toMatchObject({
      status: 'requested',
      direction: 'up',
      modality: 'CT',
      urgency: 'urgent',
    });
    await zhaoSocket.notifications.next(
      'referralUpdated',
      (u) => u.referral.id === referral.id && u.event === 'created',
    );
    const qido = await as(wang).get<unknown[]>(`/dicomweb/studies?StudyInstanceUID=${STUDY}`);
    expect(qido.body).toHaveLength(1);
    const worklist = await as(wang).get<{ referrals: Referral[] }>(
      '/api/referrals?view=worklist&urgency=urgent&modality=CT',
    );
    expect(worklist.body.referrals.map((r) => r.id)).toContain(referral.id);
    const mine = await as(liu).get<{ referrals: Referral[] }>('/api/referrals');
    expect(mine.body.referrals.map((r) => r.id)).toContain(referral.id);
  });

  it('lets exactly one specialist claim it', async () => {
    expect((await as(zhao).post(`/api/referrals/${referral.id}/claim`)).status).toBe(403);
    const claimed = await as(wang).post<Referral>(`/api/referrals/${referral.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claimedBy?.id).toBe(wang.user.id);
    const second = await as(chen).post<{ error: { code: string } }>(`/api/referrals/${referral.id}/claim`);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('CONFLICT');
  });

  it('saves drafts only for the claimer, validates structured fields, and signs', async () => {
    const path = `/api/referrals/${referral.id}/report`;
    expect((await as(chen).put(path, { findings: 'x' })).status).toBe(403);
    expect((await as(wang).put(path, { findings: 'x', fields: { rhythm: 'sinus' } })).status).toBe(400);
    expect((await as(wang).post(`${path}/sign`)).status).toBe(409); // nothing written yet
    const draft = await as(wang).put<{ report: Report }>(path, {
      findings: '右侧额叶见小片状高密度影。',
      impression: '右额叶少量出血。',
      fields: { contrast: 'none', region: '头颅' },
    });
    expect(draft.status).toBe(200);
    expect(draft.body.report.status).toBe('draft');
    expect((await as(zhao).post(`${path}/sign`)).status).toBe(403);
    const signed = await as(wang).post<{ report: Report }>(`${path}/sign`);
    expect(signed.status).toBe(200);
    const report = signed.body.report;
    expect(report.status).toBe('signed');
    expect(report.signature).toMatchObject({ userId: wang.user.id, displayName: wang.user.displayName });
    expect(report.signature?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.dicom?.srSopInstanceUid).toBeDefined();
    expect(report.dicom?.error).toBeUndefined();
    const heard = await zhaoSocket.notifications.next('referralUpdated', (u) => u.event === 'signed');
    expect(heard.referral).toMatchObject({
      id: referral.id,
      status: 'reported',
      report: { status: 'signed' },
    });
  });

  it('refuses any change to the signed report, in the API (409 with a reason) and in the database', async () => {
    const path = `/api/referrals/${referral.id}/report`;
    const put = await as(wang).put<{ error: { code: string; message: string } }>(path, {
      findings: 'changed',
    });
    expect(put.status).toBe(409);
    expect(put.body.error.message).toMatch(/signed.*addendum/);
    expect((await as(wang).post(`${path}/sign`)).status).toBe(409);
    expect(() => p.db.prepare("UPDATE reports SET findings = 'tampered'").run()).toThrow(/immutable/);
    expect(() => p.db.prepare('DELETE FROM reports').run()).toThrow(/immutable/);
    const detail = await as(zhao).get<ReferralDetailResponse>(`/api/referrals/${referral.id}`);
    expect(detail.body.report?.findings).toBe('右侧额叶见小片状高密度影。');
  });

  it('takes a signed addendum that becomes a new SR pointing at the first', async () => {
    const path = `/api/referrals/${referral.id}/report/addenda`;
    expect((await as(zhao).post(path, { text: 'x' })).status).toBe(403);
    const added = await as(chen).post<{ report: Report }>(path, { text: '补充：未见骨折。' });
    expect(added.status).toBe(201);
    const [addendum] = added.body.report.addenda;
    expect(addendum).toMatchObject({ text: '补充：未见骨折。', signature: { userId: chen.user.id } });
    expect(addendum!.srSopInstanceUid).toBeDefined();
    expect(() => p.db.prepare("UPDATE report_addenda SET text = 'tampered'").run()).toThrow(/immutable/);
    const srs = await as(zhao).get<Array<Record<string, { Value?: unknown[] }>>>(
      `/dicomweb/studies/${STUDY}/instances?Modality=SR`,
    );
    expect(srs.body.map((d) => d['00080018']?.Value?.[0]).sort()).toEqual(
      [added.body.report.dicom!.srSopInstanceUid, addendum!.srSopInstanceUid].sort(),
    );
  });

  it('exports a PDF and lets the clinic complete the referral', async () => {
    const res = await fetch(`${p.url}/api/referrals/${referral.id}/report/pdf`, {
      headers: { authorization: `Bearer ${zhao.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const done = await as(liu).post<Referral>(`/api/referrals/${referral.id}/complete`);
    expect(done.body.status).toBe('completed');
  });

  it('sends the patient back down to the clinic, which claims and completes it', async () => {
    const back = await as(wang).post<Referral>('/api/referrals', {
      studyInstanceUid: STUDY,
      clinicalQuestion: '回乡镇卫生院继续治疗，一周后复查',
      urgency: 'routine',
      direction: 'down',
      targetInstitutionId: 'township-clinic',
      parentId: referral.id,
    });
    expect(back.status).toBe(201);
    expect((await as(zhao).post(`/api/referrals/${back.body.id}/claim`)).status).toBe(200);
    expect((await as(zhao).post<Referral>(`/api/referrals/${back.body.id}/complete`)).body.status).toBe(
      'completed',
    );
  });

  it('writes every step, and every refusal, to the audit chain without clinical text', async () => {
    const log = await as(admin).get<
      Array<{ action: string; result: string; detail?: string; userId: string }>
    >(`/api/audit?study=${STUDY}&limit=500`);
    const steps = log.body.filter((e) => e.action === 'referral' || e.action === 'report');
    const details = steps.map((e) => `${e.result} ${e.detail}`);
    for (const expected of [
      /^ok create up/,
      /^ok claim .*requested → claimed/,
      /^denied claim/,
      /^ok sign report/,
      /^denied edit signed report/,
      /^ok addendum/,
      /^ok complete/,
    ]) {
      expect(
        details.some((d) => expected.test(d)),
        String(expected),
      ).toBe(true);
    }
    expect(JSON.stringify(log.body)).not.toContain('头痛');
  });
});
