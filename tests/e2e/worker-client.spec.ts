/**
 * The worker client in a real browser (Debian's Chromium): a fixture image made at test time is
 * picked in a file input, configured through src/app/worker-client.ts, saved the app's ways (an
 * OPFS writable and a download), and checked with the field's tools: the CLI's bytes, fsck.fat -n,
 * mtools, gzip -t. Cancelling mid-build leaves nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { cli } from '../helpers/cli.ts';
import { balenaBootFiles, makeImage } from '../helpers/make-image.ts';
import { hasTools, run, runOk } from '../helpers/tools.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'mtype', 'fsck.fat', 'gzip');
test.skip(!hasChromium || !tools, `needs ${CHROMIUM} and sfdisk, mkfs.vfat, mtools, fsck.fat, gzip`);

const settings = { version: 1, hostname: 'browser-built', network: { wifi: [{ ssid: 'Lab', passphrase: 'lab-passphrase' }] }, ssh: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop'] } };
const EPOCH = '1700000000';
let dir = '';
let bootOffset = 0;
let context: BrowserContext;
let page: Page;
const path = (name: string) => join(dir, name);

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflash-e2e-'));
  bootOffset = makeSmallBalenaImage(path('rpi.img'));
  runOk('gzip', ['-k', '-1', path('rpi.img')]);
  writeFileSync(path('settings.json'), JSON.stringify(settings));
  // OPFS is kept on disk only in a persistent profile (tech-notes §9).
  context = await chromium.launchPersistentContext(path('profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(process.env.PREFLASH_E2E_URL!);
  await page.evaluate(() => window.preflashE2E.ready());
});

test.afterAll(async () => {
  await context?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A Raspberry Pi–shaped balenaOS image kept small (FAT16 boot) so the whole spec stays fast. */
function makeSmallBalenaImage(to: string): number {
  return makeImage(to, {
    table: 'mbr',
    partitions: [
      { sizeMiB: 16, type: 'e', bootable: true, fs: { fat: 16, label: 'resin-boot', files: { ...balenaBootFiles('raspberrypi4-64', 'aarch64'), 'config.txt': 'disable_splash=1\n' } } },
      { sizeMiB: 8, type: '83', fs: { ext4: 'resin-rootA' } },
      { sizeMiB: 4, type: '83' },
      { sizeMiB: 4, type: '83', logical: true, fs: { ext4: 'resin-state' } },
      { sizeMiB: 4, type: '83', logical: true },
    ],
  }).offsets[0];
}

async function cliOutput(input: string, output: string): Promise<Buffer> {
  const r = await cli(['configure', path(input), '--settings', path('settings.json'), '-o', path(output)], { SOURCE_DATE_EPOCH: EPOCH });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(path(output));
}

async function download(to: string): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.preflashE2E.download())]);
  await dl.saveAs(path(to));
  return readFileSync(path(to));
}

function checkBootFs(image: string): void {
  const fat = readFileSync(path(image)).subarray(bootOffset, bootOffset + 16 * 2 ** 20);
  writeFileSync(path('boot.fat'), fat);
  const fsck = run('fsck.fat', ['-n', '-V', path('boot.fat')]);
  expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
  expect(fsck.stdout + fsck.stderr).not.toMatch(/differ|wrong|Invalid|corrupt|Free cluster summary/i);
  const config = JSON.parse(runOk('mtype', ['-i', `${path(image)}@@${bootOffset}`, '::/config.json']));
  expect(config).toMatchObject({ hostname: 'browser-built', os: { sshKeys: [settings.ssh.authorizedKeys[0]] } });
  expect(runOk('mtype', ['-i', `${path(image)}@@${bootOffset}`, '::/system-connections/wifi-lab'])).toContain('ssid=Lab');
}

test('a raw image comes back as a Blob of input slices, saves through an OPFS writable and as a download, equal to the CLI output', async () => {
  await page.setInputFiles('#image', path('rpi.img'));
  const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'same', settings: s, deviceSlug: 'raspberrypi4-64' }), settings);
  if ('error' in r) throw new Error(JSON.stringify(r.error));
  expect(r.summary).toMatchObject({ inputFormat: 'raw', outputFormat: 'raw', partition: { index: 1, rule: 'fat-label' }, fatType: 16, imageDeviceType: 'raspberrypi4-64' });
  expect(r.output).toMatchObject({ kind: 'blob', fileName: 'rpi-configured.img' });
  expect(r.progress.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.preflashE2E.saveToOpfs('saved.img'))).toMatchObject({ size: r.output.size });
  const saved = await download('browser.img');
  expect(saved.equals(await cliOutput('rpi.img', 'cli.img'))).toBe(true);
  checkBootFs('browser.img');
});

