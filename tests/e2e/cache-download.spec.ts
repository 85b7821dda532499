/**
 * The image cache in Debian's Chromium against real local HTTP servers (range-server.ts):
 * a download whose connection drops halfway resumes with Range (and the cached bytes equal the
 * source); a file that changed between the two requests restarts cleanly (If-Range → 200); a
 * reload mid-download resumes; two tabs never download one URL at once; a cached image goes
 * straight to Configure and builds into an image fsck.fat accepts; an evicted or damaged cached
 * file gives a clear message and a new download; a quota error leaves nothing that looks
 * complete; a server without CORS gets the plain message and the manual path.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeRaspberryPiImage } from './e2e-images.ts';
import { axeViolations, savedByPicker, stubSavePicker } from './app-page.ts';
import { appServer } from './app-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { startRangeServer, type RangeServer } from './range-server.ts';
import { checkSaved, hasTools } from './saved-image.ts';
import { reportWatched, watchPage } from './failure-report.ts';

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);
test.describe.configure({ mode: 'serial' });

const IMG = '.tmp/e2e-cache-rpi.img';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MiB = 1024 * 1024;

let origin: string;
let server: RangeServer;
let browser: Browser;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
  server = await startRangeServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A fresh context of the file's browser (its own OPFS, IndexedDB and locks, empty; kept across
 * reloads, in memory — tech-notes §9), the app open on the Image step.
 */
async function open(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(stubSavePicker);
  const page = await context.newPage();
  watchPage(page);
  await page.goto(origin);
  await toImageStep(page);
  return { context, page };
}

async function toImageStep(page: Page): Promise<void> {
  await page.getByRole('option').first().waitFor();
  await page.locator('#device-search').fill('raspberrypi4-64');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Continue with/ }).click();
  await expect(page.locator('#step-heading')).toContainText('Image');
}

async function startDownload(page: Page, url: string, sha256 = ''): Promise<void> {
  await page.locator('#image-url').fill(url);
  await page.locator('#image-sha256').fill(sha256);
  await page.locator('#download-start').click();
}

/** The cache's records, read from IndexedDB in the page. */
function records(page: Page): Promise<{ id: string; url: string; state: string; size: number; sha256?: string; deviceType?: string; osVersion?: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('preflash-cache');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('images').objectStore('images').getAll();
          get.onsuccess = () => (db.close(), resolve(get.result));
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** The SHA-256 of a cached file, read back from OPFS in the page; null when it is not there. */
function opfsSha256(page: Page, id: string): Promise<string | null> {
  return page.evaluate(async (name) => {
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('preflash-cache');
      const file = await (await dir.getFileHandle(name)).getFile();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    } catch {
      return null;
    }
  }, id);
}

function opfsNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('preflash-cache', { create: true });
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  });
}

async function entryFor(page: Page, url: string) {
  const all = await records(page);
  const found = all.find((r) => r.url === url);
  if (!found) throw new Error(`no cache record for ${url}: ${JSON.stringify(all)}`);
  return found;
}

/**
 * Paced bodies for the drop tests: Chromium may discard body bytes it received but had not yet
 * handed to the reader when the connection errors, so an unpaced body can arrive as nothing at
 * all, and the (correct) restart from 0 would then show no Range request.
 */
const PACED = { chunk: 64 * 1024, delayMs: 10 };

test('a connection dropped halfway resumes with Range; the cached file is byte-identical to the source', async () => {
  const body = new Uint8Array(randomBytes(3 * MiB));
  server.files.set('/dropped.img.gz', { body, etag: '"drop-v1"', dropAfter: 1.5 * MiB, throttle: PACED });
  const { context, page } = await open();
  const url = server.url('/dropped.img.gz');
  await startDownload(page, url);
  await expect(page.locator('#download-done')).toContainText('Downloaded and cached', { timeout: 60_000 });
  const mine = server.requests.filter((r) => r.path === '/dropped.img.gz' && r.method === 'GET');
  expect(mine[0]).toMatchObject({ status: 200 });
  const resumed = mine.find((r) => r.range);
  expect(resumed).toMatchObject({ ifRange: '"drop-v1"', status: 206 });
  // From what had arrived before the cut (all 1.5 MiB unless the network lost some of it).
  const from = Number(/^bytes=(\d+)-$/.exec(resumed!.range!)?.[1]);
  expect(from).toBeGreaterThan(0);
  expect(from).toBeLessThanOrEqual(1.5 * MiB);
  const entry = await entryFor(page, url);
  expect(entry).toMatchObject({ state: 'complete', size: body.length, sha256: sha(body) });
  expect(await opfsSha256(page, entry.id)).toBe(sha(body));
  await expect(page.locator(`[data-cache-id="${entry.id}"]`)).toContainText(sha(body));
  await context.close();
});

