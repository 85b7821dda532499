/**
 * Profiles in Debian's Chromium, on the built app served with its CSP (app-server.ts): saved
 * profiles survive a reload; a profile with secrets is sealed (IndexedDB holds no secret in the
 * clear), refuses a wrong passphrase and restores every secret with the right one; an exported
 * profile has none of the secrets typed (its downloaded bytes are searched); a share link carries
 * no secret in its URL, and opened in a new page fills the form and leaves the address bar.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { axeViolations } from './app-page.ts';
import { appServer } from './app-server.ts';
import { reportWatched, watchPage } from './failure-report.ts';

let ORIGIN = '';
let browser: Browser;

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ORIGIN = (await appServer()).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

/** One value per kind of secret the form has; none of them may leave the page unsealed. */
const SECRETS = {
  'field-network-wifi-0-passphrase': 'wifi-pass-Qz81xw',
  'field-network-wifi-1-eap-password': 'eap-pass-Lm27vb',
  'field-network-cellular-password': 'cell-pass-Hk55ra',
  'field-network-cellular-pin': '48213',
  'field-network-proxy-password': 'proxy-pass-Ty09pe',
  'field-vpn-wireguard-privateKey': 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=',
  'field-cloud-provisioningKey': 'prov-key-Ww38ksdq',
};
const secretsIn = (text: string) => Object.values(SECRETS).filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));

interface Watched { page: Page; problems: string[] }

async function watch(context: BrowserContext, url = ORIGIN): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  watchPage(page, problems);
  await page.goto(url);
  return { page, problems };
}

async function toConfigure(page: Page): Promise<void> {
  await page.getByRole('option').first().waitFor();
  await page.locator('#device-search').fill('raspberrypi4-64');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Continue with/ }).click();
  await page.locator('#skip-to-configure').click();
  await expect(page.locator('#step-heading')).toContainText('Configure');
}

async function fillWithSecrets(page: Page): Promise<void> {
  await page.locator('#field-hostname').fill('greenhouse');
  await page.locator('#wifi-add').click();
  await page.locator('#field-network-wifi-0-ssid').fill('barn');
  await page.locator('#wifi-add').click();
  await page.locator('#field-network-wifi-1-ssid').fill('office');
  await page.locator('#field-network-wifi-1-security').selectOption('wpa-eap');
  await page.locator('#field-network-wifi-1-eap-identity').fill('tech');
  await page.getByLabel('Set up a cellular modem').check();
  await page.locator('#field-network-cellular-apn').fill('internet');
  await page.getByLabel('Use a proxy').check();
  await page.locator('#field-network-proxy-host').fill('10.0.0.2');
  await page.locator('#field-network-proxy-port').fill('1080');
  await page.getByLabel('Set up a WireGuard VPN').check();
  await page.locator('#field-vpn-wireguard-addresses').fill('10.8.0.2/32');
  await page.getByLabel('Join a balenaCloud or openBalena fleet').check();
  await page.locator('#field-cloud-applicationId').fill('1234');
  for (const [id, value] of Object.entries(SECRETS)) await page.locator(`#${id}`).fill(value);
}

const status = (page: Page) => page.locator('#profiles-status');

async function saveProfile(page: Page, name: string, passphrase?: string): Promise<void> {
  await page.getByLabel('Profile name').fill(name);
  const tick = page.getByLabel('Also save secrets (encrypted with a passphrase)');
  if (passphrase) {
    await tick.check();
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Repeat passphrase').fill(passphrase);
  } else await tick.uncheck();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(status(page)).toContainText(`Saved profile “${name}”`);
}

/** Every record of the profile database, bytes as text, as the browser stores it. */
const rawProfiles = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.open('preflash-profiles');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const all = request.result.transaction('profiles').objectStore('profiles').getAll();
          all.onsuccess = () => {
            resolve(JSON.stringify(all.result, (_k, v) => (v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v)));
            request.result.close();
          };
        };
      }),
  );

