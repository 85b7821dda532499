/**
 * Issue 7 measurement, in process: splice a compressed image into a recipe and realise it into a
 * file (Node: large reads and writes), next to native `gzip -dc` of the same file. The changes are
 * shaped like a configuration (FSInfo, both FATs, a directory, new clusters in the first 50 MB).
 * Usage: tsx bench/splice-recipe.ts <file.img.gz|file.img.zip> [imageSizeHint]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openImageFile } from '../src/core/pipeline/open-stream.ts';
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

/** The Node host's way: 8 MiB reads of the input ranges, straight writes. */
function realise(recipe: OutputRecipe, fd: number, out: string): void {
  const o = openSync(out, 'w');
  const buf = new Uint8Array(8 << 20);
  for (const s of recipe.segments) {
    if (s.kind === 'bytes') writeSync(o, s.bytes);
    else for (let p = 0; p < s.length; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, s.length - p), s.offset + p);
      writeSync(o, buf, 0, n);
      p += n;
    }
  }
  closeSync(o);
}

const [path, hintArg] = process.argv.slice(2);
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const changes = [
  { offset: 4 * 2 ** 20 + 512, bytes: fill(512, 1) },
  { offset: 4 * 2 ** 20 + 16_384, bytes: fill(4096, 2) },
  { offset: 8 * 2 ** 20, bytes: fill(4096, 3) },
  { offset: 12 * 2 ** 20 + 7 * 512, bytes: fill(1024, 4) },
  { offset: 50 * 2 ** 20, bytes: fill(64 * 1024, 5) },
];
const input = fileSource(path);
const t0 = performance.now();
const file = await openImageFile(input, { fileName: path });
await file.image.read(0, 51 * 2 ** 20);
const t1 = performance.now();
const r = await file.opened.splice!(changes, { imageSizeHint: hintArg ? Number(hintArg) : undefined });
const t2 = performance.now();
realise(r.recipe, input.fd, `${path}.spliced`);
const t3 = performance.now();
const native = performance.now();
spawnSync('sh', ['-c', `${path.endsWith('.zip') ? 'unzip -p' : 'gzip -dc'} '${path}' > /dev/null`]);
const nativeMs = performance.now() - native;
const total = t3 - t0;
console.log(JSON.stringify({
  file: path,
  planReadMs: Math.round(t1 - t0),
  spliceMs: Math.round(t2 - t1),
  realiseMs: Math.round(t3 - t2),
  totalMs: Math.round(total),
  nativeDecodeMs: Math.round(nativeMs),
  ratio: +(total / nativeMs).toFixed(3),
  decodedBytes: r.decodedBytes,
  reencodedBytes: r.reencodedBytes,
  outputBytes: r.recipe.size,
  inputBytesInRecipe: recipeInputBytes(r.recipe),
  segments: r.recipe.segments.length,
}));
