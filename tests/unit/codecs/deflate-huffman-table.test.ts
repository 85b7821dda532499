/**
 * The deflate walkers' shared Huffman tables (huffman-table.ts): for code sets built the way a
 * compressor builds them (complete, lengths ≤ 15, so many long codes that sub-tables are needed),
 * every symbol's written code (codeOf) looks up to that symbol and length, whatever bits follow;
 * the sets zlib's inftrees.c refuses are refused; a table refilled in place forgets the old code.
 */
import { describe, expect, it } from 'vitest';
import { buildTable, codeOf, fixedTables, lookup, type Table } from '../../../src/core/codecs/deflate/huffman-table.ts';

/**
 * Code lengths of a random complete prefix code over `n` symbols: a binary tree grown by splitting
 * random leaves (no deeper than 15); `skew` > 1 splits the first leaves more (long codes).
 */
function randomLengths(n: number, seed: number, skew: number): Uint8Array {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const lengths: number[] = [0];
  while (lengths.length < n) {
    const i = Math.floor(rand() ** skew * lengths.length);
    if (lengths[i] >= 15) continue;
    lengths[i]++;
    lengths.push(lengths[i]);
  }
  const out = new Uint8Array(n);
  const order = [...Array(n).keys()].sort(() => rand() - 0.5); // which symbol gets which length
  order.forEach((sym, k) => (out[sym] = lengths[k]));
  return out;
}

function decodesEvery(table: Table, lengths: Uint8Array, seed: number): number {
  let s = seed;
  let longest = 0;
  for (let sym = 0; sym < lengths.length; sym++) {
    if (lengths[sym] === 0) continue;
    const { value, n } = codeOf(lengths, sym);
    expect(n).toBe(lengths[sym]);
    s = (s * 69069 + 1) >>> 0;
    const v = (value | (s << n)) >>> 0; // random bits after the code
    expect(lookup(table.table, table.mask, v), `symbol ${sym}`).toBe((sym << 4) | n);
    longest = Math.max(longest, n);
  }
  return longest;
}

describe('huffman-table', () => {
  it('every symbol of 200 random complete codes (literal/length and distance sizes) decodes from its written code', () => {
    let longest = 0;
    for (let k = 0; k < 200; k++) {
      const n = k % 2 === 0 ? 286 : 30;
      const lengths = randomLengths(n, k + 1, k % 4 === 0 ? 4 : 1.5);
      const t = buildTable(lengths, n === 30 ? 'dists' : 'lens');
      expect(t, `set ${k}`).not.toBeNull();
      longest = Math.max(longest, decodesEvery(t!, lengths, k));
    }
    expect(longest).toBeGreaterThan(10); // sub-tables were needed and used
  });

  it('the fixed codes (§3.2.6): end-of-block is seven 0 bits, literal 0 is 00110000 written LSB first', () => {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    expect(codeOf(lit, 256)).toEqual({ value: 0, n: 7 });
    expect(codeOf(lit, 0)).toEqual({ value: 0b00001100, n: 8 });
    decodesEvery(fixedTables().lit, lit, 7);
  });

  it("refuses what zlib refuses: over-subscribed, incomplete (but a single 1-bit literal or distance code), a code-length code with a gap", () => {
    expect(buildTable(new Uint8Array([1, 1, 1]), 'lens')).toBeNull();
    expect(buildTable(new Uint8Array([1, 2, 0]), 'lens')).toBeNull();
    expect(buildTable(new Uint8Array([1, 0, 0]), 'dists')).not.toBeNull();
    expect(buildTable(new Uint8Array([1, 0, 0]), 'codes')).toBeNull();
  });

  it('a table refilled in place (a walker reusing its room per block) holds only the new code', () => {
    const room: Table = { table: new Int32Array(2048), mask: 0 };
    const first = randomLengths(286, 99, 4);
    buildTable(first, 'lens', room);
    const second = new Uint8Array(286); // a short, complete second code: 255 × 8 bits + 2 × 9 bits
    second.fill(8, 0, 255);
    second[255] = 9;
    second[256] = 9;
    const t = buildTable(second, 'lens', room)!;
    expect(t).toBe(room);
    decodesEvery(t, second, 3);
  });
});
