/**
 * The page never blocks while an image is built, and its JS heap does not grow with the image
 * (Debian's Chromium). Images made at test time: a 256 MiB raw Raspberry Pi image (sparse) and a
 * 53 MiB one of the same layout. Each is read (inspect) and built into .img.gz, which makes the
 * worker read, re-encode and write the whole image into an origin-private file.
 *
 * - Long tasks: a PerformanceObserver('longtask', buffered) on the main thread from the first
 *   script. Tasks before the build (page start, hydration, the lazy catalogue and validator, the
 *   steps' first renders, and the inspection) are printed, not asserted. From pressing Build until
 *   the Done step shows, no main-thread task may exceed LONG_TASK_LIMIT_MS: Chromium reports only
 *   tasks over 50 ms, and the limit adds 50 ms of slack for a shared 2-core machine (the work itself
 *   is in the worker; the main thread only receives progress messages and renders the Done step).
 *   Measured here: no long task at all during the build in 3 runs of 4; one of 89 ms in a run
 *   while other jobs loaded the machine (that build took 2.4× as long).
 * - Heap: the page's JS heap (CDP Runtime.getHeapUsage after a forced GC) before the image is
 *   chosen and after the build; the growth must stay under HEAP_LIMIT_MB, and the 256 MiB image's
 *   growth within HEAP_SLACK_MB of the small one's (bounded, not proportional to the image).
 */
import { expect, test } from '@playwright/test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { balenaBootFiles, makeImage } from '../helpers/make-image.ts';
import { appServer } from './app-server.ts';
import { chooseDevice, openApp } from './app-page.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './chromium.ts';
import { reportWatched } from './failure-report.ts';

const LONG_TASK_LIMIT_MS = 100;
const HEAP_LIMIT_MB = 50;
const HEAP_SLACK_MB = 10;

test.skip(!hasChromium, `no Chromium at ${CHROMIUM}`);

let browser: Browser;
let origin: string;
let fixtures = false;
const BIG = '.tmp/e2e-longtask-256m.img';
const SMALL = '.tmp/e2e-longtask-53m.img';

function rpiImage(path: string, rootMiB: number, tailMiB: number): void {
  makeImage(path, {
    table: 'mbr',
    tailMiB,
    partitions: [
      { sizeMiB: 40, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '1'], files: balenaBootFiles('raspberrypi4-64', 'aarch64') } },
      { sizeMiB: rootMiB, type: '83' },
      { sizeMiB: rootMiB, type: '83' },
    ],
  });
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  origin = (await appServer()).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    rpiImage(BIG, 100, 12); // 4 + 40 + 100 + 100 + 12 = 256 MiB
    rpiImage(SMALL, 4, 1); // 4 + 40 + 4 + 4 + 1 = 53 MiB
    fixtures = true;
  } catch {
    fixtures = false;
  }
});

test.afterEach(async ({}, testInfo) => reportWatched(testInfo));

test.afterAll(async () => {
  await browser?.close();
});

/** Init script: every main-thread long task, from the first script on. */
function observeLongTasks(): void {
  const tasks: { start: number; duration: number }[] = [];
  (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

interface Run { inspect: number[]; heapBefore: number; heapAfter: number; before: number[]; during: number[]; duringAt: string[]; buildMs: number }

async function run(path: string): Promise<Run> {
  const { page, problems } = await openApp(browser, origin, {}, [observeLongTasks]);
  await chooseDevice(page);
  const heapBefore = await heapMB(page);
  const inspectStart = await page.evaluate(() => performance.now());
  await page.locator('#image-file').setInputFiles(path);
  await expect(page.locator('.report')).toContainText('labelled resin-boot', { timeout: 60_000 });
  const inspectEnd = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill('greenhouse-07');
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await page.locator('#review-build').click();
  await page.getByLabel('gzip (.img.gz)').check();
  await page.waitForTimeout(500); // let the step's own render settle before the window opens
  const start = await page.evaluate(() => performance.now());
  // (tasks are timed against the build's start: `duringAt` is "offset+duration" in ms)
  await page.locator('#build-start').click();
  await expect(page.locator('#step-heading')).toContainText('Done', { timeout: 120_000 });
  const end = await page.evaluate(() => performance.now());
  await expect(page.locator('.files')).toContainText('config.json');
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
  const heapAfter = await heapMB(page);
  expect(problems).toEqual([]);
  await page.context().close();
  const round = (n: number) => Math.round(n);
  return {
    heapBefore,
    heapAfter,
    before: tasks.filter((t) => t.start < start).map((t) => round(t.duration)),
    inspect: tasks.filter((t) => t.start >= inspectStart && t.start <= inspectEnd).map((t) => round(t.duration)),
    during: tasks.filter((t) => t.start >= start && t.start <= end).map((t) => round(t.duration)),
    duringAt: tasks.filter((t) => t.start >= start && t.start <= end).map((t) => `${round(t.start - start)}+${round(t.duration)}`),
    buildMs: round(end - start),
  };
}

test('a 256 MiB image is inspected and built with no main-thread task over the limit, and the heap does not grow with the image', async () => {
  test.setTimeout(300_000);
  test.skip(!fixtures, 'needs sfdisk, mkfs.vfat, mtools');
  const small = await run(SMALL);
  const big = await run(BIG);
  const growth = (r: Run) => r.heapAfter - r.heapBefore;
  const fmt = (r: Run) =>
    `build ${r.buildMs} ms; long tasks before the build [${r.before.join(', ')}] ms (while inspecting: [${r.inspect.join(', ')}]), during it [${r.duringAt.join(', ')}] ms; ` +
    `heap ${r.heapBefore.toFixed(1)} → ${r.heapAfter.toFixed(1)} MB (${growth(r) >= 0 ? '+' : ''}${growth(r).toFixed(1)} MB)`;
  console.log(`53 MiB image:  ${fmt(small)}\n256 MiB image: ${fmt(big)}`);
  for (const r of [small, big]) {
    expect(Math.max(0, ...r.during), 'longest main-thread task while building (ms)').toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
    expect(growth(r), 'heap growth (MB)').toBeLessThan(HEAP_LIMIT_MB);
  }
  expect(growth(big) - growth(small), 'heap growth of the 256 MiB image beyond the small one (MB)').toBeLessThan(HEAP_SLACK_MB);
});
