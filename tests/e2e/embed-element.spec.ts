/**
 * `<preflash-configurator>` on a docs page from another site (examples/docs-embed.html served on
 * localhost, the app on 127.0.0.1), in Debian's Chromium: embed.js within its 10 KB budget and
 * alone on the wire until the user interacts; then the configurator loads in the element's iframe
 * with the page's device, preset (fetched from the URL given, and only there) and locks; the demo
 * image builds, `preflash-built` carries a summary without the preset's secrets, and the download
 * (the save dialog is refused in cross-origin frames) passes fsck.fat -n. Page CSS does not reach
 * the element, the element's CSS does not reach the page, and the page's theme reaches the app.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { appServer } from './app-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { docsSite, type StaticSite } from './embed-servers.ts';
import { reportWatched, watchPage } from './failure-report.ts';
import { checkSaved, hasTools } from './saved-image.ts';

const PRESET = JSON.parse(readFileSync('examples/docs-preset.json', 'utf8'));
const SECRETS = [PRESET.network.wifi[0].passphrase, PRESET.cloud.provisioningKey] as string[];

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

let browser: Browser;
let app: string;
let docs: StaticSite;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = (await appServer()).origin;
  docs = await docsSite(app);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
  await docs?.close();
});

async function open(path: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => !/^(blob|data):/.test(r.url()) && requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  // Every event the element fires, in order.
  await page.addInitScript(() => {
    const w = window as unknown as { __events: { type: string; detail: unknown }[] };
    w.__events = [];
    for (const type of ['preflash-ready', 'preflash-built', 'preflash-error']) {
      document.addEventListener(type, (e) => w.__events.push({ type, detail: (e as CustomEvent).detail }));
    }
  });
  watchPage(page, problems);
  await page.goto(`${docs.origin}${path}`);
  return { page, requests, problems };
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: { type: string; detail: unknown }[] }).__events);
/** The element's own iframe (in its shadow root), not the page's plain one. */
async function appFrame(page: Page): Promise<Frame> {
  const frame = await (await page.locator('preflash-configurator iframe').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no configurator frame');
  return frame;
}

test('embed.js is within its budget: under 10 KB gzipped', () => {
  const code = readFileSync('dist/app/embed.js');
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`embed.js: ${code.length} bytes, ${gzipped} gzipped`);
  expect(gzipped).toBeLessThanOrEqual(10 * 1024);
  expect(code.toString()).not.toContain('WPA passphrase'); // no core code in it
});

