/**
 * Recipes realised into files: the kernel-copy path (input kept in place) and the copy loop (a
 * splice's moved tail) both give exactly the bytes the core's stream writer gives; a failed write
 * is OUTPUT_FAILED naming the output, and nothing is left behind.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RecipeBuilder } from '../../../src/core/io/recipe.ts';
import { writeRecipe, type OutputRecipe } from '../../../src/core/index.ts';
import { AtomicOutput, NodeFile } from '../../../src/cli/node-io.ts';
import { keepsInputInPlace, writeRecipeFile } from '../../../src/cli/write-recipe-file.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('preflash-recipe-');
afterAll(() => tmp.cleanup());

const SIZE = 300_000;
const inputBytes = new Uint8Array(SIZE).map((_, i) => (i * 131 + (i >> 9)) & 0xff);
writeFileSync(tmp.path('in.img'), inputBytes);

function recipe(build: (b: RecipeBuilder) => void): OutputRecipe {
  const b = new RecipeBuilder();
  build(b);
  return b.finish();
}

const inPlace = recipe((b) => {
  b.copy(0, 1024);
  b.bytes(new Uint8Array(512).fill(1));
  b.copy(1536, 100_000 - 1536);
  b.bytes(new Uint8Array(4096).fill(2));
  b.copy(104_096, SIZE - 104_096);
});
const moved = recipe((b) => {
  b.bytes(new Uint8Array(10).fill(9));
  b.copy(0, 70_000);
  b.bytes(new Uint8Array(3000).fill(3));
  b.copy(80_000, SIZE - 80_000);
  b.copy(5, 17);
});

async function expected(r: OutputRecipe): Promise<Uint8Array> {
  const input = await NodeFile.open(tmp.path('in.img'));
  const parts: Uint8Array[] = [];
  await writeRecipe(r, input, new WritableStream({ write: (c) => void parts.push(c.slice()) }));
  await input.close();
  return Buffer.concat(parts);
}

async function realise(r: OutputRecipe, name: string, options: Parameters<typeof writeRecipeFile>[3] = {}): Promise<Uint8Array> {
  const input = await NodeFile.open(tmp.path('in.img'));
  const out = new AtomicOutput(tmp.path(name));
  try {
    await writeRecipeFile(r, input, out, options);
    await out.commit();
  } finally {
    await input.close();
  }
  return readFileSync(tmp.path(name));
}

describe('writeRecipeFile', () => {
  it('tells a recipe that keeps the input in place from one that moves it', () => {
    expect(keepsInputInPlace(inPlace, SIZE)).toBe(true);
    expect(keepsInputInPlace(moved, SIZE)).toBe(false);
  });

  it('kernel copy + patches: the same bytes as the stream writer', async () => {
    expect(Buffer.compare(await realise(inPlace, 'a.img'), await expected(inPlace))).toBe(0);
  });

  it.each([4096, 65_536, 1 << 20])('copy loop with %i-byte chunks: the same bytes as the stream writer', async (chunkSize) => {
    expect(Buffer.compare(await realise(moved, `b${chunkSize}.img`, { chunkSize }), await expected(moved))).toBe(0);
    expect(Buffer.compare(await realise(inPlace, `c${chunkSize}.img`, { chunkSize, noKernelCopy: true }), await expected(inPlace))).toBe(0);
  });

  it('reports progress up to the output size, and stops on abort', async () => {
    const seen: number[] = [];
    await realise(moved, 'p.img', { chunkSize: 65_536, onProgress: (e) => seen.push(e.bytesWritten) });
    expect(seen.at(-1)).toBe(moved.size);
    const controller = new AbortController();
    controller.abort();
    await expectCode(realise(moved, 'q.img', { signal: controller.signal }), 'ABORTED');
  });

  it('a long copy lets the event loop in: an abort from a timer stops it mid-way', async () => {
    // One 24 MiB input range: the copy is synchronous but for a pause every 8 MiB, where the
    // timer (as a Ctrl-C handler would) gets to run.
    const big = tmp.path('big.img');
    writeFileSync(big, new Uint8Array(24 << 20).fill(7));
    const long = recipe((b) => {
      b.bytes(new Uint8Array(10).fill(9));
      b.copy(0, 24 << 20);
    });
    const controller = new AbortController();
    let last = 0;
    const input = await NodeFile.open(big);
    const out = new AtomicOutput(tmp.path('r.img'));
    const e = writeRecipeFile(long, input, out, {
      signal: controller.signal,
      onProgress: (p) => {
        // Armed once the copy runs: the timer can fire only when the loop pauses.
        if (last === 0) setTimeout(() => controller.abort(), 0);
        last = p.bytesWritten;
      },
    });
    await expectCode(e, 'ABORTED');
    await input.close();
    await out.discard(); // what the CLI does with an output that failed
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(long.size);
  });

  it('a write that fails is OUTPUT_FAILED naming the output, recorded on the output', async () => {
    const input = await NodeFile.open(tmp.path('in.img'));
    const out = new AtomicOutput(tmp.path('no/such/folder/x.img'));
    const e = await expectCode(writeRecipeFile(moved, input, out), 'OUTPUT_FAILED');
    expect(e.message).toMatch(/^Cannot write .*no\/such\/folder\/x\.img: ENOENT\.$/);
    expect(out.failure).toBe(e);
    await input.close();
    expect(readdirSync(tmp.dir).filter((n) => n.includes('preflash-'))).toEqual([]);
  });
});
