// Issue 4 §4/§6: "Referral → claim → report → sign → the clinic's browser shows the signed report;
// editing a signed report is refused." Two chromium pages on the real platform: nurse.zhao at the
// township clinic refers a study she sent (STOW-RS) through the UI; dr.wang at the county hospital
// claims it from his worklist, writes and signs the report; zhao's open page shows it live (no reload);
// a PUT to the signed report is 409 and the UI offers no editor; the report's SR is in the study (QIDO).
// Also: the worklist's filters and "start a consult room" (clinician invited, study attached).
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ReferralDetailResponse, Session } from '@telemed/signaling/protocol';
import { validatePart10 } from '@telemed/pacs-bridge';
import { login } from './support/api.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { loginThroughUi } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const CT = readFileSync('test/fixtures/dicom/ct/CT_small.dcm');
const parsed = validatePart10(CT);
if (!parsed.ok) throw new Error(parsed.reason);
const STUDY = parsed.record.studyInstanceUid;

const QUESTION = '跌倒后头痛两天，请排除颅内出血';
const FINDINGS = '右侧额叶见小片状高密度影，约12毫米，周围轻度水肿。中线结构居中，脑室系统未见扩大。';
const IMPRESSION = '右额叶少量脑挫裂伤伴出血，建议24小时后复查头颅CT。';

async function stow(baseUrl: string, session: Session, bytes: Buffer): Promise<number> {
  const boundary = 'referral-e2e-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${baseUrl}/dicomweb/studies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body,
  });
  return res.status;
}

