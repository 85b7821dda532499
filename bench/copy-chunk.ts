/**
 * How the CLI realises recipes (issue 7): a 1 GiB input copied into the output file by the copy
 * loop at several chunk sizes (a splice's shape: a few new bytes, then the input shifted), by the
 * kernel's copy (fs.copyFile, the raw → raw path), and by `cp` (the floor). Timings are reports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RecipeBuilder } from '../src/core/io/recipe.ts';
import { AtomicOutput, NodeFile } from '../src/cli/node-io.ts';
import { writeRecipeFile } from '../src/cli/write-recipe-file.ts';
import { fmtS, median, timeRuns } from './stats.ts';

const MiB = 2 ** 20;
// BENCH_DIR=/dev/shm measures the loop itself, without the disk's writeback.
const work = resolve(process.env.BENCH_DIR ?? 'bench/.work');

export async function benchCopyChunk(runs = 3): Promise<void> {
  mkdirSync(work, { recursive: true });
  const input = `${work}/copy-1g.bin`;
  if (!existsSync(input)) execFileSync('sh', ['-c', `head -c ${1024 * MiB} /dev/urandom > '${input}'`]);
  const size = statSync(input).size;
  const out = `${work}/copy-out.bin`;
  const b = new RecipeBuilder();
  b.bytes(new Uint8Array(10).fill(1));
  b.copy(0, size);
  const shifted = b.finish();
  const source = await NodeFile.open(input);
  const clean = () => rmSync(out, { force: true });
  const variants: [string, () => Promise<void>][] = [
    ...[1, 4, 8, 16, 32].map((chunk): [string, () => Promise<void>] => [
      `copy loop, ${chunk} MiB chunks`,
      async () => {
        const target = new AtomicOutput(out);
        await writeRecipeFile(shifted, source, target, { chunkSize: chunk * MiB });
        await target.commit();
      },
    ]),
    ['fs.copyFile (kernel copy)', () => copyFile(input, out)],
    ['cp (the floor)', async () => void execFileSync('cp', [input, out])],
  ];
  // Round-robin, so a machine that gets busier slows every variant alike.
  const times = variants.map(() => [] as number[]);
  try {
    for (let i = 0; i < runs; i++) {
      for (const [v, [, run]] of variants.entries()) {
        clean();
        times[v].push((await timeRuns(1, run))[0]);
      }
    }
  } finally {
    await source.close();
  }
  clean();
  const rows = variants.map(([name], v): [string, number] => [name, median(times[v])]);
  console.log(`\nRealising a recipe: 1 GiB input → output file, median of ${runs}:`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(32)} ${fmtS(ms).padStart(8)} ${((size / 1e6) / (ms / 1000)).toFixed(0).padStart(6)} MB/s`);
}