test('a .img.gz is spliced into .img.gz: gzip -t passes and it decodes to the CLI output', async () => {
  await page.setInputFiles('#image', path('rpi.img.gz'));
  const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'same', settings: s }), settings);
  if ('error' in r) throw new Error(JSON.stringify(r.error));
  expect(r.summary).toMatchObject({ inputFormat: 'gzip', outputFormat: 'gzip' });
  expect(r.output).toMatchObject({ kind: 'blob', fileName: 'rpi-configured.img.gz' });
  const last = r.progress.at(-1)!;
  expect(last.total).toBe(readFileSync(path('rpi.img.gz')).length);
  const saved = await download('browser.img.gz');
  runOk('gzip', ['-t', path('browser.img.gz')]);
  expect(gunzipSync(saved).equals(gunzipSync(await cliOutput('rpi.img.gz', 'cli.img.gz')))).toBe(true);
});

test('a .img.gz saved as .img is written into OPFS through a sync access handle, saved, then removed', async () => {
  await page.setInputFiles('#image', path('rpi.img.gz'));
  const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'raw', settings: s }), settings);
  if ('error' in r) throw new Error(JSON.stringify(r.error));
  expect(r.output).toMatchObject({ kind: 'opfs', fileName: 'rpi-configured.img' });
  expect(await page.evaluate(() => window.preflashE2E.opfsNames())).toContain(r.output.opfsName);
  const saved = await download('browser-dec.img');
  expect(saved.equals(await cliOutput('rpi.img.gz', 'cli-dec.img'))).toBe(true);
  checkBootFs('browser-dec.img');
  await page.evaluate(() => window.preflashE2E.removeOutput());
  expect(await page.evaluate(() => window.preflashE2E.opfsNames())).not.toContain(r.output.opfsName);
});

test('cancelling mid-build rejects with ABORTED, leaves no OPFS file, and the client keeps working', async () => {
  await page.setInputFiles('#image', path('rpi.img.gz'));
  const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'raw', settings: s, cancelWhenWriting: true }), settings);
  expect(r).toMatchObject({ error: { code: 'ABORTED' } });
  expect(r.progress.some((p) => p.phase === 'write' && (p.written ?? 0) > 0)).toBe(true);
  expect(await page.evaluate(() => window.preflashE2E.workersCreated())).toBe(1); // the worker saw the cancel itself
  expect((await page.evaluate(() => window.preflashE2E.opfsNames())).filter((n) => n.startsWith('preflash-'))).toEqual([]);
  expect(await page.evaluate(() => window.preflashE2E.checkSettings({ version: 1, hostname: 'Bad_Name' }))).toMatchObject({ ok: false, issues: [{ path: 'hostname' }] });
});

test('a worker terminated while writing leaves no OPFS file either: the client sweeps its own', async () => {
  await page.setInputFiles('#image', path('rpi.img.gz'));
  const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'raw', settings: s, terminateWhenWriting: true }), settings);
  expect(r).toMatchObject({ error: { code: 'ABORTED' } });
  await expect.poll(async () => (await page.evaluate(() => window.preflashE2E.opfsNames())).filter((n) => n.startsWith('preflash-')), { timeout: 5000 }).toEqual([]);
  expect(await page.evaluate(() => window.preflashE2E.workersCreated())).toBe(1);
  expect(await page.evaluate(() => window.preflashE2E.checkSettings({ version: 1 }))).toMatchObject({ ok: true });
  expect(await page.evaluate(() => window.preflashE2E.workersCreated())).toBe(2);
});

test('inspect, key info, and a malformed request answered with INTERNAL', async () => {
  await page.setInputFiles('#image', path('rpi.img'));
  const inspected = await page.evaluate(() => window.preflashE2E.inspect());
  expect(inspected).toMatchObject({ format: 'raw', report: { configPartition: { index: 1 } } });
  const key = await page.evaluate((k) => window.preflashE2E.keyInfo(k), settings.ssh.authorizedKeys[0]);
  const keygen = run('ssh-keygen', ['-l', '-f', '-'], { input: settings.ssh.authorizedKeys[0] });
  expect(key).toMatchObject({ ok: true, type: 'ssh-ed25519', bits: 256 });
  if (keygen.status === 0 && key.ok) expect(keygen.stdout).toContain(key.fingerprint);
  const events = await page.evaluate(() => window.preflashE2E.rawRequest({ type: 'inspekt', id: 9 }));
  expect(events).toEqual([{ type: 'ready' }, expect.objectContaining({ type: 'error', id: 9, code: 'INTERNAL', detail: { field: 'type' } })]);
});
