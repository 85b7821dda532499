/**
 * Issue 7 browser benchmark: the 1 GiB balenaOS-shaped .img.gz (built once by the compressed
 * benchmark's helper, cached in bench/.work) configured into .img.gz in Debian's Chromium through
 * the app's worker client, next to native `gzip -dc` of the same file and the browser's own copy
 * of it, all measured in this run. Timings are reports, never assertions.
 *
 * Goals (issue 7): the worker's part ≤ 0.05× `gzip -dc`; the whole build including the save
 * (FileSystemWritableFileStream.write(blob) into OPFS) ≤ 0.4×.
 *
 * BENCH_RUNS (default 3) runs, in one page and one worker: the first configure runs the codecs
 * cold (reported on its own too), the median is over all. BENCH_SAME_ONLY=1 skips the full decode
 * into OPFS. BENCH_PROFILE=<dir> records Chromium's CPU profile of the worker during each
 * configure into <dir> (open in DevTools) and prints where the time went. Nothing is written into
 * bench/.work once the image exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../tests/e2e/chromium.ts';
import { buildPage, servePage } from '../tests/e2e/serve-page.ts';
// The page's `window.preflashE2E` (its global declaration); erased at run time.
import type {} from '../tests/e2e/page/main.ts';
import { buildImage } from './compressed.ts';
import { benchSettings } from './configure-inplace.ts';
import { fmtS, median } from './stats.ts';
import { profileWorker, summarize, type WorkerProfiler } from './worker-profile.ts';

const work = resolve('bench/.work');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROFILE_DIR = process.env.BENCH_PROFILE;

export function ensureGzipImage(): string {
  mkdirSync(work, { recursive: true });
  const img = `${work}/bench-1g.img`;
  if (!existsSync(`${img}.gz`)) {
    console.log('building the 1 GiB image and compressing it with gzip -6 (once; cached in bench/.work)…');
    if (!existsSync(img)) buildImage(img);
    execFileSync('sh', ['-c', `gzip -6 -c '${img}' > '${img}.gz'`]);
  }
  return `${img}.gz`;
}

function timeNative(cmd: string): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync('sh', ['-c', `${cmd} > /dev/null`]);
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

export async function benchBrowser(): Promise<void> {
  if (!hasChromium) {
    console.log(`browser benchmark skipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  const gz = ensureGzipImage();
  const settings = benchSettings();
  const loadStart = loadavg();
  const gzipDc = timeNative(`gzip -dc '${gz}'`);
  const cp = timeNative(`cat '${gz}'`);

  const server = await servePage(await buildPage());
  const profile = mkdtempSync(join(tmpdir(), 'preflash-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.evaluate(() => window.preflashE2E.ready());
    await page.setInputFiles('#image', gz);
    let profiler: WorkerProfiler | undefined;
    if (PROFILE_DIR) {
      mkdirSync(PROFILE_DIR, { recursive: true });
      profiler = await profileWorker(page, 'image.worker');
    }

    const copy: number[] = [];
    const worker: number[] = [];
    const whole: number[] = [];
    let outBytes = 0;
    let decoded = 0;
    for (let i = 0; i < RUNS; i++) {
      copy.push((await page.evaluate(() => window.preflashE2E.copyPickedToOpfs('bench-copy.img.gz'))).ms);
      await profiler?.start();
      const t0 = performance.now();
      const r = await page.evaluate((s) => window.preflashE2E.configure({ output: 'same', settings: s }), settings);
      if ('error' in r) throw new Error(`configure failed: ${JSON.stringify(r.error)}`);
      if (profiler) reportProfile(await profiler.stop(), i, r.ms);
      const saved = await page.evaluate(() => window.preflashE2E.saveToOpfs('bench-out.img.gz'));
      whole.push(performance.now() - t0);
      worker.push(r.ms);
      if (saved.size !== r.output.size) throw new Error(`saved ${saved.size} bytes of a ${r.output.size}-byte output`);
      outBytes = r.output.size;
      decoded = r.summary.decodedBytes;
    }

    await profiler?.detach();

    // For issue 8: the full decode into OPFS through the worker's sync access handle, once.
    let decodeMs: number | undefined;
    if (!process.env.BENCH_SAME_ONLY) {
      const t1 = performance.now();
      const dec = await page.evaluate((s) => window.preflashE2E.configure({ output: 'raw', settings: s }), settings);
      decodeMs = 'error' in dec ? Number.NaN : performance.now() - t1;
      if (!('error' in dec)) await page.evaluate(() => window.preflashE2E.removeOutput());
    }

    const row = (name: string, ms: number, goal?: number) =>
      console.log(`  ${name.padEnd(64)} ${fmtS(ms).padStart(8)}   ${(ms / gzipDc).toFixed(3).padStart(6)}×${goal === undefined ? '' : `   (goal ≤ ${goal}×: ${ms / gzipDc <= goal ? 'met' : 'not met'})`}`);
    const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
    console.log(`\nBrowser (Chromium, ${(statSync(gz).size / 1e6).toFixed(0)} MB .img.gz of a ${(statSync(gz.replace(/\.gz$/, '')).size / 2 ** 30).toFixed(2)} GiB image), median of ${RUNS}; ratio = time / native gzip -dc; load average ${load(loadStart)} → ${load(loadavg())}:`);
    row('native gzip -dc (reference)', gzipDc);
    row('native cat of the .img.gz', cp);
    row("browser's own copy of the file into OPFS (createWritable)", median(copy));
    row('worker: configure .img.gz → .img.gz (until configure-done)', median(worker), 0.05);
    row('  the first of them (the codecs not yet optimised by V8)', worker[0]);
    row('whole build incl. save to OPFS (createWritable().write(blob))', median(whole), 0.4);
    if (decodeMs !== undefined) row('.img.gz → .img decoded into OPFS (sync access handle), once', decodeMs);
    console.log(`  (output ${(outBytes / 1e6).toFixed(1)} MB; the worker decoded ${(decoded / 1e6).toFixed(1)} MB of image)`);
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** One configure's worker profile: saved for DevTools, and where its time went. */
function reportProfile(profile: Parameters<typeof summarize>[0], run: number, ms: number): void {
  const file = join(PROFILE_DIR!, `worker-configure-${run + 1}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const s = summarize(profile, 8);
  console.log(`run ${run + 1}: ${ms.toFixed(0)} ms in the page; the worker ran from first to last sample ${s.busySpanMs.toFixed(0)} ms, idle inside ${s.idleMs.toFixed(0)} ms (waiting for reads), GC ${s.gcMs.toFixed(0)} ms (${file})`);
  for (const t of s.top) console.log(`  ${t.ms.toFixed(1).padStart(7)} ms  ${t.name}`);
}
