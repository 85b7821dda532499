/**
 * A 4200 MiB sparse image (8 MiB of random data in front) through the gzip splice: ISIZE wraps
 * (4200 MiB mod 2^32), so the length comes from the image-size hint and the tail is never decoded.
 * `gzip -t` of the output decodes all 4200 MiB (≈ 15 s on 2 cores).
 *
 * The .gz is one gzip member, byte for byte what `pigz -1` makes of the whole image, without
 * compressing 4 GiB of zeros each run: pigz compresses the image's head followed by 3 and by 4
 * chunks of zeros, and tests/helpers/big-fixtures.ts repeats the one chunk of pigz's bytes the two
 * differ by as often as the image's size asks, then writes the trailer (CRC-32 of the whole, ISIZE).
 * The first test proves the construction against pigz's own output on a 10 MiB image every run.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipCodec } from '../../src/core/codecs/gzip/codec.ts';
import { recipeInputBytes } from '../../src/core/io/recipe.ts';
import { pigzZeroExtend } from '../helpers/big-fixtures.ts';
import { equalBytes, fileSource, readBytes, realiseToFile, sh } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';

const ok = hasTools('pigz', 'gzip', 'truncate');
const t = tempDir('codecs-gzip-4gib-');
const SIZE = 4200 * 2 ** 20;

const CHUNK = 128 * 1024; // pigz's default block size
let head = new Uint8Array(0);

/** pigz -1 of `head` followed by `zeros` chunks of zeros, in a file named big.img as before. */
const made = new Map<number, Uint8Array>();
function pigzOf(zeros: number): Uint8Array {
  const done = made.get(zeros);
  if (done) return done;
  const dir = t.path(`z${zeros}`);
  sh(`mkdir -p ${dir} && cp head.bin ${dir}/big.img && truncate -s ${head.length + zeros * CHUNK} ${dir}/big.img && touch -d @1600000000 ${dir}/big.img && pigz -1 -c ${dir}/big.img > ${dir}/big.gz`, t.dir);
  const gz = new Uint8Array(readFileSync(`${dir}/big.gz`));
  made.set(zeros, gz);
  return gz;
}

beforeAll(() => {
  if (!ok) return;
  sh('head -c 8388608 /dev/urandom > head.bin', t.dir);
  head = new Uint8Array(readFileSync(t.path('head.bin')));
  pigzZeroExtend(pigzOf(3), pigzOf(4), head, CHUNK, SIZE, t.path('big.gz'));
}, 300_000);
afterAll(() => t.cleanup());

describe.skipIf(!ok)('gzip ≥ 4 GiB', () => {
  it('the fixture is pigz’s own output for the whole image (checked on a 10 MiB image)', () => {
    const size = head.length + 16 * CHUNK;
    pigzZeroExtend(pigzOf(3), pigzOf(4), head, CHUNK, size, t.path('small.gz'));
    expect(Buffer.compare(readFileSync(t.path('small.gz')), pigzOf(16))).toBe(0);
  });

  it('splices with a wrapped ISIZE; gzip -t passes and the head decodes to the patched bytes', async () => {
    const changes = [
      { offset: 4096, bytes: new Uint8Array(512).fill(0xa5) },
      { offset: 6 * 2 ** 20 + 3, bytes: new Uint8Array(100_000).fill(0x5a) },
    ];
    const input = fileSource(t.path('big.gz'));
    const opened = await gzipCodec.open(input);
    const s = await opened.splice!(changes, { imageSizeHint: SIZE });
    // Random access: the trailer is read, the 4 GiB tail is not decoded.
    expect(s.imageSize).toBe(SIZE);
    expect(s.decodedBytes).toBeLessThan(64 * 2 ** 20);
    expect(recipeInputBytes(s.recipe)).toBeGreaterThan(statSync(t.path('big.gz')).size - 16 * 2 ** 20);
    await realiseToFile(s.recipe, input, t.path('out.gz'));
    input.close();
    const test = run('gzip', ['-t', t.path('out.gz')]);
    expect(test.status, test.stderr).toBe(0);
    const expected = readBytes(t.path('head.bin'));
    for (const c of changes) expected.set(c.bytes, c.offset);
    const head = new Uint8Array(runBytes('sh', ['-c', `gzip -dc ${t.path('out.gz')} | head -c 8388608`]));
    expect(equalBytes(head, expected)).toBe(true);
    // ISIZE stays 4200 MiB mod 2^32.
    const out = readBytes(t.path('out.gz'));
    expect(new DataView(out.buffer).getUint32(out.length - 4, true)).toBe(SIZE % 2 ** 32);
  }, 300_000);
});