test('nothing but the script is requested before the user interacts; then the app from its origin and the preset from its URL only', async () => {
  const { page, requests, problems } = await open('/element-only.html');
  const element = page.locator('preflash-configurator');
  await expect(element).toHaveAttribute('state', 'idle');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  const before = requests.filter((u) => !u.endsWith('/favicon.ico'));
  expect(before).toEqual([`${docs.origin}/element-only.html`, `${app}/embed.js`]);

  await element.getByRole('button', { name: 'Configure an image' }).click();
  await expect(element).toHaveAttribute('state', 'ready', { timeout: 30_000 });
  const after = requests.slice(before.length).filter((u) => !u.endsWith('/favicon.ico'));
  const elsewhere = after.filter((u) => !u.startsWith(`${app}/`));
  expect(elsewhere).toEqual([`${docs.origin}/docs-preset.json`]);
  expect(after.some((u) => u.startsWith(`${app}/index.html?embed&origin=${encodeURIComponent(docs.origin)}`))).toBe(true);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the element honours device, preset and lock, builds the demo image and reports it without secrets; the download passes fsck.fat', async () => {
  const { page, problems } = await open('/docs-embed.html');
  const element = page.locator('preflash-configurator');
  await element.getByRole('button', { name: 'Configure an image' }).click();
  await expect(element).toHaveAttribute('state', 'ready', { timeout: 30_000 });
  const ready = (await events(page)).find((e) => e.type === 'preflash-ready');
  expect(ready?.detail).toEqual({ device: 'raspberrypi4-64', locked: ['device', 'cloud'], presetIssues: 0 });

  const frame = await appFrame(page);
  // device: preselected and locked, the flow starts at the Image step.
  await expect(frame.locator('#step-heading')).toContainText('Image');
  await expect(frame.getByRole('button', { name: /Device/ })).toBeDisabled();
  await expect(frame.locator('.embed')).toContainText(`Embedded in ${docs.origin}`);
  await expect(frame.locator('.embed')).toContainText('shown read-only: device, cloud');
  await frame.locator('#use-demo-image').click();
  await frame.getByRole('button', { name: 'Continue to Configure' }).click();
  // preset: in the form; lock: the cloud group read-only, the others editable.
  await expect(frame.locator('#field-hostname')).toHaveValue('fleet-sensor');
  await expect(frame.locator('#field-network-wifi-0-ssid')).toHaveValue('Workshop');
  await expect(frame.locator('#field-cloud-applicationId')).toHaveValue('1234567');
  await expect(frame.locator('#field-cloud-applicationId')).toBeDisabled();
  await expect(frame.locator('#cloud-locked')).toContainText('Set by the page that embeds Preflash');
  await expect(frame.locator('#field-hostname')).toBeEnabled();
  // Loading a settings file replaces the form, but not the locked group.
  const loaded = { ...PRESET, hostname: 'fleet-sensor-2', cloud: { applicationId: 999, provisioningKey: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' } };
  await frame.locator('section:has(#export-title) input[type=file]').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(loaded)) });
  await expect(frame.locator('#field-hostname')).toHaveValue('fleet-sensor-2');
  await expect(frame.locator('#field-cloud-applicationId')).toHaveValue('1234567');
  await expect(frame.getByRole('status').filter({ hasText: 'The settings are valid.' })).toBeVisible();
  await frame.getByRole('button', { name: 'Review', exact: true }).last().click();
  await expect(frame.locator('#step-heading')).toContainText('Review', { timeout: 15_000 });
  await frame.locator('#review-build').click();
  await frame.getByLabel(/Same as the input/).check();
  await frame.locator('#build-start').click();
  await expect(frame.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await expect(element).toHaveAttribute('state', 'built');

  const built = (await events(page)).find((e) => e.type === 'preflash-built')?.detail as { device: string; files: { path: string; size: number }[]; output: { name: string; size: number; format: string } };
  expect(built.device).toBe('raspberrypi4-64');
  expect(built.output.name).toMatch(/^preflash-demo-raspberrypi4-64.*\.img\.gz$/);
  expect(built.output.format).toBe('gzip');
  expect(built.output.size).toBeGreaterThan(1000);
  expect(built.files.map((f) => f.path)).toContain('config.json');
  const wifi = built.files.find((f) => f.path.startsWith('system-connections/'));
  expect(wifi?.size).toBeGreaterThan(0);
  for (const secret of SECRETS) expect(JSON.stringify(await events(page))).not.toContain(secret);
  await expect(page.locator('#element-log')).toContainText(`Built ${built.output.name}`);

  // Saving: the save dialog is refused in a cross-origin frame, so the app downloads.
  const [download] = await Promise.all([page.waitForEvent('download'), frame.locator('#save-output').click()]);
  expect(download.suggestedFilename()).toBe(built.output.name);
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  expect(bytes.length).toBe(built.output.size);
  if (hasTools) {
    const check = await checkSaved(bytes, 'e2e-embed-element', [wifi!.path.replace('system-connections/', '')]);
    expect(check.fsck.status, check.fsck.output).toBe(0);
    expect(check.configJson.hostname).toBe('fleet-sensor-2');
    expect(check.configJson.applicationId).toBe(1234567);
    expect(check.configJson.apiKey).toBe(PRESET.cloud.provisioningKey);
    expect(check.nmcli[wifi!.path.replace('system-connections/', '')]).toEqual({ status: 0, stderr: '' });
  }
  expect(problems).toEqual([]);
  await page.context().close();
});

