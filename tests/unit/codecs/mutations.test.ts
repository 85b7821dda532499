/**
 * Damaged inputs, mutated deterministically: whatever is flipped, cut or overwritten, opening,
 * splicing and decoding end in a CoreError that names the problem (never INTERNAL, never a bare
 * exception, never a hang) or in a result.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Codec } from '../../../src/core/codecs/codec.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import { zipCodec } from '../../../src/core/codecs/zip/codec.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { applyToCopy, equalBytes, memorySink, noisyImage, realise } from '../../helpers/codec-fixtures.ts';
import { makeZip } from '../../helpers/zip-builder.ts';

const img = noisyImage(600_000, 5);
const changes = [{ offset: 1000, bytes: new Uint8Array(600).fill(9) }];

function* mutations(input: Uint8Array, seed: number, count: number): Generator<Uint8Array> {
  let x = seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % n;
  };
  for (let i = 0; i < count; i++) {
    const m = input.slice();
    const kind = i % 4;
    if (kind === 0) m[rnd(m.length)] ^= 1 << rnd(8);
    else if (kind === 1) yield m.subarray(0, rnd(m.length));
    else if (kind === 2) for (let k = 0, p = rnd(m.length); k < 4 && p + k < m.length; k++) m[p + k] = 0xff;
    else m[m.length - 1 - rnd(Math.min(200, m.length))] ^= 0x55; // the end records
    if (kind !== 1) yield m;
  }
}

async function outcome(codec: Codec, input: Uint8Array): Promise<string> {
  try {
    const opened = await codec.open(new MemoryDisk(input));
    await opened.splice!(changes, { imageSizeHint: img.length });
    await opened.writeDecoded([], memorySink().stream);
    return 'ok';
  } catch (e) {
    if (!(e instanceof CoreError)) return `not a CoreError: ${String(e)}`;
    if (e.code === 'INTERNAL') return `INTERNAL: ${e.message}`;
    return e.code;
  }
}

describe('damaged inputs end in a coded error or a result', () => {
  for (const [name, codec, input] of [
    ['gzip', gzipCodec, new Uint8Array(gzipSync(img))],
    ['zip', zipCodec, makeZip([{ name: 'README', data: new Uint8Array(100) }, { name: 'disk.img', data: img }]).bytes],
  ] as const) {
    it(name, async () => {
      const bad: string[] = [];
      for (const m of mutations(input, 7, 120)) {
        const r = await outcome(codec, m);
        if (r !== 'ok' && !/^[A-Z_]+$/.test(r)) bad.push(r);
      }
      expect(bad).toEqual([]);
    }, 120_000);
  }
});

describe('valid variants of a gzip file all splice into a file zlib accepts, decoding to the patched image', () => {
  it('gzip', async () => {
    const base = new Uint8Array(gzipSync(img));
    const withName = new Uint8Array(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x08, 1, 2, 3, 4, 0, 3]), Buffer.from('disk.img\0'), base.subarray(10)]));
    const mtime = base.slice();
    mtime.set([9, 9, 9, 9], 4);
    const split = (cuts: number[]) => {
      const parts: Uint8Array[] = [];
      let prev = 0;
      for (const c of [...cuts, img.length]) {
        parts.push(new Uint8Array(gzipSync(img.subarray(prev, c))));
        prev = c;
      }
      return new Uint8Array(Buffer.concat(parts));
    };
    const variants = [
      mtime,
      withName,
      new Uint8Array(Buffer.concat([base, gzipSync(new Uint8Array(0))])),
      split([1500]),
      split([300_000]),
      split([1200, 1700, 500_000]),
    ];
    for (const [i, v] of variants.entries()) {
      expect(equalBytes(new Uint8Array(gunzipSync(v)), img), `variant ${i} is valid`).toBe(true);
      for (const hint of [undefined, img.length]) {
        const opened = await gzipCodec.open(new MemoryDisk(v));
        const r = await opened.splice!(changes, { imageSizeHint: hint });
        expect(equalBytes(new Uint8Array(gunzipSync(realise(r.recipe, v))), applyToCopy(img, changes)), `variant ${i}, hint ${hint}`).toBe(true);
      }
    }
  }, 120_000);
});