test('a file that changed between the two requests restarts from zero (If-Range → 200) and the result is the new file', async () => {
  const v1 = new Uint8Array(randomBytes(2 * MiB));
  const v2 = new Uint8Array(randomBytes(2 * MiB + 4096));
  const path = '/changing.img.gz';
  server.files.set(path, { body: v1, etag: '"chg-v1"', dropAfter: MiB, throttle: PACED, onDrop: () => server.files.set(path, { body: v2, etag: '"chg-v2"' }) });
  const { context, page } = await open();
  const url = server.url(path);
  await startDownload(page, url);
  await expect(page.locator('#download-done')).toContainText('changed on the server', { timeout: 60_000 });
  const mine = server.requests.filter((r) => r.path === path && r.method === 'GET');
  const resumed = mine.findIndex((r) => r.range !== undefined);
  expect(mine[resumed]).toMatchObject({ ifRange: '"chg-v1"', status: 200 });
  expect(mine[resumed].range).toMatch(/^bytes=[1-9]\d*-$/);
  const entry = await entryFor(page, url);
  expect(entry).toMatchObject({ state: 'complete', size: v2.length, sha256: sha(v2) });
  expect(await opfsSha256(page, entry.id)).toBe(sha(v2));
  await context.close();
});

test('a reload mid-download resumes from the bytes already stored', async () => {
  const body = new Uint8Array(randomBytes(4 * MiB));
  const path = '/slow.img.xz';
  server.files.set(path, { body, lastModified: 'Mon, 30 Nov 2026 10:00:00 GMT', throttle: { chunk: 64 * 1024, delayMs: 60 } });
  const { context, page } = await open();
  const url = server.url(path);
  await startDownload(page, url);
  await expect(page.locator('#download-progress')).toBeVisible();
  await expect.poll(async () => (await records(page)).find((r) => r.url === url)?.size ?? 0, { timeout: 20_000 }).toBeGreaterThan(MiB / 2);
  const before = server.requests.length;
  await page.reload();
  await toImageStep(page);
  const row = page.locator('.entry', { hasText: 'slow.img.xz' });
  await expect(row).toContainText('Incomplete download');
  server.files.get(path)!.throttle = undefined;
  await row.getByRole('button', { name: /Resume the download/ }).click();
  await expect(page.locator('#download-done')).toContainText('Resumed after', { timeout: 60_000 });
  const after = server.requests.slice(before).filter((r) => r.path === path && r.method === 'GET');
  expect(after[0]).toMatchObject({ ifRange: 'Mon, 30 Nov 2026 10:00:00 GMT', status: 206 });
  expect(after[0].range).toMatch(/^bytes=[1-9]\d*-$/);
  const entry = await entryFor(page, url);
  expect(entry).toMatchObject({ state: 'complete', size: body.length, sha256: sha(body) });
  expect(await opfsSha256(page, entry.id)).toBe(sha(body));
  await context.close();
});

test('two tabs never download the same URL at once: the second waits, then uses the cached file', async () => {
  const body = new Uint8Array(randomBytes(2 * MiB));
  const path = '/shared.img';
  server.files.set(path, { body, etag: '"shared"', throttle: { chunk: 64 * 1024, delayMs: 40 } });
  const { context, page } = await open();
  const second = await context.newPage();
  await second.goto(origin);
  await toImageStep(second);
  const url = server.url(path);
  await startDownload(page, url);
  await expect(page.locator('#download-progress')).toBeVisible();
  await startDownload(second, url);
  await expect(second.getByRole('status').filter({ hasText: 'Another Preflash tab is downloading this URL' })).toBeVisible();
  await expect(page.locator('#download-done')).toBeVisible({ timeout: 60_000 });
  await expect(second.locator('#download-done')).toContainText('already in the cache', { timeout: 30_000 });
  expect(server.requests.filter((r) => r.path === path && r.method === 'GET')).toHaveLength(1);
  await context.close();
});

