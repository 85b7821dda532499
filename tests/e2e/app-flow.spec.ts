/**
 * The app in Debian's Chromium: device search and live validation with the keyboard only, focus
 * moved to each step's heading, the core's messages beside their fields, no CSP violation, no
 * request elsewhere, no horizontal scrolling at 320 px, and axe finds no accessibility violation.
 * Self-contained: builds the app, serves it with scripts/serve.mjs (which sends the CSP header;
 * app-server.ts, shared with the other app specs), launches Chromium itself (tech-notes §7), so it runs under any Playwright config.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { validateSettings } from '../../src/core/settings/index.ts';
import { makeRaspberryPiImage } from './e2e-images.ts';
import { axeViolations } from './app-page.ts';
import { appServer } from './app-server.ts';
import { reportWatched, watchPage } from './failure-report.ts';

const CHROMIUM = process.env.PREFLASH_CHROMIUM ?? '/usr/bin/chromium';
let ORIGIN = '';
let browser: Browser;

test.skip(!existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ORIGIN = (await appServer()).origin; // built once for all the app's specs
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

interface Watched { page: Page; problems: string[] }

async function open(width = 1280): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width, height: 900 } }); // axe needs a page of a context
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => !r.url().startsWith(ORIGIN) && !r.url().startsWith('blob:') && !r.url().startsWith('data:') && problems.push(`request to ${r.url()}`));
  watchPage(page, problems);
  await page.goto(ORIGIN);
  return { page, problems };
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

async function tabTo(page: Page, id: string, max = 30): Promise<void> {
  for (let i = 0; i < max && (await activeId(page)) !== id; i++) await page.keyboard.press('Tab');
  expect(await activeId(page)).toBe(id);
}

/** The problem text the CLI prints for these settings at `path`, without the path. */
function cliProblem(settings: unknown, path: string): string {
  const result = validateSettings(settings);
  const issue = result.ok ? undefined : result.issues.find((i) => i.path === path);
  return issue!.message.slice(`${path}: `.length);
}

test('device search and live validation with the keyboard only', async () => {
  const { page, problems } = await open();
  const search = page.locator('#device-search');
  await tabTo(page, 'device-search');
  await expect(page.getByRole('option').first()).toBeVisible(); // the catalogue has loaded
  await page.keyboard.type('pi 4');
  await expect(search).toHaveAttribute('aria-activedescendant', 'device-option-raspberrypi4-64');
  const second = await page.getByRole('option').nth(1).getAttribute('id'); // the core's search ranks the rest
  await page.keyboard.press('ArrowDown');
  await expect(search).toHaveAttribute('aria-activedescendant', second!);
  await page.keyboard.press('ArrowUp');
  await expect(search).toHaveAttribute('aria-activedescendant', 'device-option-raspberrypi4-64');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 3, name: 'Raspberry Pi 4 (64-bit OS)' })).toBeVisible();
  const details = page.locator('.details');
  await expect(details).toContainText('64-bit ARM (aarch64)');
  await expect(details).toContainText('written to an SD card or a USB stick'); // the core's installLabel
  await expect(details).toContainText('resin-boot (partition 1)');
  await expect(details).toContainText('Wi‑Fi yes, Bluetooth yes');

  // Next step by keyboard; focus lands on the step heading.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  expect(await activeId(page)).toBe('step-heading');
  await expect(page.locator('#step-heading')).toContainText('Image');
  await tabTo(page, 'skip-to-configure');
  await page.keyboard.press('Enter');
  expect(await activeId(page)).toBe('step-heading');
  await expect(page.locator('#step-heading')).toContainText('Configure');

  // Hostname: the core's message beside the field once the user leaves it (not while the form is
  // pristine, not on the first keystrokes), then live as they type; gone when fixed.
  await tabTo(page, 'field-hostname');
  await page.keyboard.type('Bad_Host');
  const hostnameMessage = page.locator('#field-hostname-msg');
  await page.waitForTimeout(300); // the validator has had time to run
  await expect(hostnameMessage).toBeEmpty();
  await expect(page.locator('#field-hostname')).toHaveAttribute('aria-invalid', 'false');
  await page.keyboard.press('Tab');
  await expect(hostnameMessage).toHaveText(cliProblem({ version: 1, hostname: 'Bad_Host' }, 'hostname'));
  await expect(page.locator('#field-hostname')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Shift+Tab');
  expect(await activeId(page)).toBe('field-hostname');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('greenhouse');
  await expect(hostnameMessage).toBeEmpty();
  await page.keyboard.press('Backspace');
  await page.keyboard.type('_'); // live after the touch: the message returns while typing
  await expect(hostnameMessage).not.toBeEmpty();
  await page.keyboard.press('Backspace');
  await expect(hostnameMessage).toBeEmpty();

  // A Wi-Fi network: focus goes to its name; a short passphrase gets the CLI's message once left.
  await tabTo(page, 'wifi-add');
  await page.keyboard.press('Enter');
  expect(await activeId(page)).toBe('field-network-wifi-0-ssid');
  await page.keyboard.type('home');
  await tabTo(page, 'field-network-wifi-0-passphrase');
  await page.keyboard.type('short');
  const expected = cliProblem({ version: 1, network: { wifi: [{ ssid: 'home', security: 'wpa-psk', passphrase: 'short' }] } }, 'network.wifi[0].passphrase');
  await expect(page.locator('#field-network-wifi-0-passphrase-msg')).toBeEmpty();
  await page.keyboard.press('Tab');
  await expect(page.locator('#field-network-wifi-0-passphrase-msg')).toHaveText(expected);
  await page.keyboard.press('Shift+Tab');
  expect(await activeId(page)).toBe('field-network-wifi-0-passphrase');
  await page.keyboard.press('End');
  await page.keyboard.type(' but longer');
  await expect(page.locator('#field-network-wifi-0-passphrase-msg')).toBeEmpty();
  await expect(page.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();

  expect(problems).toEqual([]);
  await page.context().close();
});

