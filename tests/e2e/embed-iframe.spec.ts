/**
 * The iframe mode (`index.html?embed`) on a docs page from another site, in Debian's Chromium:
 * examples/docs-embed.html's own script answers `preflash:hello` with a `preflash:set` (device,
 * lock, preset), the app applies it, and a build is reported as `preflash:built`, posted to the
 * docs origin only. A third origin's frame posting `preflash:set` is ignored (and hears nothing);
 * a frame told a parent origin that is not its parent talks to nobody.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { axeViolations } from './app-page.ts';
import { appServer } from './app-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { reportWatched, watchPage } from './failure-report.ts';
import { docsSite, thirdParty, type StaticSite } from './embed-servers.ts';
import { checkSaved, hasTools } from './saved-image.ts';

const PASSPHRASE = 'frame-passphrase-2026';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

let browser: Browser;
let app: string;
let docs: StaticSite;
let third: StaticSite;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = (await appServer()).origin;
  docs = await docsSite(app);
  third = await thirdParty();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
  await docs?.close();
  await third?.close();
});

interface Received { from: string; frame: string | null; data: { type: string; [k: string]: unknown } }

async function open(): Promise<{ page: Page; frame: Frame; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  watchPage(page, problems);
  // Every message the docs page receives: its origin and which of its iframes sent it.
  await page.addInitScript(() => {
    const w = window as unknown as { __received: unknown[] };
    w.__received = [];
    addEventListener('message', (e) => {
      const frame = Array.from(document.querySelectorAll('iframe')).find((f) => f.contentWindow === e.source);
      w.__received.push({ from: e.origin, frame: frame?.id ?? null, data: e.data });
    });
  });
  await page.goto(`${docs.origin}/docs-embed.html`);
  const frame = await (await page.locator('#preflash-frame').elementHandle())!.contentFrame();
  return { page, frame: frame!, problems };
}

const received = (page: Page) => page.evaluate(() => (window as unknown as { __received: Received[] }).__received);
const fromPlainFrame = async (page: Page, type: string) => (await received(page)).filter((m) => m.frame === 'preflash-frame' && m.data?.type === type);

test('the page sets device, lock and preset by message; a build is reported to it; the download passes fsck.fat', async () => {
  const { page, frame, problems } = await open();
  // The example's script answered hello with device + lock + preset.
  await expect.poll(async () => (await fromPlainFrame(page, 'preflash:ready')).length, { timeout: 30_000 }).toBe(1);
  const [ready] = await fromPlainFrame(page, 'preflash:ready');
  expect(ready.from).toBe(app);
  expect(ready.data).toEqual({ type: 'preflash:ready', device: 'raspberrypi4-64', locked: ['device'], presetIssues: 0 });
  await expect(frame.locator('#step-heading')).toContainText('Image');
  await expect(frame.getByRole('button', { name: /Device/ })).toBeDisabled();
  await expect(frame.locator('html')).toHaveAttribute('data-compact', ''); // from the URL

  // A second set from the page (the same origin, the parent): a preset with a secret.
  await page.evaluate(({ app, passphrase }) => {
    const target = (document.getElementById('preflash-frame') as HTMLIFrameElement).contentWindow!;
    target.postMessage({ type: 'preflash:set', preset: { version: 1, hostname: 'frame-sensor', network: { wifi: [{ ssid: 'Lab', passphrase }] } } }, app);
  }, { app, passphrase: PASSPHRASE });
  await expect.poll(async () => (await fromPlainFrame(page, 'preflash:ready')).length).toBe(2);

  await frame.locator('#use-demo-image').click();
  await frame.getByRole('button', { name: 'Continue to Configure' }).click();
  await expect(frame.locator('#field-hostname')).toHaveValue('frame-sensor');
  await expect(frame.locator('#field-network-wifi-0-ssid')).toHaveValue('Lab');
  await expect(frame.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();
// it did look inside the frame
  await frame.getByRole('button', { name: 'Review', exact: true }).last().click();
  await frame.locator('#review-build').click();
  await frame.getByLabel(/Same as the input/).check();
  await frame.locator('#build-start').click();
  await expect(frame.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });

  await expect.poll(async () => (await fromPlainFrame(page, 'preflash:built')).length).toBe(1);
  const [built] = await fromPlainFrame(page, 'preflash:built');
  expect(built.from).toBe(app);
  const summary = built.data.summary as { device: string; files: { path: string }[]; output: { name: string; size: number } };
  expect(summary.device).toBe('raspberrypi4-64');
  expect(summary.files.map((f) => f.path)).toEqual(expect.arrayContaining(['config.json', 'system-connections/wifi-lab']));
  expect(JSON.stringify(await received(page))).not.toContain(PASSPHRASE);
  await expect(page.locator('#frame-log')).toContainText(`Built ${summary.output.name}`);

  const [download] = await Promise.all([page.waitForEvent('download'), frame.locator('#save-output').click()]);
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  expect(bytes.length).toBe(summary.output.size);
  if (hasTools) {
    const check = await checkSaved(bytes, 'e2e-embed-iframe', ['wifi-lab']);
    expect(check.fsck.status, check.fsck.output).toBe(0);
    expect(check.configJson.hostname).toBe('frame-sensor');
    expect(check.profiles['wifi-lab']).toContain(`psk=${PASSPHRASE}`);
    expect(check.nmcli['wifi-lab']).toEqual({ status: 0, stderr: '' });
  }
  expect(problems).toEqual([]);
  await page.context().close();
});

test('a third origin posting preflash:set is ignored and hears nothing; a frame told the wrong parent origin talks to nobody', async () => {
  const { page, frame, problems } = await open();
  await expect.poll(async () => (await fromPlainFrame(page, 'preflash:ready')).length, { timeout: 30_000 }).toBe(1);

  // A third-party frame in the same page posts a hostile set to every frame of its parent.
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.id = 'third';
    f.src = src;
    document.body.append(f);
  }, `${third.origin}/third.html`);
  const thirdFrame = await (await page.locator('#third').elementHandle())!.contentFrame();
  await expect.poll(() => thirdFrame!.evaluate(() => (window as unknown as { posted?: number }).posted ?? 0)).toBeGreaterThan(1);
  await page.waitForTimeout(1000);
  expect(await fromPlainFrame(page, 'preflash:ready')).toHaveLength(1); // nothing applied
  await expect(frame.locator('#step-heading')).toContainText('Image');
  await frame.getByRole('button', { name: /Configure/ }).first().click();
  await expect(frame.locator('#field-hostname')).toHaveValue('frame-sensor');
  expect(await thirdFrame!.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);

  // The app framed with origin=<third party> by the docs page: its parent is not that origin, so it says nothing and hears nothing.
  await page.evaluate(({ app, claimed }) => {
    const f = document.createElement('iframe');
    f.id = 'spoofed';
    f.src = `${app}/index.html?embed&origin=${encodeURIComponent(claimed)}`;
    document.body.append(f);
  }, { app, claimed: third.origin });
  const spoofed = await (await page.locator('#spoofed').elementHandle())!.contentFrame();
  await expect(spoofed!.locator('#step-heading')).toContainText('Device', { timeout: 30_000 });
  await page.evaluate((app) => (document.getElementById('spoofed') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'preflash:set', device: 'raspberrypi4-64' }, app), app);
  await page.waitForTimeout(1000);
  await expect(spoofed!.locator('#step-heading')).toContainText('Device');
  expect((await received(page)).filter((m) => m.frame === 'spoofed')).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the URL alone (a page without scripts) sets device, locks and compact chrome; axe finds no WCAG 2.1 AA violation in embed mode', async () => {
  // Opened directly: axe cannot reach into a cross-origin frame from the page, so the embed chrome is checked here.
  const context = await browser.newContext({ viewport: { width: 700, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${app}/index.html?embed&device=raspberrypi4-64&lock=device,cloud&compact`);
  await expect(page.locator('#step-heading')).toContainText('Image', { timeout: 30_000 });
  await expect(page.locator('html')).toHaveAttribute('data-compact', '');
  await expect(page.getByRole('button', { name: /Device/ })).toBeDisabled();
  await page.locator('#use-demo-image').click();
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await expect(page.getByRole('checkbox', { name: 'Join a balenaCloud or openBalena fleet' })).toBeDisabled();
  await expect(page.locator('#cloud-locked')).toBeVisible();
  await expect(page.locator('.embed')).toContainText('shown read-only: device, cloud');
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
