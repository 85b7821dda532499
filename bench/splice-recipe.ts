/**
 * Issue 7 measurement, in process: what `preflash configure <in> -o <out>` does for a .gz/.zip
 * (open, plan the configuration with real settings, splice with the image size hint the CLI
 * passes, realise the recipe into a file with large reads and writes), each phase timed in wall
 * and CPU time, with the bytes decoded and re-encoded. `--native` also times `gzip -dc`/`unzip -p`.
 * Usage: tsx bench/splice-recipe.ts <file.img.gz|file.img.zip> <settings.json> [--out <file>] [--runs N] [--native]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseSettings } from '../src/core/settings/validate.ts';
import { openImageFile } from '../src/core/pipeline/open-stream.ts';
import { planConfiguration, type ConfigurePlan } from '../src/core/pipeline/configure-image.ts';
import type { ByteSource } from '../src/core/io/byte-source.ts';
import { recipeInputBytes, type OutputRecipe } from '../src/core/io/recipe.ts';

function fileSource(path: string): ByteSource & { fd: number } {
  const fd = openSync(path, 'r');
  return {
    fd,
    size: fstatSync(fd).size,
    async read(offset, length) {
      const b = new Uint8Array(length);
      for (let done = 0; done < length; ) done += readSync(fd, b, done, length - done, offset + done);
      return b;
    },
  };
}

/** The Node host's way (src/cli/write-recipe-file.ts): 1 MiB reads of the input ranges, straight writes. */
function realise(recipe: OutputRecipe, fd: number, out: string): void {
  const o = openSync(out, 'w');
  const buf = new Uint8Array(1 << 20);
  for (const s of recipe.segments) {
    if (s.kind === 'bytes') writeSync(o, s.bytes);
    else
      for (let p = 0; p < s.length; ) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, s.length - p), s.offset + p);
        writeSync(o, buf, 0, n);
        p += n;
      }
  }
  closeSync(o);
}

/** As configure-file.ts: the end of the last partition (+ the backup GPT). */
function imageEndHint(plan: ConfigurePlan): number {
  const ends = [...plan.table.partitions, ...(plan.table.extended ?? [])].map((p) => p.start + p.size);
  const lastEnd = Math.max(plan.choice.start + plan.choice.size, ...ends);
  return plan.table.kind === 'gpt' ? lastEnd + 33 * plan.table.sectorSize : lastEnd;
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const out = flag('--out') ?? '/tmp/splice-recipe.out';
const runs = Number(flag('--runs') ?? 1);
const native = args.includes('--native');
const [path, settingsPath] = args.filter((a) => !a.startsWith('--'));
if (!path || !settingsPath) throw new Error('usage: tsx bench/splice-recipe.ts <file.img.gz|.zip> <settings.json> [--out f] [--runs N] [--native]');
const settings = parseSettings(readFileSync(settingsPath, 'utf8'));

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => Math.round((b.user + b.system - a.user - a.system) / 1000);
for (let run = 0; run < runs; run++) {
  const input = fileSource(path);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const file = await openImageFile(input, { fileName: path });
  const plan = await planConfiguration(file.opened.image, settings, { deferLogicalPartitions: true, timestamp: 0 });
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const decodedForPlan = file.opened.decodedBytes;
  const r = await file.opened.splice!(plan.changes, { imageSizeHint: imageEndHint(plan) });
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  realise(r.recipe, input.fd, out);
  const t3 = performance.now();
  const c3 = process.cpuUsage();
  await file.close();
  closeSync(input.fd);
  const newBytes = r.recipe.segments.reduce((n, s) => n + (s.kind === 'bytes' ? s.bytes.length : 0), 0);
  console.log(
    JSON.stringify({
      run,
      file: path,
      openPlanMs: Math.round(t1 - t0),
      spliceMs: Math.round(t2 - t1),
      realiseMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      cpu: { openPlanMs: cpuMs(c0, c1), spliceMs: cpuMs(c1, c2), realiseMs: cpuMs(c2, c3), totalMs: cpuMs(c0, c3) },
      changes: plan.changes.length,
      decodedForPlan,
      decodedBytes: r.decodedBytes,
      reencodedBytes: r.reencodedBytes,
      newBytes,
      outputBytes: r.recipe.size,
      inputBytesInRecipe: recipeInputBytes(r.recipe),
      segments: r.recipe.segments.length,
    }),
  );
}
if (native) {
  const t = performance.now();
  spawnSync('sh', ['-c', `${path.endsWith('.zip') ? 'unzip -p' : 'gzip -dc'} '${path}' > /dev/null`]);
  console.log(JSON.stringify({ nativeDecodeMs: Math.round(performance.now() - t) }));
}
