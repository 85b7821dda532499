/**
 * The app's flow as steps a spec strings together (the same steps app-build.spec.ts takes):
 * open the page with watchers for errors, CSP reports, requests elsewhere and failed requests;
 * choose the device; load an image (the demo image here — another source is one more step
 * function of the same shape); fill the form; review; build; save as a download; check the saved
 * image with fsck.fat -n, mtools and nmcli --offline.
 */
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { chooseDevice } from './app-page.ts';
import { checkSaved } from './saved-image.ts';
import { watchPage } from './failure-report.ts';

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDfv1KRPmvJYdppksF+vWBp3lNE41MguJdygwB6eKqhL alice@laptop';
export const PASSPHRASE = 'tomatoes-and-basil-2024';
export const HOSTNAME = 'greenhouse-07';

export interface Watched { page: Page; problems: string[] }

/** A page of `context` at `url`, recording console errors, CSP reports, page errors, requests elsewhere and failed requests. */
export async function openWatched(context: BrowserContext, url: string): Promise<Watched> {
  const origin = new URL(url).origin;
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => !r.url().startsWith(origin) && !/^(blob|data):/.test(r.url()) && problems.push(`request to ${r.url()}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
  watchPage(page, problems);
  await page.goto(url);
  return { page, problems };
}

export { chooseDevice };

/** An image step: the built-in demo image, read by the worker. */
export async function useDemoImage(page: Page): Promise<void> {
  await page.locator('#use-demo-image').click();
  await expect(page.locator('main')).toContainText('Demo image — not bootable');
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
}

/** Hostname, a WPA-PSK Wi‑Fi network and an SSH key, then the Review step. */
export async function fillForm(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await fillSettings(page);
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await expect(page.locator('#step-heading')).toContainText('Review');
}

/** On the Configure step: hostname, a WPA-PSK Wi‑Fi network and an SSH key (what expectConfigured checks). */
export async function fillSettings(page: Page): Promise<void> {
  await page.locator('#field-hostname').fill(HOSTNAME);
  await page.locator('#wifi-add').click();
  await page.locator('#field-network-wifi-0-ssid').fill('home');
  await page.locator('#field-network-wifi-0-passphrase').fill(PASSPHRASE);
  await page.locator('#ssh-paste').fill(SSH_KEY);
  await page.getByRole('button', { name: 'Add pasted keys' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();
}

/** Review lists the files to write; build in the input's own format. */
export async function reviewAndBuild(page: Page): Promise<void> {
  await expect(page.locator('.preview')).toContainText('system-connections/wifi-home');
  await page.locator('#review-build').click();
  await expect(page.locator('#step-heading')).toContainText('Build');
  await page.getByLabel(/Same as the input/).check();
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await expect(page.locator('.files')).toContainText('config.json');
}

/** Saves through the download fallback (no save dialog) and returns the file. */
export async function saveByDownload(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  await page.evaluate(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-output').click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
}

/** fsck.fat -n passes on the boot partition; mtools reads the settings back; nmcli parses the Wi‑Fi profile. */
export async function expectConfigured(bytes: Uint8Array, name: string): Promise<void> {
  const check = await checkSaved(bytes, name, ['wifi-home']);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe(HOSTNAME);
  expect((check.configJson.os as { sshKeys?: string[] })?.sshKeys).toEqual([SSH_KEY]);
  expect(check.profiles['wifi-home']).toContain(`psk=${PASSPHRASE}`);
  expect(check.nmcli['wifi-home']).toEqual({ status: 0, stderr: '' });
}

/** Device → image (`loadImage`) → form → review → build → download; the saved file. */
export async function configureAndSave(page: Page, loadImage: (page: Page) => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  await chooseDevice(page);
  await loadImage(page);
  await fillForm(page);
  await reviewAndBuild(page);
  return saveByDownload(page);
}
