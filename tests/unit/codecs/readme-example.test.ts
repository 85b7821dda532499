/**
 * The worked example in src/core/codecs/README.md ("Adding a codec") is real code: it is extracted,
 * compiled by Vitest against the kit, and must decode a zlib image with changes laid over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { Codec } from '../../../src/core/codecs/codec.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { applyToCopy, equalBytes, memorySink, noisyImage } from '../../helpers/codec-fixtures.ts';
import { expectCode } from '../../helpers/core-errors.ts';

const codecsDir = join(import.meta.dirname, '../../../src/core/codecs');
const dir = join(import.meta.dirname, '.readme-example');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadExample(): Promise<Codec<'zlib'>> {
  const readme = readFileSync(join(codecsDir, 'README.md'), 'utf8');
  const block = /```ts\n\/\/ src\/core\/codecs\/zlib\/codec\.ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no zlib example block');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'codec.ts');
  writeFileSync(file, block[1].replaceAll("from '../", `from '${codecsDir}/`));
  return ((await import(file)) as { zlibCodec: Codec<'zlib'> }).zlibCodec;
}

describe('README worked example (a decode-only zlib codec)', () => {
  it('opens, reads lazily and writes the decoded image with changes', async () => {
    const codec = await loadExample();
    const img = noisyImage(1 << 20);
    const z = zlibSync(img);
    expect(codec.sniff(z)).toBe(true);
    const opened = await codec.open(new MemoryDisk(z));
    expect(equalBytes(await opened.image.read(1000, 100), img.subarray(1000, 1100))).toBe(true);
    expect(opened.splice).toBeUndefined();
    const changes = [{ offset: 10, bytes: Uint8Array.of(1, 2, 3) }];
    const sink = memorySink();
    await opened.writeDecoded(changes, sink.stream);
    expect(equalBytes(sink.bytes(), applyToCopy(img, changes))).toBe(true);
    await expectCode(codec.open(new MemoryDisk(z.subarray(0, 5000))).then((o) => o.writeDecoded([], memorySink().stream)), 'ARCHIVE_CORRUPT');
  });
});
