// The app in Chinese by default, switchable to English (remembered across reloads), and laid out for a
// bedside tablet: no sideways scrolling and finger-sized targets on the login, lobby and room pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ConsultRoom, Session } from '@telemed/signaling/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/browser.js';
import { createRoom, login } from './support/api.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const TABLETS = [
  { name: 'landscape', width: 1024, height: 768 },
  { name: 'portrait', width: 768, height: 1024 },
] as const;

/** Page wider than the screen, and visible targets smaller than 44 × 44 CSS px (with their labels). */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const small: string[] = [];
    const targets = document.querySelectorAll<HTMLElement>(
      'button, a[href], input, select, summary, [role="button"]',
    );
    for (const el of targets) {
      // A checkbox is tapped through its whole label row.
      const target = el.closest('label') ?? el;
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(target).visibility === 'hidden') continue;
      if (box.width < 44 || box.height < 44) {
        const id = el.dataset.testid ?? el.className ?? el.tagName;
        small.push(`${el.tagName.toLowerCase()}[${id}] ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, small };
  });
}

describe('Chinese by default, English switchable, tablet layout', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let room: ConsultRoom;
  let wang: Session;
  let zhao: Session;
  // nurse.zhao sits in the room on a desktop, so the tablet shows a remote tile with its controls.
  let zhaoPage: Page;

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    wang = await login(platform.url, 'dr.wang');
    zhao = await login(platform.url, 'nurse.zhao');
    room = await createRoom(platform.url, wang, 'Chest pain, 58 y', [zhao.user.id]);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    zhaoPage = await desktop.newPage();
    await zhaoPage.goto(platform.url);
    await zhaoPage.getByTestId('login-username').fill('nurse.zhao');
    await zhaoPage.getByTestId('login-password').fill(platform.demoPassword);
    await zhaoPage.getByTestId('login-submit').click();
    await zhaoPage.getByTestId('lobby').waitFor();
    await zhaoPage.goto(`${platform.url}/rooms/${room.id}`);
    await zhaoPage.locator('[data-testid="room"][data-state="joined"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function tabletPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height },
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    return page;
  }

  async function signIn(page: Page, username: string) {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(platform.demoPassword);
    await page.getByTestId('login-submit').tap();
    await page.getByTestId('lobby').waitFor();
  }

  it('starts in Chinese; the switch turns the UI English, survives a reload, and switches back', async () => {
    const page = await tabletPage(1024, 768);
    try {
      await page.goto(platform.url);
      const submit = page.getByTestId('login-submit');
      expect(await submit.textContent()).toBe('登录');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

      await page.getByTestId('locale-switch').tap();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await submit.textContent()).toBe('Sign in');

      await page.reload();
      await submit.waitFor();
      expect(await submit.textContent()).toBe('Sign in');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await page.title()).toBe('Telemed consult');

      // A refused login is worded in the chosen language.
      await page.getByTestId('login-username').fill('dr.wang');
      await page.getByTestId('login-password').fill('wrong password');
      await submit.tap();
      await expect(page.getByTestId('login-error').textContent()).resolves.toBe(
        'Invalid username or password',
      );

      await signIn(page, 'dr.wang');
      expect(await page.getByTestId('nav-studies').textContent()).toBe('Studies');
      expect(await page.locator('#rooms-heading').textContent()).toBe('My consult rooms');

      // Switching in the header re-words the page in place, without losing the session.
      await page.getByTestId('locale-switch').tap();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      expect(await page.locator('#rooms-heading').textContent()).toBe('我的会诊室');
      expect(await page.getByTestId('nav-lobby').textContent()).toBe('会诊');
      expect(await page.getByTestId(`join-room-${room.id}`).textContent()).toBe('进入');
      expect(await page.title()).toBe('远程会诊平台');
      expect(await page.evaluate(() => localStorage.getItem('telemed.locale'))).toBe('zh-CN');
      // Dates as Chinese clinicians write them: 2026-11-26 14:05.
      expect(await page.getByTestId(`room-item-${room.id}`).textContent()).toMatch(
        /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      );
    } finally {
      await page.context().close();
    }
  });

  it('words a refusal in Chinese and keeps the server code and English reason', async () => {
    const page = await tabletPage(1024, 768);
    try {
      await page.goto(platform.url);
      await signIn(page, 'dr.chen');
      await page.goto(`${platform.url}/rooms/${room.id}`);
      const error = page.getByTestId('room-error');
      await error.waitFor();
      expect(await error.textContent()).toBe(
        '您未受邀参加此会诊室（FORBIDDEN: You are not invited to this consult room）',
      );
      expect(await page.getByRole('button', { name: '返回会诊大厅' }).count()).toBe(1);
    } finally {
      await page.context().close();
    }
  });

  for (const tablet of TABLETS) {
    it(`fits a ${tablet.width}×${tablet.height} tablet (${tablet.name}) with touch-sized targets`, async () => {
      const page = await tabletPage(tablet.width, tablet.height);
      try {
        await page.goto(platform.url);
        await page.getByTestId('login-submit').waitFor();
        const onLogin = await layoutProblems(page);
        expect(onLogin.scrollWidth, 'login page scrolls sideways').toBeLessThanOrEqual(onLogin.clientWidth);
        expect(onLogin.small, 'login page targets under 44 px').toEqual([]);

        await signIn(page, 'dr.wang');
        await page.getByTestId(`room-item-${room.id}`).waitFor();
        const onLobby = await layoutProblems(page);
        expect(onLobby.scrollWidth, 'lobby scrolls sideways').toBeLessThanOrEqual(onLobby.clientWidth);
        expect(onLobby.small, 'lobby targets under 44 px').toEqual([]);

        await page.getByTestId(`join-room-${room.id}`).tap();
        await page.locator('[data-testid="room"][data-state="joined"]').waitFor({ timeout: 30_000 });
        await page.getByTestId(`tile-${zhao.user.id}`).waitFor();
        const note = `心电图已发送（${tablet.name}）`;
        await page.getByTestId('chat-input').fill(note);
        await page.getByTestId('chat-send').tap();
        await page.getByTestId('chat-message').filter({ hasText: note }).waitFor();
        expect(await page.getByTestId('mic-toggle').textContent()).toBe('静音');
        expect(await page.getByTestId('leave-button').textContent()).toBe('离开');
        expect(await page.getByTestId('chat-send').textContent()).toBe('发送');
        const inRoom = await layoutProblems(page);
        expect(inRoom.scrollWidth, 'room scrolls sideways').toBeLessThanOrEqual(inRoom.clientWidth);
        expect(inRoom.small, 'room targets under 44 px').toEqual([]);

        // A tap mutes the microphone: the control works by touch, no hover needed.
        await page.getByTestId('mic-toggle').tap();
        await page.locator('[data-testid="mic-toggle"][aria-pressed="true"]').waitFor();
        expect(await page.getByTestId('mic-toggle').textContent()).toBe('取消静音');

        await page.getByTestId('leave-button').tap();
        await page.getByTestId('lobby').waitFor();
      } finally {
        await page.context().close();
      }
    });
  }
});
