/**
 * Issue 8 app benchmark: the 1 GiB balenaOS-shaped .img.gz (cached in bench/.work by the
 * compressed benchmark's helper) configured into .img.gz through the built app in Debian's
 * Chromium, as a person would: Raspberry Pi 4, the file chosen, a hostname and a Wi‑Fi network,
 * Review, "Same as the input", Build, Save (showSaveFilePicker stubbed with an OPFS file, as the
 * e2e specs do). Timed in the page from the Build click (a capture listener) until the saved
 * writable's close() resolves (the stub), next to native `gzip -dc` of the same file, interleaved
 * in the same run. The page's JS heap (CDP, after a forced GC) is read before the image is chosen
 * and after the save. The first run's saved file is read back (as a download of the OPFS file) and
 * checked: `gzip -t`, then its boot partition with fsck.fat -n, mtools and nmcli --offline.
 * Timings are reports, never assertions.
 *
 * Goals (issue 8): the whole ≤ 0.4× `gzip -dc`; the heap within 50 MB of where it started.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { appServer } from '../tests/e2e/app-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../tests/e2e/chromium.ts';
import { checkSavedImage, hasTools } from '../tests/e2e/saved-image.ts';
import { ensureGzipImage } from './browser.ts';
import { fmtS, median } from './stats.ts';

const RUNS = 3;
const HOSTNAME = 'bench-app-07';
const SSID = 'home';
const PASSPHRASE = 'tomatoes-and-basil-2024';
const HEAP_GOAL_MB = 50;
const RATIO_GOAL = 0.4;

interface Marks { __buildClick?: number; __saveShown?: number; __saveClick?: number; __closed?: number; __saved?: string }

/**
 * Init script: the save picker stubbed with an OPFS file whose close() is timed, and capture
 * listeners timing the Build and Save clicks and the moment the Save button appears.
 */
function instrument(): void {
  const w = window as unknown as Marks & { showSaveFilePicker: unknown };
  w.showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => {
    const root = await navigator.storage.getDirectory();
    const name = `saved-${suggestedName}`;
    const handle = await root.getFileHandle(name, { create: true });
    return {
      kind: 'file',
      name,
      createWritable: async () => {
        const writable = await handle.createWritable();
        const close = writable.close.bind(writable);
        writable.close = async () => {
          await close();
          w.__closed = performance.now();
          w.__saved = name;
        };
        return writable;
      },
    };
  };
  document.addEventListener('click', (e) => {
    const id = (e.target as Element | null)?.closest?.('button')?.id;
    if (id === 'build-start') w.__buildClick = performance.now();
    if (id === 'save-output') w.__saveClick = performance.now();
  }, { capture: true });
  new MutationObserver(() => {
    if (w.__buildClick !== undefined && w.__saveShown === undefined && document.getElementById('save-output')) w.__saveShown = performance.now();
  }).observe(document, { childList: true, subtree: true });
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function clearOpfs(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const names: string[] = [];
    for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    for (const name of names) await root.removeEntry(name, { recursive: true });
  });
}

const text = (page: Page, selector: string, hasText: string | RegExp, timeout = 30_000) => page.locator(selector, { hasText }).first().waitFor({ timeout });

interface Run { ms: number; buildMs: number; saveMs: number; heapBefore: number; heapAfter: number; saved: string; problems: string[] }

/** One run on a fresh page: device, image, form, review, build, save. */
async function run(context: BrowserContext, origin: string): Promise<{ run: Run; page: Page }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(origin);
  await clearOpfs(page);

  await page.getByRole('option').first().waitFor();
  await page.locator('#device-search').fill('raspberrypi4-64');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Continue with/ }).click();
  await text(page, '#step-heading', 'Image');

  const heapBefore = await heapMB(page);
  await page.locator('#image-file').setInputFiles(ensureGzipImage());
  await text(page, '.report', 'labelled resin-boot', 120_000);
  await page.getByRole('button', { name: 'Continue to Configure' }).click();
  await page.locator('#field-hostname').fill(HOSTNAME);
  await page.locator('#wifi-add').click();
  await page.locator('#field-network-wifi-0-ssid').fill(SSID);
  await page.locator('#field-network-wifi-0-passphrase').fill(PASSPHRASE);
  await text(page, '[role=status]', 'The settings are valid.');
  await page.getByRole('button', { name: 'Review', exact: true }).last().click();
  await text(page, '#step-heading', 'Review');
  await text(page, '.preview', `system-connections/wifi-${SSID}`);
  await page.locator('#review-build').click();
  await text(page, '#step-heading', 'Build');
  await page.getByLabel(/Same as the input/).check();

  await page.locator('#build-start').click();
  await text(page, '#step-heading', 'Done', 300_000);
  await page.locator('#save-output').click();
  await page.waitForFunction(() => (window as unknown as Marks).__closed, undefined, { timeout: 120_000, polling: 100 }).catch(async (error: Error) => {
    const main = await page.locator('main').innerText().catch(() => '');
    throw new Error(`${error.message}\nthe page shows: ${main.slice(0, 1500)}\nproblems: ${problems.join(' | ')}`);
  });
  const m = await page.evaluate(() => {
    const w = window as unknown as Marks;
    return { buildClick: w.__buildClick!, saveShown: w.__saveShown!, saveClick: w.__saveClick!, closed: w.__closed!, saved: w.__saved! };
  });
  const heapAfter = await heapMB(page);
  return {
    page,
    run: { ms: m.closed - m.buildClick, buildMs: m.saveShown - m.buildClick, saveMs: m.closed - m.saveClick, heapBefore, heapAfter, saved: m.saved, problems },
  };
}

