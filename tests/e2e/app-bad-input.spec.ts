/**
 * Bad input in the app (Debian's Chromium), each on files made at test time: the page names the
 * problem beside the step it belongs to, says what to do, and stays usable (no page error).
 * - an archive with several images: the Image step lists them, the user picks one, the build uses it;
 * - not an image (a text file, a PNG); another OS's image (FAT/MBR, no balenaOS boot partition);
 * - an image for another device than the one chosen (a warning);
 * - a truncated .img.gz and a corrupt one (bytes flipped);
 * - the disk filling up while saving (the save file's write rejects with QuotaExceededError);
 * - the built output removed from the origin-private file system before it was saved.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeBalenaImage, makeImage } from '../helpers/make-image.ts';
import { gzipBytesFor, makeRaspberryPiImage, RPI_BOOT_END } from './e2e-images.ts';
import { appServer } from './app-server.ts';
import { chooseDevice, opfsNames, openApp } from './app-page.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { checkSaved, hasTools } from './saved-image.ts';
import { reportWatched } from './failure-report.ts';

const DIR = '.tmp/e2e-bad';
const F = {
  rpi: `${DIR}/rpi.img`,
  jetson: `${DIR}/jetson.img`,
  two: `${DIR}/two-images.zip`,
  text: `${DIR}/notes.txt`,
  png: `${DIR}/photo.png`,
  otherOs: `${DIR}/other-os.img`,
  cut: `${DIR}/cut.img.gz`,
  flipped: `${DIR}/flipped.img.gz`,
};

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);

let browser: Browser;
let origin: string;
let fixtures = false;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(F.text, 'Shopping list\n'.repeat(400));
  // A PNG signature and header chunk, then noise: bigger than a sector, nothing like a disk.
  writeFileSync(F.png, Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(8192)]));
  try {
    makeRaspberryPiImage(F.rpi);
    makeBalenaImage(F.jetson, 'jetson-nano');
    // Another OS: an MBR disk with a FAT partition that is not balenaOS's (no resin-boot, no device-type.json).
    makeImage(F.otherOs, { table: 'mbr', partitions: [{ sizeMiB: 16, type: 'c', bootable: true, fs: { fat: 16, label: 'BOOT', files: { 'readme.txt': 'another OS\n' } } }, { sizeMiB: 8, type: '83' }] });
    // Two images in one zip: the Jetson one first, so picking the second proves the choice is used.
    copyFileSync(F.jetson, `${DIR}/b-jetson.img`);
    copyFileSync(F.rpi, `${DIR}/a-rpi.img`);
    const zipped = spawnSync('zip', ['-q', '-1', '-j', F.two, `${DIR}/b-jetson.img`, `${DIR}/a-rpi.img`]);
    const gz = spawnSync('gzip', ['-1', '-c', F.rpi], { maxBuffer: 1 << 30 });
    const whole = gz.stdout as Buffer;
    // Cut halfway between the end of the boot partition's compressed bytes and the end of the
    // file: reading the boot partition works, decoding the rest finds the truncation.
    const bootGz = await gzipBytesFor(whole, RPI_BOOT_END);
    writeFileSync(F.cut, whole.subarray(0, (bootGz + whole.length) >> 1));
    const flipped = Buffer.from(whole);
    for (let i = flipped.length / 3 | 0, end = i + 64; i < end; i++) flipped[i] ^= 0xff;
    writeFileSync(F.flipped, flipped);
    fixtures = zipped.status === 0 && gz.status === 0;
  } catch {
    fixtures = false;
  }
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

async function toConfigure(page: Page, hostname = 'greenhouse-07'): Promise<void> {
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill(hostname);
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await page.locator('#review-build').click();
  await expect(page.locator('#step-heading')).toContainText('Build');
}

test('an archive with two images: the Image step lists both, the user picks the second, the build configures that one', async () => {
  test.skip(!fixtures || !hasTools, 'needs sfdisk, mkfs.vfat, mtools, zip, fsck.fat');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(F.two);
  const picker = page.getByRole('group', { name: 'Which disk image in the archive?' });
  await expect(picker).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.report')).toContainText('The archive holds several disk images (b-jetson.img, a-rpi.img); choose one.');
  await expect(picker.getByRole('radio')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Read this image' })).toBeDisabled();
  await picker.getByRole('radio', { name: 'a-rpi.img' }).check();
  await page.getByRole('button', { name: 'Read this image' }).click();
  const report = page.locator('.report');
  await expect(report).toContainText('zip (a-rpi.img)', { timeout: 60_000 });
  await expect(report).toContainText('MBR');
  await expect(report).toContainText('raspberrypi4-64');
  await expect(page.locator('#device-mismatch')).toHaveCount(0);
  await toConfigure(page);
  await page.getByLabel(/Uncompressed/).check();
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await page.locator('#save-output').click();
  const name = (await (await page.waitForFunction(() => (window as unknown as { __saved?: string }).__saved, undefined, { timeout: 60_000 })).jsonValue()) as string;
  expect(name).toBe('saved-two-images-configured.img');
  // Take the saved file (~63 MB) back as a download and check its boot partition with the tools.
  const check = await checkSaved(await downloadOpfs(page, name), 'e2e-bad-member', []);
  expect(check.fsck.status, check.fsck.output).toBe(0);
  expect(check.configJson.hostname).toBe('greenhouse-07');
  expect(check.configJson.deviceType).toBe('raspberrypi4-64');
  expect(problems).toEqual([]);
  await page.context().close();
});

/**
 * An OPFS file handed to Playwright as a download of the file itself (the browser writes it to
 * disk natively, where reading it back through page.evaluate would cost a base64 string of every
 * byte): its path, whose MBR and boot partition checkSaved reads (not the ~110 MB around them).
 */