describe('referral → claim → report → sign, seen live by the clinic', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let clinic: Page;
  let specialist: Page;
  let zhao: Session;
  let wang: Session;
  let chen: Session;
  let referralId: string;
  const timings: Record<string, number> = {};

  const apiAs = (s: Session, method: string, path: string, body?: unknown) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    [zhao, wang, chen] = await Promise.all(
      ['nurse.zhao', 'dr.wang', 'dr.chen'].map((u) => login(platform.url, u)),
    );
    expect(await stow(platform.url, zhao, CT)).toBe(200);
    browser = await launchBrowser();
    clinic = (await browser.newUserPage()).page;
    specialist = (await browser.newUserPage()).page;
    await Promise.all([
      loginThroughUi(clinic, platform.url, 'nurse.zhao', platform.demoPassword),
      loginThroughUi(specialist, platform.url, 'dr.wang', platform.demoPassword),
    ]);
  });

  afterAll(async () => {
    console.log('referral-report timings (ms):', JSON.stringify(timings));
    await browser?.close();
    await platform?.close();
  });

  it('the clinic creates the referral through the UI, picking the study from QIDO', async () => {
    await clinic.goto(`${platform.url}/referrals/new`);
    const studySelect = clinic.getByTestId('referral-study');
    await studySelect.locator(`option[value="${STUDY}"]`).waitFor({ state: 'attached' });
    await studySelect.selectOption(STUDY);
    await clinic.getByTestId('referral-question').fill(QUESTION);
    await clinic.getByTestId('referral-urgency-urgent').check();
    await expect.poll(() => clinic.getByTestId('referral-target').inputValue()).toBe('county-hospital');
    await clinic.getByTestId('referral-department').selectOption('radiology');
    await clinic.getByTestId('referral-submit').click();
    const detail = clinic.locator('[data-testid="referral-detail"][data-status="requested"]');
    await detail.waitFor();
    referralId = (await detail.getAttribute('data-referral-id'))!;
    expect(referralId).toBeTruthy();
    await expect.poll(() => clinic.getByTestId('referral-question-text').textContent()).toBe(QUESTION);
    // Left open: the signed report must arrive here without a reload.
    await clinic.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  });

  it('dr.wang finds it in his filtered worklist and claims it; a second claim is a conflict', async () => {
    await specialist.goto(`${platform.url}/worklist`);
    await specialist.getByTestId('worklist').waitFor();
    await specialist.getByTestId('worklist-filter-urgency').selectOption('urgent');
    await specialist.getByTestId('worklist-filter-modality').selectOption('CT');
    const row = specialist.getByTestId(`referral-row-${referralId}`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('requested');
    await specialist.getByTestId('worklist-filter-urgency').selectOption('routine');
    await row.waitFor({ state: 'detached' });
    await specialist.getByTestId('worklist-filter-urgency').selectOption('urgent');
    await specialist.getByTestId(`claim-${referralId}`).click();
    await specialist.locator(`[data-testid="referral-row-${referralId}"][data-status="claimed"]`).waitFor();
    // The clinic's open page follows the status live.
    await clinic.locator('[data-testid="referral-detail"][data-status="claimed"]').waitFor();
    const second = await apiAs(chen, 'POST', `/api/referrals/${referralId}/claim`);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
    expect(await specialist.getByTestId(`open-study-${referralId}`).getAttribute('href')).toBe(
      `/studies/${STUDY}/`,
    );
  });

  it('dr.wang starts a consult room from the worklist: the clinician invited, the study attached', async () => {
    await specialist.getByTestId(`start-consult-${referralId}`).click();
    await specialist.waitForURL(/\/rooms\/[^/]+$/);
    const roomId = decodeURIComponent(new URL(specialist.url()).pathname.split('/').pop()!);
    const room = (await (await apiAs(zhao, 'GET', `/api/rooms/${roomId}`)).json()) as { invitees: string[] };
    expect(room.invitees).toContain(zhao.user.id);
    const studies = (await (await apiAs(zhao, 'GET', `/api/rooms/${roomId}/studies`)).json()) as {
      studies: Array<{ studyInstanceUid: string }>;
    };
    expect(studies.studies.map((s) => s.studyInstanceUid)).toEqual([STUDY]);
    await specialist.goto(`${platform.url}/worklist`);
  });

  it('dr.wang writes the report (draft autosaved) and signs it; the clinic sees it live', async () => {
    await specialist.getByTestId(`open-referral-${referralId}`).click();
    await specialist.getByTestId('report-editor').waitFor();
    await specialist.getByTestId('report-findings').fill(FINDINGS);
    await specialist.getByTestId('report-field-contrast').selectOption('none');
    await specialist.getByTestId('report-field-region').fill('头颅');
    await specialist.getByTestId('report-impression').fill(IMPRESSION);
    await specialist.locator('[data-testid="report-save-state"][data-state="saved"]').waitFor();
    const draft = (await (
      await apiAs(zhao, 'GET', `/api/referrals/${referralId}`)
    ).json()) as ReferralDetailResponse;
    expect(draft.referral.status).toBe('in-report');
    expect(draft.report).toMatchObject({ status: 'draft', findings: FINDINGS });

    await specialist.getByTestId('report-sign').click();
    const started = Date.now();
    await specialist.getByTestId('report-sign-confirm').click();
    await specialist.getByTestId('report-signed').waitFor();
    timings.signToSpecialistView = Date.now() - started;
    await clinic.getByTestId('report-signed').waitFor({ timeout: 15_000 });
    timings.signToClinicView = Date.now() - started;
    expect(await clinic.getByTestId('report-findings-signed').textContent()).toBe(FINDINGS);
    expect(await clinic.getByTestId('report-impression-signed').textContent()).toBe(IMPRESSION);
    expect(await clinic.getByTestId('report-signature').textContent()).toContain(wang.user.displayName);
    await clinic.locator('[data-testid="referral-detail"][data-status="reported"]').waitFor();
    expect(await clinic.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(
      true,
    );
    if (process.env.SAVE_SCREENSHOTS === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await clinic.getByTestId('report-signed').scrollIntoViewIfNeeded();
      await clinic.screenshot({ path: 'docs/screenshots/report-signed.png', fullPage: true });
    }
  });

  it('refuses to edit the signed report: no editor in the UI, 409 from the API', async () => {
    expect(await specialist.getByTestId('report-editor').count()).toBe(0);
    expect(await specialist.getByTestId('report-findings').count()).toBe(0);
    await specialist.getByTestId('report-immutable-note').waitFor();
    const put = await apiAs(wang, 'PUT', `/api/referrals/${referralId}/report`, {
      findings: '改写',
      impression: '改写',
    });
    expect(put.status).toBe(409);
    const body = (await put.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CONFLICT');
    expect(body.error.message).toMatch(/signed/);
    // After a reload too, the specialist gets the read-only report, and the text is unchanged.
    await specialist.reload();
    await specialist.getByTestId('report-signed').waitFor();
    expect(await specialist.getByTestId('report-editor').count()).toBe(0);
    expect(await specialist.getByTestId('report-findings-signed').textContent()).toBe(FINDINGS);
  });

  it('stores the report as a DICOM Basic Text SR (and a PDF) in the study, found by QIDO and read by WADO', async () => {
    const detail = (await (
      await apiAs(zhao, 'GET', `/api/referrals/${referralId}`)
    ).json()) as ReferralDetailResponse;
    const srUid = detail.report?.dicom?.srSopInstanceUid;
    expect(srUid).toBeDefined();
    const qido = await apiAs(zhao, 'GET', `/dicomweb/studies/${STUDY}/instances?Modality=SR`);
    expect(qido.status).toBe(200);
    const found = (await qido.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(found.map((d) => d['00080018']?.Value?.[0])).toEqual([srUid]);
    const docs = (await (
      await apiAs(zhao, 'GET', `/dicomweb/studies/${STUDY}/instances?Modality=DOC`)
    ).json()) as unknown[];
    expect(docs).toHaveLength(1);
    const series = found[0]!['0020000E']!.Value![0] as string;
    const wado = await fetch(
      `${platform.url}/dicomweb/studies/${STUDY}/series/${series}/instances/${srUid}`,
      {
        headers: {
          authorization: `Bearer ${zhao.accessToken}`,
          accept: 'multipart/related; type="application/dicom"',
        },
      },
    );
    expect(wado.status).toBe(200);
    const boundary = /boundary="?([^";]+)"?/.exec(wado.headers.get('content-type') ?? '')![1]!;
    const body = Buffer.from(await wado.arrayBuffer());
    const start = body.indexOf('\r\n\r\n') + 4;
    const bytes = body.subarray(start, body.indexOf(`\r\n--${boundary}`, start));
    const v = validatePart10(bytes);
    expect(v.ok && v.record.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.88.11');
    expect(bytes.includes(Buffer.from(IMPRESSION, 'utf8'))).toBe(true);
  });

  it('shows the status in the clinic’s "my referrals" list', async () => {
    await clinic.getByTestId('report-export-pdf').waitFor();
    await clinic.goto(`${platform.url}/worklist`);
    await clinic.getByTestId('my-referrals').waitFor();
    await clinic.locator(`[data-testid="referral-row-${referralId}"][data-status="reported"]`).waitFor();
  });
});
