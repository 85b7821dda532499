/**
 * Installable (issue #9): Chromium reads the web manifest without errors and reports no
 * installability error (CDP `Page.getInstallabilityErrors`: the same checks as the install
 * button). The manifest is served as application/manifest+json, its URLs are relative (the app
 * installs from any path), its colours are the app's (src/app/app.css), and each icon is an SVG
 * the server serves.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { appServer } from './app-server.ts';
import { openWatched } from './app-steps.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { waitForServiceWorker } from './pwa.ts';
import { reportWatched } from './failure-report.ts';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);

let origin: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
});

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose: string }[];
}

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test('the manifest is valid and Chromium finds the app installable', async () => {
  // A profile on disk: Chromium installs no app from an incognito-like context (error "in-incognito").
  const profile = mkdtempSync(join(tmpdir(), 'preflash-install-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const { page, problems } = await openWatched(context, `${origin}/`);
  await waitForServiceWorker(page);

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(new URL(href!, page.url()).href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = (await response.json()) as Manifest;
  expect(manifest.name).toMatch(/^Preflash/);
  expect(manifest.short_name).toBe('Preflash');
  expect(manifest.display).toBe('standalone');
  expect([manifest.start_url, manifest.scope]).toEqual(['./', './']);
  const css = readFileSync('src/app/app.css', 'utf8');
  expect(css).toContain(`--accent: ${manifest.theme_color};`);
  expect(css).toContain(`--bg: ${manifest.background_color};`);
  expect(manifest.icons.map((i) => i.purpose).sort()).toEqual(['any', 'maskable']);
  for (const icon of manifest.icons) {
    expect(icon).toMatchObject({ sizes: 'any', type: 'image/svg+xml' });
    const image = await page.request.get(new URL(icon.src, response.url()).href);
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(await image.text()).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  }

  const cdp = await context.newCDPSession(page);
  const app = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
  expect(app.url).toBe(`${origin}/manifest.webmanifest`);
  expect(app.errors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
});
