/**
 * The xz-decompress driver (wasm-decoder.ts): real .xz streams made by the xz tool, fed in pieces of
 * every kind of size, decoded byte for byte, output views 64 KiB-aligned, the decoder's lock always
 * released (early stop, corrupt data, cut input), and the fast CRC-64 against a bitwise reference.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64 } from '../../../src/core/codecs/xz/crc64.ts';
import { directDecoder, runXzDecoder } from '../../../src/core/codecs/xz/wasm-decoder.ts';
import { hasTool } from '../../helpers/tools.ts';
import * as xzDecompress from 'xz-decompress';

const KiB = 1024;

/** Compressible but not trivial: runs, text-like bytes and random stretches. */
function sample(length: number): Uint8Array {
  const out = new Uint8Array(length);
  const noise = randomBytes(length);
  for (let i = 0; i < length; i++) out[i] = (i >> 12) % 5 === 0 ? noise[i] : (i >> 14) % 3 === 0 ? 0 : 97 + ((i * 7) % 26);
  return out;
}

function xz(data: Uint8Array, ...args: string[]): Uint8Array {
  return new Uint8Array(execFileSync('xz', ['-c', ...args], { input: data, maxBuffer: 64 << 20 }));
}

/** Feeds `file` in pieces of `piece` bytes; returns the output and the view lengths seen. */
async function decode(file: Uint8Array, piece: number, stopAfter = Infinity) {
  let at = 0;
  const parts: Buffer[] = [];
  const lengths: number[] = [];
  const ended = await runXzDecoder(
    async () => {
      if (at >= file.length) return null;
      const p = file.subarray(at, at + piece);
      at += piece;
      return p;
    },
    (view) => {
      parts.push(Buffer.from(view)); // a copy: the view is the decoder's memory
      lengths.push(view.length);
      return parts.length < stopAfter;
    },
  );
  return { ended, out: Buffer.concat(parts), lengths };
}

describe.skipIf(!hasTool('xz'))('xz-decompress driver', () => {
  const data = sample(1_000_003);
  const file = xz(data, '-6', '--check=crc64');

  it('drives the WASM instance directly (xz-decompress 0.2.x internals present)', async () => {
    // If an upgrade of xz-decompress drops them, the stream fallback runs: slower, still correct.
    expect(await directDecoder()).toBe(true);
  });

  it('decodes byte for byte whatever the input piece size, in views starting at multiples of 64 KiB', async () => {
    for (const piece of [1, 7, 4096, 65536, 65537, 1 << 20, file.length]) {
      const { ended, out, lengths } = await decode(file, piece);
      expect(ended).toBe(true);
      expect(out.equals(Buffer.from(data))).toBe(true);
      expect(lengths.slice(0, -1).every((n) => n === 64 * KiB)).toBe(true);
    }
  }, 60_000);

  it('handles an empty stream, one of exactly 64 KiB, and concatenated streams', async () => {
    expect((await decode(xz(new Uint8Array(0)), 1000)).out.length).toBe(0);
    const exact = sample(64 * KiB);
    const one = await decode(xz(exact), 999);
    expect([one.ended, one.out.equals(Buffer.from(exact)), one.lengths]).toEqual([true, true, [64 * KiB]]);
    const two = Buffer.concat([xz(exact), xz(data.subarray(0, 5000))]);
    expect((await decode(two, 3000)).out.equals(Buffer.concat([Buffer.from(exact), Buffer.from(data.subarray(0, 5000))]))).toBe(true);
  });

  it('stops when asked and releases the decoder (the next run works)', async () => {
    const stopped = await decode(file, 4096, 3);
    expect([stopped.ended, stopped.out.length]).toEqual([false, 3 * 64 * KiB]);
    expect((await decode(file, 1 << 20)).out.equals(Buffer.from(data))).toBe(true);
  });

  it('reports damaged data (xz_ret 7) and a cut stream (5), and releases the decoder after each', async () => {
    const bad = file.slice();
    bad[Math.floor(file.length / 2)] ^= 0x40;
    await expect(decode(bad, 65536)).rejects.toThrow(/error code 7/);
    await expect(decode(file.subarray(0, file.length - 30), 65536)).rejects.toThrow(/error code 5/);
    expect((await decode(file, 65536)).out.equals(Buffer.from(data))).toBe(true);
  });

  it('falls back to the public stream when the internals are missing (another xz-decompress version)', async () => {
    const X = ((xzDecompress as { XzReadableStream?: object }).XzReadableStream ??
      (xzDecompress as unknown as { default: { XzReadableStream: object } }).default.XzReadableStream) as { _getModuleInstance?: unknown };
    const original = X._getModuleInstance;
    X._getModuleInstance = undefined;
    try {
      expect(await directDecoder()).toBe(false);
      const { ended, out } = await decode(file, 4096);
      expect([ended, out.equals(Buffer.from(data))]).toEqual([true, true]);
      expect((await decode(file, 65536, 2)).out.length).toBeGreaterThan(0);
    } finally {
      X._getModuleInstance = original;
    }
    expect(await directDecoder()).toBe(true);
    expect((await decode(file, 65536)).out.equals(Buffer.from(data))).toBe(true);
  });

  it('releases the decoder when the consumer throws', async () => {
    let at = 0;
    await expect(
      runXzDecoder(
        async () => (at++ === 0 ? file : null),
        () => {
          throw new Error('consumer failed');
        },
      ),
    ).rejects.toThrow('consumer failed');
    expect((await decode(file, 65536)).out.equals(Buffer.from(data))).toBe(true);
  });
});

describe('CRC-64 slice-by-8', () => {
  /** Bit-at-a-time CRC-64/XZ over BigInt: the definition, slow. */
  function reference(bytes: Uint8Array): string {
    const poly = 0xc96c5795d7870f42n;
    const mask = (1n << 64n) - 1n;
    let crc = mask;
    for (const b of bytes) {
      crc ^= BigInt(b);
      for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    }
    const out = Buffer.alloc(8);
    out.writeBigUInt64LE(crc ^ mask);
    return out.toString('hex');
  }

  it('equals the bitwise definition for every start alignment and length around the 8-byte steps', () => {
    const buffer = randomBytes(3000);
    for (const offset of [0, 1, 2, 3, 4, 5, 6, 7]) {
      for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 100, 1001]) {
        const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
        expect([offset, length, Buffer.from(new Crc64().update(bytes).digest()).toString('hex')]).toEqual([offset, length, reference(bytes)]);
      }
    }
  });

  it('equals xz --check=crc64 on a 1 MB block (the check stored after the block)', () => {
    const data = sample(1 << 20);
    const file = xz(data, '-0', '--check=crc64');
    // Single block, one stream: the 8 check bytes sit before the index and footer.
    const stored = Buffer.from(file.subarray(file.length - 12 - 12 - 8, file.length - 12 - 12)).toString('hex');
    const crc = new Crc64();
    for (let at = 0; at < data.length; at += 65536 + 5) crc.update(data.subarray(at, at + 65536 + 5));
    expect(Buffer.from(crc.digest()).toString('hex')).toBe(stored);
  });
});
