/**
 * Offline after one visit (issue #9): load the app, wait for the service worker to control the
 * page (its precache is then complete), go offline (`context.setOffline(true)`), reload — the app
 * loads from the precache and configures the built-in demo image end to end (catalogue, image
 * worker, demo image, all from the cache); the saved image passes fsck.fat -n, mtools and nmcli.
 * No request may fail on the way (any file missing from the precache would).
 */
import { expect, test } from '@playwright/test';
import { chromium, type Browser } from 'playwright-core';
import { appServer } from './app-server.ts';
import { configureAndSave, expectConfigured, openWatched, useDemoImage } from './app-steps.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { serviceWorkerBuild, waitForServiceWorker } from './pwa.ts';
import { hasTools } from './saved-image.ts';
import { reportWatched } from './failure-report.ts';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

let browser: Browser;
let origin: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

test('after one visit the app works offline: reloaded with no network, it configures the demo image and saves it; fsck.fat, mtools and nmcli agree', async () => {
  test.skip(!hasTools, 'needs mtools, fsck.fat, nmcli');
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openWatched(context, `${origin}/`);
  await waitForServiceWorker(page);
  expect(await serviceWorkerBuild(page)).toMatch(/\S/);
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    return urls;
  });
  // What the flow below needs is there before going offline: the page, the worker, the demo image, the catalogue.
  for (const pattern of [/^\/index\.html/, /^\/assets\/image\.worker-[\w-]+\.js$/, /^\/sample\/.+\.img\.gz\.bin/, /^\/assets\/catalogue-[\w-]+\.js$/, /^\/manifest\.webmanifest/]) {
    expect(cached.some((u) => pattern.test(u)), `${pattern} precached (cached: ${cached.join(', ')})`).toBe(true);
  }

  // (Caching a downloaded image too: pwa-offline-cache.spec.ts.) The HTTP cache would still hold
  // what the first visit fetched (assets/ are sent `immutable`) and hide a file missing from the
  // precache: empty it, so what loads offline comes from the service worker only.
  await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
  await context.setOffline(true);
  // Really offline: a file the precache does not hold cannot be fetched.
  const probe = await page.evaluate(() => fetch('/offline-probe.txt').then((r) => `HTTP ${r.status}`, () => 'network error'));
  expect(probe).toBe('network error');
  problems.length = 0;
  const notFromServiceWorker: string[] = [];
  page.on('response', (r) => r.url().startsWith(origin) && !r.fromServiceWorker() && notFromServiceWorker.push(r.url()));

  await page.reload();
  await expect(page.locator('#step-heading')).toContainText('Device');
  const saved = await configureAndSave(page, useDemoImage);
  expect(saved.name).toMatch(/^preflash-demo-raspberrypi4-64.*\.img\.gz$/);
  await expectConfigured(saved.bytes, 'e2e-pwa-offline-demo');
  expect(problems).toEqual([]);
  expect(notFromServiceWorker).toEqual([]);
  await context.close();
});
