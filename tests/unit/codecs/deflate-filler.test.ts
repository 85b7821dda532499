/**
 * The empty blocks that bring a re-encoded (byte-aligned) region to the bit residue of the block
 * boundary where the original stream resumes. Fixed empty blocks alone reach only even residues;
 * a run of identical blocks (zeros compress into identical blocks) keeps one parity for megabytes,
 * so an odd boundary after a change once made the splice re-encode most of a 100 MiB image.
 */
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import { BitWriter } from '../../../src/core/codecs/deflate/bit-writer.ts';
import { deflateRegion, writeFiller } from '../../../src/core/codecs/deflate/splice.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { RecipeBuilder, recipeInputBytes } from '../../../src/core/io/recipe.ts';
import { applyToCopy, equalBytes, realise } from '../../helpers/codec-fixtures.ts';

const hasGzip = (() => {
  try {
    execFileSync('gzip', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

/** Writes a Huffman code (RFC 1951 §3.1.1: codes are packed most significant bit first). */
function writeCode(w: BitWriter, code: number, length: number): void {
  for (let i = length - 1; i >= 0; i--) w.writeBits((code >>> i) & 1, 1);
}

/** A raw deflate stream: `head` sync-flushed, filler to `residue`, then a final fixed block with 'x'. */
function streamWithFiller(head: Uint8Array, residue: number): Uint8Array {
  const out = new RecipeBuilder();
  const w = new BitWriter(out, new MemoryDisk(new Uint8Array(0)));
  w.writeBytes(deflateRegion([head], false));
  writeFiller(w, residue);
  // Final fixed block (§3.2.6): BFINAL 1, BTYPE 01; literal 'x' (0x78 < 144: 8-bit code 0x30 + 0x78); EOB (7 zero bits).
  w.writeBits(0b011, 3);
  writeCode(w, 0x30 + 0x78, 8);
  writeCode(w, 0, 7);
  const bits = residue + 3 + 8 + 7;
  w.writeBits(0, (8 - (bits % 8)) % 8);
  return realise(out.finish(), new Uint8Array(0));
}

describe('filler blocks before the seam', () => {
  const head = new TextEncoder().encode('balenaOS boot partition '.repeat(200));
  const expected = new Uint8Array([...head, 0x78]);

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('residue %i: zlib inflates the stream to the original bytes', (residue) => {
    expect(equalBytes(new Uint8Array(inflateRawSync(streamWithFiller(head, residue))), expected)).toBe(true);
  });

  it.skipIf(!hasGzip)('GNU gzip (its own inflater, not zlib) accepts every residue', () => {
    for (let residue = 0; residue < 8; residue++) {
      const deflate = streamWithFiller(head, residue);
      const trailer = new Uint8Array(8);
      new DataView(trailer.buffer).setUint32(0, crc32(expected, 0), true);
      new DataView(trailer.buffer).setUint32(4, expected.length, true);
      const file = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, ...deflate, ...trailer]);
      expect(execFileSync('gzip', ['-dc'], { input: file }).equals(Buffer.from(expected))).toBe(true);
    }
  });
});

describe('a change before a long run of zeros', () => {
  // Text, then 24 MiB of zeros: the zeros compress into identical ~8 MiB blocks, so every boundary
  // after the text has the parity of the first. Several text lengths give both parities.
  it.each([0, 1, 2, 3, 4, 5])('text variant %i: the splice copies the zeros from the input', async (variant) => {
    const text = new TextEncoder().encode(`config ${'x'.repeat(variant * 7)} `.repeat(3000 + variant * 11));
    const img = new Uint8Array(text.length + 24 * 1024 * 1024);
    img.set(text);
    const gz = new Uint8Array(gzipSync(img, { level: 6 }));
    const changes = [{ offset: 100, bytes: new TextEncoder().encode('CHANGED') }];
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const r = await opened.splice!(changes);
    expect(equalBytes(new Uint8Array(gunzipSync(realise(r.recipe, gz))), applyToCopy(img, changes))).toBe(true);
    // All but the first block (text + the first zeros) comes from the input.
    expect(r.reencodedBytes).toBeLessThan(img.length / 2);
    expect(recipeInputBytes(r.recipe) / r.recipe.size).toBeGreaterThan(0.5);
  });
});
