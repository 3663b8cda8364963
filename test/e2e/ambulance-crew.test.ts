// The crew page end to end: an ambulance crew member on a tablet (headless chromium, fake camera)
// starts a run, their low-bandwidth video reaches the hospital doctor's page, and events recorded
// with no network survive a reload and reach the server exactly once, in order, when it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EventSample, Session, TelemetryHistory } from '@telemed/signaling/protocol';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { login } from './support/api.js';
import { loginThroughUi, openRoom, waitForStats } from './support/pages.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

async function events(base: string, session: Session, runId: string): Promise<EventSample[]> {
  const res = await fetch(`${base}/api/ambulance/runs/${runId}/telemetry/event?after=0&limit=100`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  if (!res.ok) throw new Error(`event history: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as TelemetryHistory<'event'>).items;
}

describe('ambulance crew page', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let crewContext: BrowserContext;
  let crewPage: Page;
  let doctorPage: Page;
  let crew: Session;
  let doctor: Session;
  let runId = '';
  /** While true, the crew's browser cannot reach the server's Socket.IO (HTTP still works). */
  let socketBlocked = false;

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    crew = await login(platform.url, 'amb.sun');
    doctor = await login(platform.url, 'dr.wang');
    browser = await launchBrowser();
    ({ context: crewContext, page: crewPage } = await browser.newUserPage());
    ({ page: doctorPage } = await browser.newUserPage());
    // Playwright's offline mode leaves open WebSockets alone (microsoft/playwright#4910): the network
    // loss is played by refusing the Socket.IO connections while `socketBlocked`.
    await crewContext.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (socketBlocked) ws.close();
      else ws.connectToServer();
    });
    await crewContext.route('**/socket.io/**', (route) => (socketBlocked ? route.abort() : route.continue()));
    await loginThroughUi(crewPage, platform.url, 'amb.sun', platform.demoPassword);
    await loginThroughUi(doctorPage, platform.url, 'dr.wang', platform.demoPassword);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('starts a run and the crew video reaches the hospital page (one 360p layer)', async () => {
    await crewPage.goto(`${platform.url}/ambulance/crew`);
    await crewPage.getByTestId('crew-start-form').waitFor();
    await crewPage.getByTestId('crew-callsign').fill('120-31');
    await crewPage.getByTestId('crew-destination').selectOption(doctor.user.institution.id);
    await crewPage.getByTestId('crew-category-chest-pain').click();
    await crewPage.getByTestId('crew-complaint').fill('Crushing chest pain for 40 min');
    await crewPage.getByTestId('crew-sex').selectOption('M');
    await crewPage.getByTestId('crew-age').fill('58');
    await crewPage.getByTestId('crew-start').click();
    const screen = crewPage.locator('[data-testid="crew-run"][data-state="ready"]');
    await screen.waitFor();
    runId = (await screen.getAttribute('data-run-id'))!;
    expect(crewPage.url()).toContain(`/ambulance/crew/runs/${runId}`);
    await crewPage.locator('[data-testid="crew-video"][data-state="joined"]').waitFor({ timeout: 30_000 });
    // The low-bandwidth profile captures 360p.
    await expect
      .poll(() => crewPage.getByTestId('local-video').evaluate((v: HTMLVideoElement) => v.videoHeight))
      .toBe(360);

    const consult = await fetch(`${platform.url}/api/ambulance/runs/${runId}/consult`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctor.accessToken}` },
    });
    expect(consult.status).toBe(200);
    const { roomId } = (await consult.json()) as { roomId: string };
    await openRoom(doctorPage, platform.url, roomId);
    await doctorPage.getByTestId(`tile-${crew.user.id}`).waitFor();
    await waitForStats(
      doctorPage,
      'crew video and audio',
      (s) =>
        s.some((x) => x.peerId === crew.user.id && x.kind === 'video' && x.framesDecoded > 10) &&
        s.some((x) => x.peerId === crew.user.id && x.kind === 'audio' && x.totalSamplesReceived > 0),
    );
    // The crew sees the doctor too.
    await crewPage.getByTestId(`tile-${doctor.user.id}`).waitFor();
  });

  it('events recorded offline survive a reload and arrive exactly once, in order', async () => {
    const queue = crewPage.getByTestId('crew-queue');
    const record = async (kind: 'medication' | 'procedure' | 'observation', text: string) => {
      await crewPage.getByTestId(`crew-event-kind-${kind}`).click();
      await crewPage.getByTestId('crew-event-text').fill(text);
      await crewPage.getByTestId('crew-event-save').click();
      await crewPage.getByTestId('crew-recent-event').filter({ hasText: text }).waitFor();
    };

    await crewPage.locator('[data-testid="crew-queue"][data-online="true"]').waitFor();
    await record('observation', 'Pale, sweating');
    await crewPage.locator('[data-testid="crew-queue"][data-pending="0"]').waitFor();
    await expect.poll(async () => (await events(platform.url, crew, runId)).length).toBe(1);

    // The network goes: the page hears `offline` and drops its telemetry connection at once.
    socketBlocked = true;
    await crewContext.setOffline(true);
    await crewPage.locator('[data-testid="crew-queue"][data-online="false"]').waitFor();
    await record('medication', 'Aspirin 300 mg chewed');
    await record('procedure', 'IV access left forearm');
    await record('observation', 'Pain 7/10');
    await expect(queue.getAttribute('data-pending')).resolves.toBe('3');

    // Reload with the server still out of reach: the three wait in IndexedDB.
    await crewContext.setOffline(false);
    await crewPage.reload();
    await crewPage.locator('[data-testid="crew-run"][data-state="ready"]').waitFor();
    await crewPage.locator('[data-testid="crew-queue"][data-pending="3"]').waitFor();
    expect(await queue.getAttribute('data-online')).toBe('false');
    expect(await events(platform.url, crew, runId)).toHaveLength(1);

    // Back online: the backlog goes out.
    socketBlocked = false;
    await crewPage.locator('[data-testid="crew-queue"][data-online="true"][data-pending="0"]').waitFor({
      timeout: 30_000,
    });
    const stored = await events(platform.url, crew, runId);
    expect(stored.map((e) => [e.seq, e.kind, e.text])).toEqual([
      [1, 'observation', 'Pale, sweating'],
      [2, 'medication', 'Aspirin 300 mg chewed'],
      [3, 'procedure', 'IV access left forearm'],
      [4, 'observation', 'Pain 7/10'],
    ]);
  });

  it('records manual vitals (NIBP) through the same queue', async () => {
    await crewPage.getByTestId('crew-vitals-sys').fill('86');
    await crewPage.getByTestId('crew-vitals-dia').fill('52');
    await crewPage.getByTestId('crew-vitals-hr').fill('124');
    await crewPage.getByTestId('crew-vitals-save').click();
    await expect
      .poll(async () => {
        const res = await fetch(`${platform.url}/api/ambulance/runs/${runId}/telemetry/vitals`, {
          headers: { authorization: `Bearer ${crew.accessToken}` },
        });
        return ((await res.json()) as TelemetryHistory<'vitals'>).items.map((v) => [v.nibp, v.hr]);
      })
      .toEqual([[{ sys: 86, dia: 52 }, 124]]);
  });

  it('a second tablet with empty storage numbers on after the server; the first one then sees the conflict', async () => {
    // A fresh browser profile: no IndexedDB journal for this run.
    const { page: second } = await browser.newUserPage();
    await loginThroughUi(second, platform.url, 'amb.sun', platform.demoPassword);
    await second.goto(`${platform.url}/ambulance/crew/runs/${runId}`);
    await second.locator('[data-testid="crew-run"][data-state="ready"]').waitFor();
    await second.getByTestId('crew-event-kind-medication').click();
    await second.getByTestId('crew-event-text').fill('Nitroglycerin 0.5 mg SL');
    await second.getByTestId('crew-event-save').click();
    await second.locator('[data-testid="crew-queue"][data-online="true"][data-pending="0"]').waitFor();
    const stored = await events(platform.url, crew, runId);
    expect(stored.map((e) => [e.seq, e.text])).toEqual([
      [1, 'Pale, sweating'],
      [2, 'Aspirin 300 mg chewed'],
      [3, 'IV access left forearm'],
      [4, 'Pain 7/10'],
      [5, 'Nitroglycerin 0.5 mg SL'],
    ]);

    // The first tablet's journal still says 4: its next event clashes with the second's 5, and it says so.
    await crewPage.getByTestId('crew-event-kind-observation').click();
    await crewPage.getByTestId('crew-event-text').fill('Alert, oriented');
    await crewPage.getByTestId('crew-event-save').click();
    await crewPage.locator('[data-testid="crew-queue-conflict"][data-stream="event"]').waitFor();
    expect(await crewPage.getByTestId('crew-queue').getAttribute('data-pending')).toBe('1');
    expect((await events(platform.url, crew, runId)).map((e) => e.text)).not.toContain('Alert, oriented');
    await second.close();
  });

  it('cancels the run after a confirm step: the run is cancelled and the page goes back to the runs', async () => {
    await crewPage.getByTestId('crew-cancel').click();
    await crewPage.getByTestId('crew-cancel-dialog').waitFor();
    // Back leaves the run as it was.
    await crewPage.getByTestId('crew-cancel-back').click();
    await crewPage.getByTestId('crew-cancel').waitFor();
    await crewPage.getByTestId('crew-cancel').click();
    await crewPage.getByTestId('crew-cancel-reason').fill('Transport declined');
    await crewPage.getByTestId('crew-cancel-confirm').click();
    await crewPage.waitForURL((url) => url.pathname === '/ambulance/crew');
    const res = await fetch(`${platform.url}/api/ambulance/runs/${runId}`, {
      headers: { authorization: `Bearer ${crew.accessToken}` },
    });
    expect(await res.json()).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'Transport declined' },
    });
  });
});