/** The saved OPFS file, as a download onto disk; `gzip -t`; its boot partition through fsck.fat, mtools and nmcli. */
async function checkSaved(page: Page, name: string, dir: string): Promise<string> {
  const path = join(dir, 'saved.img.gz');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.evaluate(async (n) => {
      const file = await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(file);
      a.download = n;
      a.click();
    }, name),
  ]);
  await download.saveAs(path);
  execFileSync('gzip', ['-t', path]);
  const notes = [`gzip -t passed on the ${(statSync(path).size / 1e6).toFixed(1)} MB saved file`];
  if (!hasTools) return `${notes[0]} (no fsck.fat/mtools/nmcli for the boot partition)`;
  // The boot partition lies in the first 44 MiB (4 MiB of table, 40 MiB of FAT32).
  const head = execFileSync('sh', ['-c', `gzip -dc '${path}' | head -c ${48 * 2 ** 20}`], { maxBuffer: 64 * 2 ** 20 });
  mkdirSync('.tmp', { recursive: true });
  const check = checkSavedImage(new Uint8Array(head), 'bench-app-saved', [`wifi-${SSID}`]);
  const fails: string[] = [];
  if (check.fsck.status !== 0) fails.push(`fsck.fat -n: ${check.fsck.output}`);
  if (check.configJson.hostname !== HOSTNAME) fails.push(`config.json hostname ${JSON.stringify(check.configJson.hostname)}`);
  if (!check.profiles[`wifi-${SSID}`]?.includes(`psk=${PASSPHRASE}`)) fails.push('the Wi‑Fi profile has no psk');
  if (check.nmcli[`wifi-${SSID}`]?.status !== 0) fails.push(`nmcli --offline: ${check.nmcli[`wifi-${SSID}`]?.stderr}`);
  rmSync('.tmp/bench-app-saved.img', { force: true });
  rmSync('.tmp/bench-app-saved-boot.fat', { force: true });
  if (fails.length) throw new Error(`the saved image is wrong: ${fails.join('; ')}`);
  return `${notes[0]}; fsck.fat -n clean, config.json hostname ${HOSTNAME}, nmcli --offline parses wifi-${SSID}`;
}

function timeGzipDc(gz: string): number {
  const t0 = performance.now();
  execFileSync('sh', ['-c', `gzip -dc '${gz}' > /dev/null`]);
  return performance.now() - t0;
}

export async function benchApp(): Promise<void> {
  if (!hasChromium) {
    console.log(`app benchmark skipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  const gz = ensureGzipImage();
  const loadStart = loadavg();
  const { origin } = await appServer();
  const profile = mkdtempSync(join(tmpdir(), 'preflash-bench-app-'));
  // A persistent profile: OPFS on disk, as in a normal window (not an incognito-like context).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 900 }, acceptDownloads: true,
  });
  const gzipDc: number[] = [];
  const runs: Run[] = [];
  let check = '';
  try {
    // tsx (esbuild, keepNames) wraps named functions in `__name(…)`, which the page lacks.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await context.addInitScript(instrument);
    for (let i = 0; i < RUNS; i++) {
      gzipDc.push(timeGzipDc(gz));
      const { run: r, page } = await run(context, origin);
      runs.push(r);
      if (i === 0) check = await checkSaved(page, r.saved, profile);
      await clearOpfs(page);
      await page.close();
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const loadEnd = loadavg();

  const ref = median(gzipDc);
  const row = (name: string, ms: number, goal?: number) =>
    console.log(`  ${name.padEnd(64)} ${fmtS(ms).padStart(8)}   ${(ms / ref).toFixed(3).padStart(6)}×${goal === undefined ? '' : `   (goal ≤ ${goal}×: ${ms / ref <= goal ? 'met' : 'not met'})`}`);
  const mb = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MB`;
  const growth = runs.map((r) => r.heapAfter - r.heapBefore);
  const worst = growth.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
  console.log(`\nApp (built app in Chromium, ${(statSync(gz).size / 1e6).toFixed(0)} MB .img.gz → .img.gz, Raspberry Pi 4, hostname + Wi‑Fi), median of ${RUNS}, interleaved with gzip -dc; ratio = time / native gzip -dc:`);
  row('native gzip -dc (reference)', ref);
  row('Build click → Save button shown (the worker\'s build)', median(runs.map((r) => r.buildMs)));
  row('Save click → saved writable closed (createWritable().write(blob))', median(runs.map((r) => r.saveMs)));
  row('Build click → saved file closed (whole)', median(runs.map((r) => r.ms)), RATIO_GOAL);
  console.log(`  runs (whole): ${runs.map((r) => fmtS(r.ms)).join(', ')}; gzip -dc: ${gzipDc.map(fmtS).join(', ')}`);
  console.log(`  JS heap before choosing the image → after the save: ${runs.map((r) => `${r.heapBefore.toFixed(1)} → ${r.heapAfter.toFixed(1)} MB (${mb(r.heapAfter - r.heapBefore)})`).join('; ')}`);
  console.log(`  heap growth median ${mb(median(growth))}, largest ${mb(worst)}   (goal within ${HEAP_GOAL_MB} MB: ${Math.abs(worst) <= HEAP_GOAL_MB ? 'met' : 'not met'})`);
  console.log(`  saved output (run 1): ${check}`);
  const problems = runs.flatMap((r) => r.problems);
  if (problems.length) console.log(`  page problems: ${problems.join(' | ')}`);
  console.log(`  load average before ${loadStart.map((x) => x.toFixed(2)).join(' ')}, after ${loadEnd.map((x) => x.toFixed(2)).join(' ')} (2 cores)`);
}
