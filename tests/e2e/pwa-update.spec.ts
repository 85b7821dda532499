/**
 * The update prompt (issue #9): a second build deployed under the same URL. Build A (the shared
 * dist/app) is served by scripts/serve.mjs; after the first visit the server is replaced by one
 * serving build B (the same sources with another PREFLASH_BUILD marker, so every revision in the
 * service worker's precache list differs) on the same port. On the next load the browser finds
 * the new service worker, which installs and waits: the prompt appears, the page stays on A (also
 * across a reload), Reload is refused while a build runs and says so, and once the build is done,
 * Reload — reached with the keyboard — activates B: the page and its service worker are B's.
 * axe finds no WCAG 2.1 AA violation with the prompt shown.
 */
import { expect, test } from '@playwright/test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { axeViolations } from './app-page.ts';
import { appServer, freePort } from './app-server.ts';
import { chooseDevice, fillForm, openWatched, useDemoImage } from './app-steps.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { buildApp, folderBuild, pageBuild, serveFolder, serviceWorkerBuild, UPDATE_BUILD, waitForServiceWorker, type FolderServer } from './pwa.ts';
import { reportWatched } from './failure-report.ts';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);

const DIR_A = 'dist/app'; // built by appServer() for every app spec
const DIR_B = UPDATE_BUILD.dir;
let browser: Browser;
let buildA: string;
let buildB: string;
let server: FolderServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await appServer();
  buildA = folderBuild(DIR_A);
  if (!process.env.PREFLASH_UPDATE_BUILT) buildApp(DIR_B, UPDATE_BUILD.marker); // the one extra build of the suite (the global setup's)
  buildB = folderBuild(DIR_B);
  expect(buildB).not.toBe(buildA);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await server?.stop();
  await browser?.close();
});

async function tabTo(page: Page, id: string, max = 40): Promise<void> {
  for (let i = 0; i < max && (await page.evaluate(() => document.activeElement?.id)) !== id; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
}

test('a second build deployed under the same URL: the prompt appears, nothing switches by itself or mid-build, Reload loads the new version', async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  server = await serveFolder(DIR_A, port);
  const context = await browser.newContext();
  const { page, problems } = await openWatched(context, `${server.origin}/`);
  await waitForServiceWorker(page);
  expect([await pageBuild(page), await serviceWorkerBuild(page)]).toEqual([buildA, buildA]);
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of Preflash is ready' });
  await expect(prompt).toHaveCount(0);

  // Deploy B under the same URL.
  await server.stop();
  server = await serveFolder(DIR_B, port);
  await page.reload(); // the browser checks sw.js on navigation; B installs and waits
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  expect([await pageBuild(page), await serviceWorkerBuild(page)]).toEqual([buildA, buildA]);
  expect(await axeViolations(page)).toEqual([]);

  // Nothing switches by itself: a reload still runs A, and the prompt is offered again.
  await page.reload();
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  expect([await pageBuild(page), await serviceWorkerBuild(page)]).toEqual([buildA, buildA]);

  // Mid-build, Reload says it waits and does nothing when pressed.
  const reload = page.locator('#update-reload');
  await chooseDevice(page);
  await useDemoImage(page);
  await fillForm(page);
  await page.locator('#review-build').click();
  await page.getByLabel(/Uncompressed/).check(); // decoded in full into OPFS: the longest build
  // Start the build and press Reload as soon as its progress shows, in one task of the page (the
  // demo builds in a second or two: a click from outside could land after it).
  const atClick = await page.evaluate(async () => {
    document.getElementById('build-start')!.click();
    while (!document.getElementById('build-progress')) await new Promise((r) => setTimeout(r, 5));
    const button = document.getElementById('update-reload')!;
    const seen = { text: button.textContent!.trim(), disabled: button.getAttribute('aria-disabled'), note: button.closest('[role="status"]')!.textContent! };
    button.click();
    return seen;
  });
  expect(atClick).toMatchObject({ text: 'Reload after the build', disabled: 'true' });
  expect(atClick.note).toContain('reloading now would stop it');
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  expect(await pageBuild(page)).toBe(buildA);

  // Once the build is done: Reload, from the keyboard, activates B and reloads onto it.
  await expect(reload).toHaveText('Reload');
  await expect(reload).toHaveAttribute('aria-disabled', 'false');
  await page.locator('#step-heading').focus();
  await page.keyboard.press('Shift+Tab'); // the prompt sits between the header and the step
  await tabTo(page, 'update-reload');
  await page.keyboard.press('Enter');
  await expect(page.locator('meta[name="preflash-build"]')).toHaveAttribute('content', buildB, { timeout: 30_000 });
  await waitForServiceWorker(page);
  expect(await serviceWorkerBuild(page)).toBe(buildB);
  await expect(page.locator('#step-heading')).toContainText('Device');
  await expect(prompt).toHaveCount(0);
  expect(problems).toEqual([]);
  await context.close();
});
