/**
 * The whole flow with the keyboard only (Debian's Chromium): device → demo image → hostname and a
 * Wi‑Fi network → Review → Build → Save, with no mouse event at all; every control reached with
 * Tab shows a visible focus ring; pressing Review with a problem keeps the user on Configure with
 * the problems listed and focused. axe-core (WCAG 2.1 A/AA) on every step, in the light and the
 * dark theme (prefers-color-scheme emulated; in the dark one the colour rules, as the theme changes
 * nothing else, which the spec checks). The saved image is checked with fsck.fat and mtools.
 */
import { expect, test } from '@playwright/test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { appServer } from './app-server.ts';
import { axeViolations, COLOUR_RULES, openApp, savedByPicker } from './app-page.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { checkSaved, hasTools } from './saved-image.ts';
import { reportWatched } from './failure-report.ts';

const PASSPHRASE = 'tomatoes-and-basil-2024';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);

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

interface Focused { id: string; tag: string; text: string; ring: boolean }

/** The focused element, and whether it shows a focus ring (its own outline or box-shadow, or its label's focus-within). */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: '', tag: 'body', text: '', ring: false };
    const visible = (e: Element) => {
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== 'none' && s.boxShadow !== '');
    };
    const label = el.closest('label, .button');
    return { id: el.id, tag: el.tagName.toLowerCase(), text: (el.textContent ?? '').trim().slice(0, 60), ring: visible(el) || (label !== null && visible(label)) };
  });

/** Tabs until `match` is focused; every stop on the way must show its focus. */
async function tabTo(page: Page, match: (f: Focused) => boolean, noRing: string[], max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f.ring) noRing.push(`${f.tag}#${f.id} "${f.text}"`);
    if (match(f)) return;
  }
  throw new Error(`not reached with ${max} presses of Tab`);
}
const byId = (id: string) => (f: Focused) => f.id === id;
const byText = (text: string | RegExp) => (f: Focused) => (typeof text === 'string' ? f.text === text : text.test(f.text));

/**
 * axe in the light and in the dark theme; the dark one must really be in force. Every WCAG 2.1
 * A/AA rule runs in the light theme; in the dark one, the rules a colour scheme can change
 * (COLOUR_RULES: contrast, links told apart by colour). The theme only swaps colours (app.css:
 * custom properties under prefers-color-scheme), and the accessibility tree — roles, names, states,
 * what is hidden — is checked to be the same in both, so the other rules would read the same page.
 */
async function axeBothThemes(page: Page, step: string, found: string[]): Promise<void> {
  const tree: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg, `${step} ${colorScheme}`).toBe(colorScheme === 'dark' ? 'rgb(15, 20, 25)' : 'rgb(247, 248, 250)');
    tree.push(await page.locator('body').ariaSnapshot());
    for (const v of await axeViolations(page, colorScheme === 'dark' ? { rules: COLOUR_RULES } : {})) found.push(`${step} (${colorScheme}): ${v}`);
  }
  expect(tree[1], `${step}: the dark theme changes only colours`).toBe(tree[0]);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('keyboard only, visible focus, axe in light and dark on every step: device → demo image → hostname + Wi‑Fi → review → build → save', async () => {
  test.setTimeout(180_000);
  test.skip(!hasTools, 'needs mtools, fsck.fat');
  const { page, problems } = await openApp(browser, origin);
  let clicks = 0;
  await page.exposeFunction('__countClick', () => clicks++);
  await page.evaluate(() => document.addEventListener('mousedown', () => (window as unknown as { __countClick: () => void }).__countClick(), true));
  const noRing: string[] = [];
  const axe: string[] = [];
  const heading = page.locator('#step-heading');

  // Device: search, Enter picks the first match, Tab to Continue.
  await page.getByRole('option').first().waitFor();
  await tabTo(page, byId('device-search'), noRing);
  await page.keyboard.type('raspberrypi4-64');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 3, name: 'Raspberry Pi 4 (64-bit OS)' })).toBeVisible();
  await axeBothThemes(page, 'Device', axe);
  await tabTo(page, byText(/^Continue with/), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Image');
  expect((await focused(page)).id).toBe('step-heading');

  // Image: the demo image.
  await tabTo(page, byId('use-demo-image'), noRing);
  await page.keyboard.press('Enter');
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await axeBothThemes(page, 'Image', axe);
  await tabTo(page, byText('Continue to Configure'), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Configure');

  // Configure: a Wi‑Fi network left empty, then Review: the user stays, the problems are listed and focused.
  await tabTo(page, byId('field-hostname'), noRing);
  await page.keyboard.type('greenhouse-07');
  await tabTo(page, byId('wifi-add'), noRing);
  await page.keyboard.press('Enter');
  expect((await focused(page)).id).toBe('field-network-wifi-0-ssid');
  await expect(page.locator('#field-network-wifi-0-ssid-msg')).toBeEmpty(); // pristine: no message yet
  await tabTo(page, byText('Review'), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Configure');
  const list = page.getByRole('region', { name: 'Problems to fix before building' });
  await expect(list).toContainText('network.wifi[0].ssid');
  expect((await focused(page)).text).toBe('Problems to fix before building');
  await expect(page.locator('#field-network-wifi-0-ssid-msg')).not.toBeEmpty();
  await axeBothThemes(page, 'Configure (problems shown)', axe);
  // The problem's button moves focus to its field.
  await tabTo(page, byText(/^network\.wifi\[0\]\.ssid/), noRing);
  await page.keyboard.press('Enter');
  expect((await focused(page)).id).toBe('field-network-wifi-0-ssid');
  await page.keyboard.type('home');
  await tabTo(page, byId('field-network-wifi-0-passphrase'), noRing);
  await page.keyboard.type(PASSPHRASE);
  await expect(page.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();
  await axeBothThemes(page, 'Configure', axe);
  await tabTo(page, byText('Review'), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Review');

  // Review: the files are listed; Build.
  await expect(page.locator('.preview')).toContainText('system-connections/wifi-home');
  await axeBothThemes(page, 'Review', axe);
  await tabTo(page, byId('review-build'), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Build');
  await axeBothThemes(page, 'Build', axe);
  await tabTo(page, byId('build-start'), noRing);
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Done', { timeout: 90_000 });
  expect((await focused(page)).id).toBe('step-heading');
  await axeBothThemes(page, 'Done', axe);

  // Save through the (stubbed) save picker, and check the saved file with the tools.
  await tabTo(page, byId('save-output'), noRing);
  await page.keyboard.press('Enter');
  const { bytes } = await savedByPicker(page);
  const check = await checkSaved(bytes, 'e2e-keyboard', ['wifi-home']);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe('greenhouse-07');
  expect(check.profiles['wifi-home']).toContain(`psk=${PASSPHRASE}`);
  expect(check.nmcli['wifi-home']).toEqual({ status: 0, stderr: '' });

  expect(clicks, 'no mouse press').toBe(0);
  expect(noRing, 'every control reached with Tab shows its focus').toEqual([]);
  expect(axe).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});