test('a cached image goes straight to Configure, builds, and the saved image passes fsck.fat -n', async () => {
  test.skip(!hasTools, 'needs sfdisk, mkfs.vfat, mtools, fsck.fat, nmcli, gzip');
  makeRaspberryPiImage(IMG);
  expect(spawnSync('gzip', ['-k', '-f', '-1', IMG]).status).toBe(0);
  const gz = new Uint8Array(readFileSync(`${IMG}.gz`));
  server.files.set('/balena-rpi4.img.gz', { body: gz, etag: '"rpi"', contentType: 'application/gzip' });
  const { context, page } = await open();
  const url = server.url('/balena-rpi4.img.gz');
  await startDownload(page, url, sha(gz).toUpperCase());
  await expect(page.locator('#download-done')).toContainText(sha(gz), { timeout: 60_000 });
  // Downloaded = used like a local file: inspected, and what inspect read is recorded with the entry.
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await expect.poll(async () => (await entryFor(page, url)).deviceType).toBe('raspberrypi4-64');
  // A new session: pick it from the cache.
  await page.reload();
  await toImageStep(page);
  const row = page.locator('.entry', { hasText: 'balena-rpi4.img.gz' });
  await expect(row).toContainText('raspberrypi4-64');
  await row.getByRole('button', { name: 'Use balena-rpi4.img.gz' }).click();
  await expect(page.locator('#step-heading')).toContainText('Configure');
  await page.locator('#field-hostname').fill('cached-07');
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await page.locator('#review-build').click();
  await page.getByLabel(/Same as the input/).check();
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await page.locator('#save-output').click();
  const { name, bytes: saved } = await savedByPicker(page);
  expect(name).toMatch(/\.img\.gz$/);
  const check = await checkSaved(saved, 'e2e-cache-saved', []);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe('cached-07');
  // The cached file itself is untouched by the build.
  expect(await opfsSha256(page, (await entryFor(page, url)).id)).toBe(sha(gz));
  await context.close();
});

test('a cached file evicted or damaged behind the app\'s back gives a clear message and downloads again', async () => {
  const body = new Uint8Array(randomBytes(200_000));
  server.files.set('/evicted.img', { body, etag: '"ev"' });
  const { context, page } = await open();
  const url = server.url('/evicted.img');
  await startDownload(page, url);
  await expect(page.locator('#download-done')).toBeVisible({ timeout: 30_000 });
  const { id } = await entryFor(page, url);
  // Damaged: same size, other bytes.
  await page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('preflash-cache');
    const writable = await (await dir.getFileHandle(name)).createWritable({ keepExistingData: true });
    await writable.write({ type: 'write', position: 0, data: new Uint8Array(16).fill(0xee) });
    await writable.close();
  }, id);
  const row = page.locator(`[data-cache-id="${id}"]`);
  await row.getByRole('button', { name: 'Use evicted.img' }).click();
  await expect(page.locator('#cache-problem')).toContainText('no longer matches its SHA-256');
  await expect(page.locator('#step-heading')).toContainText('Image');
  // Evicted: the file is gone.
  await page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('preflash-cache');
    await dir.removeEntry(name);
  }, id);
  await row.getByRole('button', { name: 'Use evicted.img' }).click();
  await expect(page.locator('#cache-problem')).toContainText("no longer in this browser's storage");
  await page.locator('#cache-problem').getByRole('button', { name: 'Download again' }).click();
  await expect(page.locator('#step-heading')).toContainText('Configure', { timeout: 30_000 });
  const again = await entryFor(page, url);
  expect(again.id).not.toBe(id);
  expect(await opfsSha256(page, again.id)).toBe(sha(body));
  await context.close();
});

