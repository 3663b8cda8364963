import type { Page } from 'playwright-core';

export interface InboundStat {
  peerId: string;
  kind: 'audio' | 'video';
  source: string;
  framesDecoded: number;
  packetsReceived: number;
  bytesReceived: number;
  totalSamplesReceived: number;
}

export async function loginThroughUi(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('lobby').waitFor();
}

export async function openRoom(page: Page, baseUrl: string, roomId: string) {
  await page.goto(`${baseUrl}/rooms/${roomId}`);
  await page.locator('[data-testid="room"][data-state="joined"]').waitFor({ timeout: 30_000 });
}

export function inboundStats(page: Page): Promise<InboundStat[]> {
  return page.evaluate(() =>
    (window as unknown as { __telemed: { inboundStats(): Promise<InboundStat[]> } }).__telemed.inboundStats(),
  );
}

/**
 * Polls (no fixed sleep: each round is a real getStats) until `check` accepts the page's inbound
 * stats, or fails with the last stats seen.
 */
export async function waitForStats(
  page: Page,
  what: string,
  check: (stats: InboundStat[]) => boolean,
  timeoutMs = 30_000,
): Promise<InboundStat[]> {
  const deadline = Date.now() + timeoutMs;
  let last: InboundStat[] = [];
  while (Date.now() < deadline) {
    last = await inboundStats(page);
    if (check(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; last inbound stats: ${JSON.stringify(last)}`);
}

/** Every other peer's camera decodes frames and their mic delivers audio samples. */
export function mediaFromAll(peerIds: string[], minFrames = 1) {
  return (stats: InboundStat[]) =>
    peerIds.every(
      (peerId) =>
        stats.some((s) => s.peerId === peerId && s.kind === 'video' && s.framesDecoded >= minFrames) &&
        stats.some(
          (s) =>
            s.peerId === peerId && s.kind === 'audio' && s.totalSamplesReceived > 0 && s.packetsReceived > 0,
        ),
    );
}