async function downloadOpfs(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(async (n) => {
      const file = await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile();
      const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(file), download: n });
      a.click();
    }, name),
  ]);
  return (await download.path())!;
}

for (const [what, file, message] of [
  ['a text file', F.text, 'it is not a disk image'],
  ['a PNG picture', F.png, 'it is not a disk image'],
] as const) {
  test(`not an image (${what}): the Image step names the problem and says what to choose; another file can be chosen`, async () => {
    const { page, problems } = await openApp(browser, origin);
    await chooseDevice(page);
    await page.locator('#image-file').setInputFiles(file);
    const problem = page.locator('#image-problem');
    await expect(problem).toBeVisible({ timeout: 30_000 });
    await expect(problem).toHaveAttribute('role', 'alert');
    await expect(problem).toContainText(message);
    await expect(problem).toContainText('Choose the balenaOS image itself');
    // The way on: the demo image (or any other file) replaces it.
    await page.locator('#use-demo-image').click();
    await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
    await expect(problem).toHaveCount(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
}

test("another OS's image (FAT on MBR, no balenaOS boot partition): a danger note says it may not be balenaOS", async () => {
  test.skip(!fixtures, 'needs sfdisk, mkfs.vfat, mtools');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(F.otherOs);
  const note = page.locator('.report .note.danger');
  await expect(note).toContainText('This may not be a balenaOS image: WARNING: could not identify the boot partition', { timeout: 30_000 });
  await expect(note).toContainText('Check that this is a balenaOS image before writing to it.');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('an image for another device than the one chosen: a warning naming both, with the way back', async () => {
  test.skip(!fixtures, 'needs sfdisk, mkfs.vfat, mtools');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(F.jetson);
  const warning = page.locator('#device-mismatch');
  await expect(warning).toContainText('This image is for jetson-nano, but you chose', { timeout: 30_000 });
  await expect(warning).toContainText('raspberrypi4-64');
  await expect(warning).toContainText('go back to Device');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('a truncated .img.gz (cut after its boot partition): a build that decodes it all (.img, or any with the input check) fails naming the truncation; Build stays usable', async () => {
  test.skip(!fixtures, 'needs sfdisk, mkfs.vfat, mtools, gzip');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(F.cut);
  // The boot partition lies before the cut: reading it works.
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await toConfigure(page);
  await page.getByLabel(/Uncompressed/).check();
  await page.locator('#build-start').click();
  const problem = page.locator('#build-problem');
  await expect(problem).toContainText('The archive ends early, inside the gzip data', { timeout: 90_000 });
  await expect(problem).toContainText('it is truncated');
  await expect(problem).toContainText('download the image again');
  await expect(page.locator('#build-start')).toBeEnabled();
  await expect.poll(() => opfsNames(page), { timeout: 10_000 }).toEqual([]);
  // In its own format a build splices: it copies the damaged tail unread. Checking the whole input
  // finds the truncation there too.
  await page.getByLabel(/Same as the input/).check();
  await page.locator('#build-verify').check();
  await page.locator('#build-start').click();
  await expect(page.locator('#build-problem')).toContainText('The archive ends early, inside the gzip data', { timeout: 90_000 });
  await expect(page.locator('#step-heading')).toContainText('Build');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('a corrupt .img.gz (64 bytes flipped): the build names the corruption and says to download again', async () => {
  test.skip(!fixtures, 'needs sfdisk, mkfs.vfat, mtools, gzip');
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#image-file').setInputFiles(F.flipped);
  // The flipped bytes lie a third into the file: either the reading or the build finds them.
  const either = page.locator('#image-problem, .report dl');
  await expect(either.first()).toBeVisible({ timeout: 60_000 });
  let problem = page.locator('#image-problem');
  if (!(await problem.count())) {
    await toConfigure(page);
    await page.getByLabel(/Uncompressed/).check();
    await page.locator('#build-start').click();
    problem = page.locator('#build-problem');
  }
  await expect(problem).toContainText(/The compressed data of the gzip data is corrupt|CRC/, { timeout: 90_000 });
  await expect(problem).toContainText('download the image again');
  expect(problems).toEqual([]);
  await page.context().close();
});

/** Init script: the stubbed save file's write rejects as a full disk does. */
function diskFullPicker(): void {
  (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => ({
    kind: 'file',
    name: suggestedName,
    createWritable: async () => {
      const root = await navigator.storage.getDirectory();
      const real = await (await root.getFileHandle(`saved-${suggestedName}`, { create: true })).createWritable();
      return {
        write: async () => {
          throw new DOMException('The disk is full.', 'QuotaExceededError');
        },
        close: () => real.close(),
        abort: async () => {
          (window as unknown as { __aborted: boolean }).__aborted = true;
          await real.abort();
        },
      };
    },
  });
}

test('the disk fills up while saving: the Done step says the disk is full and keeps no partial file; Save can be pressed again', async () => {
  const { page, problems } = await openApp(browser, origin, {}, [diskFullPicker]);
  await chooseDevice(page);
  await page.locator('#use-demo-image').click();
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await toConfigure(page);
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await page.locator('#save-output').click();
  const problem = page.locator('#save-problem');
  await expect(problem).toContainText('the disk is full');
  await expect(problem).toContainText('Free some space');
  expect(await page.evaluate(() => (window as unknown as { __aborted?: boolean }).__aborted)).toBe(true);
  await expect(page.locator('#save-output')).toBeEnabled();
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the built output removed from OPFS before saving: the Done step says it is gone and offers to build again', async () => {
  const { page, problems } = await openApp(browser, origin);
  await chooseDevice(page);
  await page.locator('#use-demo-image').click();
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  await toConfigure(page);
  // A .gz saved as .img is decoded in full into an origin-private file.
  await page.getByLabel(/Uncompressed/).check();
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  const outputs = (await opfsNames(page)).filter((n) => n.startsWith('preflash-'));
  expect(outputs).toHaveLength(1);
  // What a browser evicting the origin's storage (or the user clearing site data) does.
  await page.evaluate(async (name) => (await navigator.storage.getDirectory()).removeEntry(name), outputs[0]);
  await page.locator('#save-output').click();
  const problem = page.locator('#save-problem');
  await expect(problem).toContainText('the built image is gone');
  await problem.getByRole('button', { name: 'Build again' }).click();
  await expect(page.locator('#step-heading')).toContainText('Build');
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 90_000 });
  await page.locator('#save-output').click();
  await page.waitForFunction(() => (window as unknown as { __saved?: string }).__saved, undefined, { timeout: 30_000 });
  expect(problems).toEqual([]);
  await page.context().close();
});
