/**
 * A 4200 MiB sparse image through the zip splice: Info-ZIP writes ZIP64 (local header extra,
 * central directory extra, ZIP64 end record and locator). zip -1 ≈ 18 s, unzip -t ≈ 13 s on 2 cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { zipCodec } from '../../src/core/codecs/zip/codec.ts';
import { recipeInputBytes } from '../../src/core/io/recipe.ts';
import { equalBytes, fileSource, readBytes, realiseToFile, sh } from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';

const ok = hasTools('zip', 'unzip', 'truncate');
const t = tempDir('codecs-zip-4gib-');
const SIZE = 4200 * 2 ** 20;

beforeAll(() => {
  if (!ok) return;
  sh('head -c 8388608 /dev/urandom > head.bin && truncate -s 4200M big.img && dd if=head.bin of=big.img conv=notrunc status=none && zip -q -1 big.zip big.img && rm big.img', t.dir);
}, 300_000);
afterAll(() => t.cleanup());

describe.skipIf(!ok)('zip ≥ 4 GiB (ZIP64)', () => {
  it('splices a ZIP64 member; unzip -t passes and the head decodes to the patched bytes', async () => {
    const changes = [
      { offset: 4096, bytes: new Uint8Array(512).fill(0xa5) },
      { offset: 6 * 2 ** 20 + 3, bytes: new Uint8Array(100_000).fill(0x5a) },
    ];
    const input = fileSource(t.path('big.zip'));
    const opened = await zipCodec.open(input);
    expect(opened.image.size).toBe(SIZE);
    const s = await opened.splice!(changes);
    expect(s.imageSize).toBe(SIZE);
    // Read from the (ZIP64) central directory: the 4 GiB tail is neither read nor decoded.
    expect(s.decodedBytes).toBeLessThan(64 * 2 ** 20);
    expect(recipeInputBytes(s.recipe)).toBeGreaterThan(statSync(t.path('big.zip')).size - 16 * 2 ** 20);
    await realiseToFile(s.recipe, input, t.path('out.zip'));
    input.close();
    const test = run('unzip', ['-tq', t.path('out.zip')]);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    const expected = readBytes(t.path('head.bin'));
    for (const c of changes) expected.set(c.bytes, c.offset);
    const head = new Uint8Array(runBytes('sh', ['-c', `unzip -p ${t.path('out.zip')} big.img | head -c 8388608`]));
    expect(equalBytes(head, expected)).toBe(true);
  }, 300_000);
});