test('profiles survive a reload; a sealed profile opens only with its passphrase and restores every secret', async () => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const { page, problems } = await watch(context);
  await toConfigure(page);
  await expect(page.locator('#profiles-empty')).toBeVisible(); // the empty state
  await fillWithSecrets(page);
  await saveProfile(page, 'Farm A', 'long field passphrase');
  await expect(status(page)).toContainText('with 7 secrets encrypted');
  await saveProfile(page, 'Boat');
  await expect(status(page)).toContainText('without its 7 secrets');

  // Stored: no secret in the clear, the iteration count with the record.
  const stored = await rawProfiles(page);
  expect(secretsIn(stored)).toEqual([]);
  expect(stored).toContain('"iterations":600000');
  expect(stored).toContain('greenhouse'); // the records are there, in the clear without their secrets
  expect(stored).not.toContain('long field passphrase');

  // Saving under a taken name asks first.
  await page.getByLabel('Profile name').fill('boat');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(status(page)).toContainText('A profile named “Boat” already exists');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  await toConfigure(page);
  const list = page.getByRole('list', { name: 'Saved profiles' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText('Boat');
  await expect(list.getByRole('listitem').nth(1)).toContainText('7 secret(s), encrypted');
  await expect(page.locator('#field-hostname')).toHaveValue(''); // a fresh form

  // Wrong passphrase: said, and nothing opened.
  await page.getByRole('button', { name: 'Open… Farm A' }).click();
  await expect(page.getByLabel('Passphrase for “Farm A”')).toBeFocused();
  await page.keyboard.type('not the passphrase');
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Wrong passphrase — nothing was opened.');
  await expect(page.locator('#field-hostname')).toHaveValue('');
  await expect(page.locator('#field-network-wifi-0-ssid')).toHaveCount(0);

  // The right one: the form and every secret come back.
  await page.getByLabel('Passphrase for “Farm A”').fill('long field passphrase');
  await page.getByRole('button', { name: 'Open with secrets' }).click();
  await expect(status(page)).toContainText('Opened “Farm A”, secrets included');
  await expect(page.locator('#field-hostname')).toHaveValue('greenhouse');
  await expect(page.locator('#field-network-wifi-1-ssid')).toHaveValue('office');
  for (const [id, value] of Object.entries(SECRETS)) await expect(page.locator(`#${id}`)).toHaveValue(value);

  // The profile without secrets opens without them.
  await page.getByRole('button', { name: 'Open Boat' }).click();
  await expect(status(page)).toContainText('Opened “Boat”, without its 7 secrets');
  await expect(page.locator('#field-hostname')).toHaveValue('greenhouse');
  await expect(page.locator('#field-network-wifi-0-passphrase')).toHaveValue('');

  // Rename with the keyboard; Escape closes; delete asks first.
  await page.getByRole('button', { name: 'Rename Boat' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New name for “Boat”')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Ship');
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Renamed “Boat” to “Ship”.');
  await expect(page.getByRole('button', { name: 'Rename Ship' })).toBeFocused();
  await page.getByRole('button', { name: 'Delete Ship' }).click();
  await expect(page.getByText('Delete the profile “Ship”? This cannot be undone.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Delete Ship' }).click();
  await page.getByRole('button', { name: 'Delete “Ship”' }).click();
  await expect(status(page)).toHaveText('Deleted profile “Ship”.');
  await expect(list.getByRole('listitem')).toHaveCount(1);

  expect(await axeViolations(page, { include: ['#profiles-title', 'section[aria-labelledby="profiles-title"]'] })).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
});

test('an exported profile holds none of the secrets typed; imported files are checked by the core', async () => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await watch(context);
  await toConfigure(page);
  await fillWithSecrets(page);
  await saveProfile(page, 'Sealed', 'long field passphrase'); // secrets sealed in the record
  await saveProfile(page, 'Plain');

  for (const name of ['Sealed', 'Plain']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export ${name}` }).click()]);
    expect(download.suggestedFilename()).toBe(`${name}.json`);
    const bytes = readFileSync((await download.path())!);
    expect(secretsIn(bytes.toString('latin1'))).toEqual([]);
    expect(secretsIn(bytes.toString('utf8'))).toEqual([]);
    const settings = JSON.parse(bytes.toString('utf8'));
    expect(settings).toMatchObject({ version: 1, hostname: 'greenhouse', network: { wifi: [{ ssid: 'barn' }, { ssid: 'office' }], proxy: { host: '10.0.0.2', port: 1080 } } });

    // The export imports back (a new name, since this one is taken), with the core's problems listed.
    await page.locator('section[aria-labelledby="profiles-title"] input[type=file]').setInputFiles({ name: `${name}.json`, mimeType: 'application/json', buffer: bytes });
    await expect(status(page)).toContainText(`Imported ${name}.json as “${name} (2)”`);
    await expect(page.getByText('Problems in the imported file')).toBeVisible();
    await expect(page.getByRole('button', { name: /^network\.wifi\[0\]\.passphrase: / })).toBeVisible();
  }

  // A file that is not version-1 settings is refused, and says why.
  await page.locator('section[aria-labelledby="profiles-title"] input[type=file]').setInputFiles({ name: 'v2.json', mimeType: 'application/json', buffer: Buffer.from('{"version":2}') });
  await expect(status(page)).toContainText('v2.json was not imported: version:');
  await expect(page.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem')).toHaveCount(4);
  expect(problems).toEqual([]);
  await context.close();
});

test('a share link carries no secret, and opened in a new page fills the form and leaves the address bar', async () => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  const { page, problems } = await watch(context);
  await toConfigure(page);
  await fillWithSecrets(page);
  await page.getByRole('button', { name: 'Copy share link' }).click();
  await expect(status(page)).toContainText('Share link copied. It leaves out 7 secret(s)');
  const link = await page.locator('#profile-share-link').inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const url = new URL(link);
  expect(url.origin + url.pathname).toBe(new URL(ORIGIN).origin + '/');
  expect(url.search).toBe('');
  expect(url.hash).toMatch(/^#settings=[A-Za-z0-9_-]+$/);
  expect(secretsIn(link)).toEqual([]);
  const carried = Buffer.from(url.hash.slice('#settings='.length), 'base64url').toString('utf8');
  expect(secretsIn(carried)).toEqual([]);
  expect(JSON.parse(carried)).toMatchObject({ version: 1, hostname: 'greenhouse' });

  // A new page (a new context: nothing shared but the link).
  const other = await browser.newContext();
  const opened = await watch(other, link);
  await expect(opened.page.locator('#share-link-status')).toContainText('Settings from the share link are in the Configure step');
  expect(opened.page.url()).toBe(`${new URL(ORIGIN).origin}/`); // the fragment left the address bar
  await toConfigure(opened.page);
  await expect(opened.page.locator('#field-hostname')).toHaveValue('greenhouse');
  await expect(opened.page.locator('#field-network-wifi-1-ssid')).toHaveValue('office');
  await expect(opened.page.locator('#field-network-proxy-host')).toHaveValue('10.0.0.2');
  for (const id of Object.keys(SECRETS)) await expect(opened.page.locator(`#${id}`)).toHaveValue('');

  // A damaged link says so and fills nothing.
  const broken = await watch(other, `${ORIGIN}/#settings=eyJ2ZXJza`);
  await expect(broken.page.locator('#share-link-status')).toContainText('This share link could not be read');
  expect(broken.page.url()).toBe(`${new URL(ORIGIN).origin}/`);
  // A link pasted into a tab that is already open (only the fragment changes: no reload).
  await broken.page.evaluate((hash) => (location.hash = hash), url.hash);
  await expect(broken.page.locator('#share-link-status')).toContainText('Settings from the share link are in the Configure step');
  await expect.poll(() => broken.page.url()).toBe(`${new URL(ORIGIN).origin}/`);
  expect([...problems, ...opened.problems, ...broken.problems]).toEqual([]);
  await other.close();
  await context.close();
});