test('fits 320 px without horizontal scrolling, and axe finds no violations', async () => {
  test.setTimeout(120_000);
  const { page, problems } = await open(320);
  await page.locator('#device-search').fill('jetson');
  await page.keyboard.press('Enter');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: /Continue with/ }).click();
  await page.locator('#skip-to-configure').click();
  await page.locator('#wifi-add').click();
  await page.getByLabel('Security').selectOption('wpa-eap');
  await page.locator('#field-hostname').fill('Bad_Host');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(320);
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the image worker reads a chosen image under the CSP (raw and .xz, whose decoder is WebAssembly), builds it and saves the result', async () => {
  test.setTimeout(120_000);
  let images: string[];
  try {
    makeRaspberryPiImage('.tmp/e2e-rpi.img');
    images = ['.tmp/e2e-rpi.img'];
    if (spawnSync('xz', ['-k', '-f', '-0', '-T1', '.tmp/e2e-rpi.img']).status === 0) images.push('.tmp/e2e-rpi.img.xz');
  } catch (error) {
    test.skip(true, `cannot make a test image here: ${(error as Error).message}`);
    return;
  }
  const { page, problems } = await open();
  await page.getByRole('option').first().waitFor();
  await page.locator('#device-search').fill('raspberrypi3');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Continue with/ }).click();
  for (const image of images) {
    await page.locator('#image-file').setInputFiles(image);
    const report = page.locator('.report');
    await expect(report).toContainText('labelled resin-boot', { timeout: 60_000 });
    await expect(report).toContainText(image.endsWith('.xz') ? 'xz' : 'raw');
    await expect(report).toContainText('This image is for raspberrypi4-64'); // the made image says so
    await expect(report).not.toContainText('[object Object]');
  }

  // Build the last one (the .xz where xz is installed) with a hostname, and save it.
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill('greenhouse');
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await expect(page.locator('#step-heading')).toContainText('Review');
  await page.locator('#review-build').click();
  await page.getByLabel('gzip (.img.gz)').check(); // a one-block .xz cannot be spliced: the worker says so
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await expect(page.locator('.files')).toContainText('config.json');
  const fileName = (await page.locator('#save-output').textContent())!.trim().replace(/^Save (.*)…$/, '$1');
  await expect(page.locator('.steps li').first()).toContainText(`Write ${fileName} to an SD card`); // the core's installSteps
  await expect(page.locator('main')).toContainText("The image is for device type 'raspberrypi4-64'"); // the worker's coded warning, as text
  await expect(page.locator('main')).not.toContainText('[object Object]');
  await page.evaluate(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker); // take the download path
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-output').click()]);
  expect(download.suggestedFilename()).toMatch(/^e2e-rpi.*\.img/);
  expect(problems).toEqual([]);
  await page.context().close();
});