test('a full quota stops the download with a clear message and leaves nothing that looks complete', async () => {
  server.files.set('/small.img', { body: new Uint8Array(randomBytes(64 * 1024)), etag: '"s"' });
  server.files.set('/big.img', { body: new Uint8Array(randomBytes(3 * MiB)), etag: '"big"' });
  const { context, page } = await open();
  await startDownload(page, server.url('/small.img'));
  await expect(page.locator('#download-done')).toBeVisible({ timeout: 30_000 });
  // Test-only: in the running download worker, writes fail as a full disk does after 1 MiB.
  const worker = page.workers().find((w) => /download/.test(w.url()));
  expect(worker, page.workers().map((w) => w.url()).join(', ')).toBeDefined();
  await worker!.evaluate(() => {
    const proto = FileSystemSyncAccessHandle.prototype;
    const write = proto.write;
    let written = 0;
    proto.write = function (this: FileSystemSyncAccessHandle, buffer: AllowSharedBufferSource, options?: FileSystemReadWriteOptions) {
      written += buffer.byteLength;
      if (written > 1024 * 1024) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return write.call(this, buffer, options);
    };
  });
  const url = server.url('/big.img');
  await startDownload(page, url);
  await expect(page.locator('#download-error')).toContainText('storage for this site is full', { timeout: 30_000 });
  expect((await records(page)).filter((r) => r.url === url)).toEqual([]);
  const small = await entryFor(page, server.url('/small.img'));
  await expect.poll(() => opfsNames(page)).toEqual([small.id, `${small.id}.json`].sort());
  await expect(page.locator('.entry', { hasText: 'big.img' })).toHaveCount(0);
  await context.close();
});

test('a server without CORS gets the plain message and the manual path; a wrong SHA-256 keeps nothing', async () => {
  const closed = await startRangeServer({ cors: false });
  try {
    closed.files.set('/nocors.img.gz', { body: new Uint8Array(1000), etag: '"n"' });
    const { context, page } = await open();
    const url = closed.url('/nocors.img.gz');
    await startDownload(page, url);
    const error = page.locator('#download-error');
    await expect(error).toContainText('does not allow downloads from web pages', { timeout: 30_000 });
    await expect(error).toContainText('download it yourself');
    await expect(error.getByRole('link', { name: 'open the file' })).toHaveAttribute('href', url);
    expect(await records(page)).toEqual([]);

    server.files.set('/wrong-sha.img', { body: new Uint8Array(randomBytes(100_000)), etag: '"w"' });
    await startDownload(page, server.url('/wrong-sha.img'), 'a'.repeat(64));
    await expect(error).toContainText(`not the ${'a'.repeat(64)} you gave`, { timeout: 30_000 });
    expect(await records(page)).toEqual([]);
    await expect(page.locator('#cache-empty')).toContainText('No images cached yet');
    await context.close();
  } finally {
    await closed.close();
  }
});

test('the cache view: details, a size cap that evicts the least recently used, persistent storage, no axe violations', async () => {
  const a = new Uint8Array(randomBytes(100_000));
  const b = new Uint8Array(randomBytes(100_000));
  server.files.set('/lru-a.img', { body: a, etag: '"a"' });
  server.files.set('/lru-b.img', { body: b, etag: '"b"' });
  const { context, page } = await open();
  await expect(page.locator('#cache-empty')).toContainText('No images cached yet');
  for (const path of ['/lru-a.img', '/lru-b.img']) {
    await startDownload(page, server.url(path));
    await expect(page.locator('#download-done')).toContainText(path.slice(1), { timeout: 30_000 });
  }
  const rowB = page.locator('.entry', { hasText: 'lru-b.img' });
  await expect(rowB).toContainText(server.url('/lru-b.img'));
  await expect(rowB).toContainText(sha(b));
  await expect(rowB).toContainText('100.0 KB');
  await expect(page.locator('#cache-usage')).toContainText('the browser allows it');
  expect(await axeViolations(page)).toEqual([]);
  // 150 KB holds one of the two: the least recently used (a) goes.
  const idA = (await entryFor(page, server.url('/lru-a.img'))).id;
  await page.locator('#cache-cap').fill('0.00015');
  await page.getByRole('button', { name: 'Save cap' }).click();
  await expect(page.locator('.entry', { hasText: 'lru-a.img' })).toHaveCount(0);
  await expect(rowB).toBeVisible();
  expect((await opfsNames(page)).some((n) => n.startsWith(idA))).toBe(false);
  await page.locator('#cache-persist').click();
  await expect(page.locator('#cache-persist-message')).toHaveText(/will keep these images|refused to keep storage/);
  await page.reload();
  await toImageStep(page);
  await expect(page.locator('#cache-cap')).toHaveValue('0.00015');
  await rowB.getByRole('button', { name: 'Delete lru-b.img from the cache' }).click();
  await expect(page.locator('#cache-empty')).toBeVisible();
  expect(await opfsNames(page)).toEqual([]);
  await context.close();
});
