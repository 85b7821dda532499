/**
 * A 4200 MiB sparse image (8 MiB of random data in front) through the gzip splice: ISIZE wraps
 * (4200 MiB mod 2^32), so the length comes from the image-size hint and the tail is never decoded.
 * Slow-ish: pigz -1 of the image ≈ 15 s and `gzip -t` of the output ≈ 15 s on 2 cores.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipCodec } from '../../src/core/codecs/gzip/codec.ts';
import { recipeInputBytes } from '../../src/core/io/recipe.ts';
import { equalBytes, fileSource, readBytes, realiseToFile, sh } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';

const ok = hasTools('pigz', 'gzip', 'truncate');
const t = tempDir('codecs-gzip-4gib-');
const SIZE = 4200 * 2 ** 20;

beforeAll(() => {
  if (!ok) return;
  sh('head -c 8388608 /dev/urandom > head.bin && truncate -s 4200M big.img && dd if=head.bin of=big.img conv=notrunc status=none && pigz -1 -c big.img > big.gz && rm big.img', t.dir);
}, 300_000);
afterAll(() => t.cleanup());

describe.skipIf(!ok)('gzip ≥ 4 GiB', () => {
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
