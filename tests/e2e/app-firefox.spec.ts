/**
 * The demo flow in Firefox ESR, which has no showSaveFilePicker: the saved image comes through
 * the download fallback. Stock Firefox is driven over WebDriver BiDi with puppeteer-core
 * (tech-notes §8; Playwright's Firefox needs its own patched build), on http://127.0.0.1 (a secure
 * context: OPFS and the worker's sync access handles exist there). Runs under the Playwright
 * config like the other specs; skips itself without Firefox.
 */
import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { appServer } from './app-server.ts';
import { checkSaved, hasTools } from './saved-image.ts';

const FIREFOX = process.env.PREFLASH_FIREFOX ?? '/usr/bin/firefox-esr';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDfv1KRPmvJYdppksF+vWBp3lNE41MguJdygwB6eKqhL alice@laptop';
const PASSPHRASE = 'tomatoes-and-basil-2024';

test.skip(!existsSync(FIREFOX), `no Firefox at ${FIREFOX}`);

let browser: Browser;
let downloads: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await appServer();
  downloads = mkdtempSync(join(tmpdir(), 'preflash-firefox-downloads-'));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // Save downloads into our folder without asking.
      'browser.download.folderList': 2,
      'browser.download.dir': resolve(downloads),
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/octet-stream,application/gzip,application/x-gzip',
      'browser.download.manager.showWhenStarting': false,
    },
  });
});

test.afterAll(async () => {
  await browser?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as HTMLElement).innerText);
}

/** Sets a field's value as typing would (an input event), once the field exists. */
async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector, { timeout: 10_000 });
  await page.$eval(selector, (el, v) => {
    (el as HTMLInputElement).focus();
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function click(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector, { timeout: 10_000 });
  await page.$eval(selector, (el) => (el as HTMLElement).click());
}

/** Clicks the last button whose text starts with `label`, once there is one. */
async function clickButton(page: Page, label: string): Promise<void> {
  const find = (l: string) => Array.from(document.querySelectorAll('button')).filter((b) => b.textContent?.trim().startsWith(l)).at(-1);
  await page.waitForFunction(find, { timeout: 10_000 }, label);
  await page.evaluate((l) => Array.from(document.querySelectorAll('button')).filter((b) => b.textContent?.trim().startsWith(l)).at(-1)!.click(), label);
}

async function waitForText(page: Page, selector: string, wanted: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((s, w) => (document.querySelector(s) as HTMLElement | null)?.innerText.includes(w), { timeout }, selector, wanted);
}

test('Firefox ESR: device, demo image, form, review, build, save through the download fallback; fsck.fat, mtools and nmcli agree', async () => {
  test.setTimeout(180_000);
  test.skip(!hasTools, 'needs mtools, fsck.fat, nmcli');
  const { origin } = await appServer();
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(origin);
  expect(await page.evaluate(() => typeof (window as { showSaveFilePicker?: unknown }).showSaveFilePicker)).toBe('undefined');

  await page.waitForSelector('[role=option]');
  await fill(page, '#device-search', 'raspberrypi4-64');
  await page.keyboard.press('Enter');
  await clickButton(page, 'Continue with');
  await waitForText(page, '#step-heading', 'Image');

  await click(page, '#use-demo-image');
  await waitForText(page, 'main', 'Demo image — not bootable');
  await waitForText(page, '.report', 'labelled resin-boot');
  await clickButton(page, 'Continue to Configure');

  await fill(page, '#field-hostname', 'greenhouse-07');
  await click(page, '#wifi-add');
  await fill(page, '#field-network-wifi-0-ssid', 'home');
  await fill(page, '#field-network-wifi-0-passphrase', PASSPHRASE);
  await fill(page, '#ssh-paste', SSH_KEY);
  await clickButton(page, 'Add pasted keys');
  await waitForText(page, 'main', 'The settings are valid.');
  await clickButton(page, 'Review');
  await waitForText(page, '#step-heading', 'Review');

  await waitForText(page, '.preview', 'system-connections/wifi-home');
  expect(await text(page, 'main')).not.toContain(PASSPHRASE);
  await click(page, '#review-build');
  await waitForText(page, '#step-heading', 'Build');
  await click(page, '#build-start');
  await waitForText(page, '#step-heading', 'Done', 90_000);
  await click(page, '#save-output');

  // The download lands in our folder; Firefox writes a .part file first.
  let saved: string | undefined;
  await expect
    .poll(() => {
      const names = readdirSync(downloads);
      saved = names.find((n) => /^preflash-demo-raspberrypi4-64.*\.img\.gz$/.test(n));
      return Boolean(saved) && !names.some((n) => n.endsWith('.part'));
    }, { timeout: 30_000 })
    .toBe(true);
  const check = await checkSaved(join(downloads, saved!), 'e2e-app-saved-firefox', ['wifi-home']);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe('greenhouse-07');
  expect((check.configJson.os as { sshKeys?: string[] })?.sshKeys).toEqual([SSH_KEY]);
  expect(check.nmcli['wifi-home']).toEqual({ status: 0, stderr: '' });
  expect(problems).toEqual([]);
  await page.close();
});
