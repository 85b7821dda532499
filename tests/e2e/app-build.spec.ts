/**
 * The whole app flow in Debian's Chromium, on images made at test time: choose the device, load
 * the image (a Raspberry Pi MBR image, a .gz of it, or the built-in demo image), fill the form
 * (hostname, a WPA-PSK Wi‑Fi network, an SSH key), review the exact files (secrets masked until
 * revealed), build, save (through a stubbed save picker writing into OPFS, or a download), and
 * check the saved image with fsck.fat -n, mtools and nmcli --offline. Also: Cancel mid-build
 * leaves no output. axe finds no WCAG 2.1 AA violation on the Image step (demo) and the Review step.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeRaspberryPiImage } from './e2e-images.ts';
import { axeViolations, chooseDevice, openApp, savedByPicker } from './app-page.ts';
import { appServer } from './app-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { checkSaved, hasTools } from './saved-image.ts';
import { reportWatched } from './failure-report.ts';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDfv1KRPmvJYdppksF+vWBp3lNE41MguJdygwB6eKqhL alice@laptop';
const PASSPHRASE = 'tomatoes-and-basil-2024';
const IMG = '.tmp/e2e-app-rpi.img';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

let browser: Browser;
let origin: string;
let fixtures = false;
let screenshotTaken = false;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    makeRaspberryPiImage(IMG);
    fixtures = spawnSync('gzip', ['-k', '-f', '-1', IMG]).status === 0;
  } catch {
    fixtures = false;
  }
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

async function fillForm(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill('greenhouse-07');
  await page.locator('#wifi-add').click();
  await page.locator('#field-network-wifi-0-ssid').fill('home');
  await page.locator('#field-network-wifi-0-passphrase').fill(PASSPHRASE);
  await page.locator('#ssh-paste').fill(SSH_KEY);
  await page.getByRole('button', { name: 'Add pasted keys' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();
  if (process.env.UPDATE_SNAPSHOTS && !screenshotTaken) {
    // The README's picture, rewritten on purpose only (as the golden samples are).
    screenshotTaken = true;
    await page.setViewportSize({ width: 900, height: 760 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#field-network-wifi-0-ssid').blur();
    await page.screenshot({ path: 'docs/screenshot-configure.png' });
    await page.setViewportSize({ width: 1100, height: 900 });
  }
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await expect(page.locator('#step-heading')).toContainText('Review');
}

/** The Review step lists the exact files; the passphrase shows only once revealed. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

async function review(page: Page, { axe = false } = {}): Promise<void> {
  const preview = page.locator('.preview');
  await expect(preview).toContainText('config.json');
  await expect(preview).toContainText('system-connections/wifi-home');
  const wifi = preview.locator('details', { hasText: 'system-connections/wifi-home' });
  await wifi.locator('summary').click();
  await expect(wifi.locator('pre')).toContainText('psk=•••');
  await expect(page.locator('main')).not.toContainText(PASSPHRASE);
  await wifi.getByRole('button', { name: 'Show secrets' }).click();
  await expect(wifi.locator('pre')).toContainText(`psk=${PASSPHRASE}`);
  const config = preview.locator('details', { hasText: 'config.json' }).first();
  await config.locator('summary').click();
  await expect(config.locator('pre')).toContainText('greenhouse-07');
  if (axe) await expectNoAxeViolations(page);
  await page.locator('#review-build').click();
  await expect(page.locator('#step-heading')).toContainText('Build');
}

async function build(page: Page, output: RegExp): Promise<void> {
  await page.getByLabel(output).check();
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await expect(page.locator('.files')).toContainText('config.json');
}

/** Saves through the stubbed picker and reads the OPFS file back. */
async function saveWithPicker(page: Page): Promise<Uint8Array> {
  await page.locator('#save-output').click();
  return (await savedByPicker(page)).bytes;
}

async function saveByDownload(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  await page.evaluate(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-output').click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
}

async function expectConfigured(bytes: Uint8Array, name: string): Promise<void> {
  const check = await checkSaved(bytes, name, ['wifi-home']);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe('greenhouse-07');
  expect((check.configJson.os as { sshKeys?: string[] })?.sshKeys).toEqual([SSH_KEY]);
  expect(check.profiles['wifi-home']).toContain(`psk=${PASSPHRASE}`);
  expect(check.nmcli['wifi-home']).toEqual({ status: 0, stderr: '' });
}

test('raw Raspberry Pi image: device, image, form, review, build (.img.gz), save through the save picker; fsck.fat, mtools and nmcli agree', async () => {
  test.skip(!fixtures || !hasTools, 'needs sfdisk, mkfs.vfat, mtools, fsck.fat, nmcli');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(IMG);
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await fillForm(page);
  await review(page);
  await build(page, /gzip/);
  await expectConfigured(await saveWithPicker(page), 'e2e-app-saved-picker');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('.img.gz image: built in its own format (spliced) and saved as a download', async () => {
  test.skip(!fixtures || !hasTools, 'needs sfdisk, mkfs.vfat, mtools, fsck.fat, nmcli, gzip');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(`${IMG}.gz`);
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await fillForm(page);
  await review(page);
  await build(page, /Same as the input/);
  const saved = await saveByDownload(page);
  expect(saved.name).toMatch(/\.img\.gz$/);
  await expectConfigured(saved.bytes, 'e2e-app-saved-download');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the demo image: no file from elsewhere, clearly labelled, the whole flow to a saved image', async () => {
  test.skip(!hasTools, 'needs mtools, fsck.fat, nmcli');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#use-demo-image').click();
  await expect(page.locator('main')).toContainText('Demo image — not bootable');
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await expectNoAxeViolations(page);
  await fillForm(page);
  await review(page, { axe: true });
  await build(page, /Same as the input/);
  await expect(page.locator('main')).toContainText('This is the demo image');
  const saved = await saveByDownload(page);
  expect(saved.name).toMatch(/^preflash-demo-raspberrypi4-64.*\.img\.gz$/);
  await expectConfigured(saved.bytes, 'e2e-app-saved-demo');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('Cancel mid-build leaves no output: no file in OPFS, nothing saved, the Build step says so', async () => {
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#use-demo-image').click();
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill('greenhouse-07');
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await page.locator('#review-build').click();
  // An uncompressed output of a .gz is decoded in full into OPFS: the longest job.
  await page.getByLabel(/Uncompressed/).check();
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.locator('#build-start').click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled; nothing was written.' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#step-heading')).toContainText('Build');
  await expect
    .poll(() => page.evaluate(async () => {
      const names: string[] = [];
      const root = await navigator.storage.getDirectory();
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names;
    }), { timeout: 10_000 })
    .toEqual([]);
  expect(downloads).toBe(0);
  expect(problems).toEqual([]);
  await page.context().close();
});