test('page styles do not reach the element, its styles do not reach the page, and the page theme reaches the app', async () => {
  const { page } = await open('/docs-embed.html');
  const element = page.locator('preflash-configurator');
  const launch = element.getByRole('button', { name: 'Configure an image' });
  const style = (loc: typeof launch) => loc.evaluate((el) => {
    const s = getComputedStyle(el);
    return { background: s.backgroundColor, color: s.color, font: s.fontFamily, border: s.borderTopStyle, size: s.fontSize, spacing: s.letterSpacing };
  });
  // The page's rules (button: red !important, yellow, dashed, 20px, Georgia) stay out; the theme's accent comes in.
  const inside = await style(launch);
  expect(inside.background).toBe('rgb(123, 44, 191)');
  expect(inside.color).toBe('rgb(255, 255, 255)');
  expect(inside.font).not.toContain('Georgia');
  expect(inside.border).toBe('none');
  expect(inside.size).toBe('16px');
  const intro = await style(element.locator('.launch p'));
  expect(intro.color).toBe('rgb(27, 31, 36)');
  expect(intro.spacing).toBe('normal');
  // The element's rules (button, p, iframe) stay in: the page's own elements keep the page's styles.
  const pageButton = await style(page.locator('#docs-button'));
  expect(pageButton).toMatchObject({ background: 'rgb(192, 57, 43)', color: 'rgb(255, 235, 59)', border: 'dashed', size: '20px' });
  expect(pageButton.font).toContain('Georgia');
  expect((await style(page.locator('body > p').first())).color).toBe('rgb(90, 62, 27)');

  await launch.click();
  await expect(element).toHaveAttribute('state', 'ready', { timeout: 30_000 });
  const frameBorder = await element.locator('iframe').evaluate((el) => getComputedStyle(el).borderTopWidth);
  expect(frameBorder).toBe('0px'); // the page's `iframe { border: 4px }` does not reach it
  expect(await page.locator('#preflash-frame').evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe('4px');
  const frame = await appFrame(page);
  const accent = await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  expect(accent).toBe('#7b2cbf');
  // The page's fonts never reach the app's document.
  expect(await frame.locator('#step-heading').evaluate((el) => getComputedStyle(el).fontFamily)).not.toContain('Georgia');
  await page.context().close();
});

test('on an insecure page (plain http, not localhost) the element shows its insecure slot and reports INSECURE_CONTEXT, loading nothing', async () => {
  // insecure.test resolves to the docs server, but is neither HTTPS nor a loopback name: not a secure context.
  const port = new URL(docs.origin).port;
  const insecure = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP insecure.test 127.0.0.1'] });
  try {
    const page = await insecure.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.addInitScript(() => {
      const w = window as unknown as { __errors: unknown[] };
      w.__errors = [];
      document.addEventListener('preflash-error', (e) => w.__errors.push((e as CustomEvent).detail));
    });
    await page.goto(`http://insecure.test:${port}/element-only.html`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const element = page.locator('preflash-configurator');
    await expect(element).toHaveAttribute('state', 'insecure');
    await expect(element.locator('.insecure')).toBeVisible();
    await expect(element.locator('.insecure')).toContainText('needs a secure page');
    await expect(element.getByRole('button', { name: 'Configure an image' })).toBeHidden();
    const errors = await page.evaluate(() => (window as unknown as { __errors: { code: string }[] }).__errors);
    expect(errors.map((e) => e.code)).toEqual(['INSECURE_CONTEXT']);
    expect(requests.filter((u) => !u.includes('/element-only.html') && !u.endsWith('/embed.js'))).toEqual([]);
  } finally {
    await insecure.close();
  }
});
