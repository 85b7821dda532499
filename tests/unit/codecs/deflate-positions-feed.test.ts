/**
 * The positions-only walk (core deflate/block-positions.ts) fed in pieces: whatever the chunking —
 * chunks shorter than its bridge (joined to the bytes left), just longer (a bridge, then the chunk
 * itself), 1 MiB as the reader gives — it finds the same block boundaries, decoded length and end
 * as when given the whole stream at once, hands back exactly the stream's bytes in order the way
 * the engine scanner asks for them (`bytes(fed, ceil(bit / 8))` after each stop), and reports
 * corrupt or truncated input at the same offset with the same message.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PositionWalker, WalkError } from '../../../src/core/codecs/deflate/block-positions.ts';
import { concat } from '../../../src/core/bytes/concat.ts';
import { xorshift32 } from '../../helpers/xorshift.ts';

/** Text-like runs, random bytes (stored blocks at level 0, literal-heavy otherwise) and zeros. */
function sample(size: number, seed: number): Uint8Array {
  const next = xorshift32(seed);
  const out = new Uint8Array(size);
  const words = ['wifi', 'ssid', 'balena', 'config', 'partition', ' ', '\n', '=', 'psk'];
  for (let i = 0; i < size; ) {
    const kind = next() % 3;
    const n = Math.min(size - i, 1000 + (next() % 40_000));
    if (kind === 0) for (let k = 0; k < n; k++) out[i + k] = next() & 255;
    else if (kind === 1) {
      let k = 0;
      while (k < n) for (const c of words[next() % words.length]) if (k < n) out[i + k++] = c.charCodeAt(0);
    }
    i += n;
  }
  return out;
}

interface Walked {
  boundaries: { u: number; bit: number }[];
  u: number;
  bit: number;
  given: Uint8Array;
  /** What was fed past the stream's end, handed back as the engine scanner gives it to its container. */
  after?: Uint8Array;
  error?: { kind: string; message: string; offset: number };
}

/** Walks `stream` fed in chunks of the sizes `sizes()` returns, stopping at pseudo-random limits. */
function walk(stream: Uint8Array, sizes: () => number, limits: () => number): Walked {
  const w = new PositionWalker(0);
  const given: Uint8Array[] = [];
  let fed = 0;
  let read = 0;
  const give = () => {
    const to = Math.ceil(w.bit / 8);
    if (to > fed) given.push(w.bytes(fed, to).slice());
    fed = Math.max(fed, to);
  };
  try {
    for (;;) {
      const stop = w.walk(w.u + limits());
      give();
      if (stop === 'end') return { boundaries: w.boundaries, u: w.u, bit: w.bit, given: concat(given), after: w.bytes(w.bit / 8, read).slice() };
      if (stop === 'more') {
        if (read >= stream.length) w.feed(null);
        else {
          const n = Math.min(sizes(), stream.length - read);
          w.feed(stream.subarray(read, read + n));
          read += n;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof WalkError)) throw e;
    return { boundaries: w.boundaries, u: w.u, bit: w.bit, given: concat(given), error: { kind: e.kind, message: e.message, offset: e.offset } };
  }
  throw new Error('unreachable');
}

const whole = (stream: Uint8Array) => walk(stream, () => stream.length, () => Number.MAX_SAFE_INTEGER);

const data = sample(600_000, 7);
const streams: [string, Uint8Array][] = [
  ['level 0 (stored blocks)', deflateRawSync(data, { level: 0 })],
  ['level 1', deflateRawSync(data, { level: 1 })],
  ['level 9', deflateRawSync(data, { level: 9 })],
  ['Huffman only', deflateRawSync(data, { strategy: constants.Z_HUFFMAN_ONLY })],
  ['fixed codes', deflateRawSync(data, { strategy: constants.Z_FIXED })],
];

const chunkings: [string, (seed: number) => () => number][] = [
  ['1 MiB (the reader)', () => () => 1 << 20],
  ['4097 bytes (just over the bridge)', () => () => 4097],
  ['1000 bytes (joined, no bridge)', () => () => 1000],
  ['random 1 B – 20 KiB', (seed) => {
    const next = xorshift32(seed);
    return () => 1 + (next() % 20_000);
  }],
];

describe('PositionWalker fed in pieces', () => {
  // What follows a stream in its file (a gzip trailer, the next member, a zip's next header).
  const trailer = sample(9000, 13);
  for (const [name, stream] of streams) {
    it(`${name}: same boundaries, length and end, the stream's bytes handed back in order, for every chunking`, () => {
      const file = concat([stream, trailer]);
      const ref = whole(file);
      expect(ref.error).toBeUndefined();
      expect(ref.u).toBe(data.length);
      expect(ref.bit).toBe(stream.length * 8);
      expect(Buffer.compare(ref.given, stream)).toBe(0);
      for (const [chunking, sizes] of chunkings) {
        const limits = xorshift32(11);
        const got = walk(file, sizes(3), () => 1 + (limits() % 300_000));
        expect({ chunking, boundaries: got.boundaries, u: got.u, bit: got.bit }).toEqual({ chunking, boundaries: ref.boundaries, u: ref.u, bit: ref.bit });
        expect(Buffer.compare(got.given, stream), chunking).toBe(0);
        // The bytes read past the end are handed back whole, wherever the chunks fell.
        expect(got.after!.length, chunking).toBeGreaterThan(0);
        expect(Buffer.compare(got.after!, file.subarray(stream.length, stream.length + got.after!.length)), chunking).toBe(0);
      }
    });
  }

  it('corrupt and truncated streams: the same error at the same offset for every chunking', () => {
    const stream = streams[2][1];
    const next = xorshift32(5);
    const cases: Uint8Array[] = [stream.subarray(0, stream.length >> 1), stream.subarray(0, 4099), stream.subarray(0, 70_001)];
    for (let k = 0; k < 6; k++) {
      const bad = stream.slice();
      const at = next() % bad.length;
      bad[at] ^= 1 << (next() % 8);
      cases.push(bad);
    }
    let errors = 0;
    for (const c of cases) {
      const ref = whole(c);
      if (ref.error) errors++;
      for (const [chunking, sizes] of chunkings) {
        const got = walk(c, sizes(9), () => Number.MAX_SAFE_INTEGER);
        expect({ chunking, error: got.error, boundaries: got.boundaries.length }).toEqual({ chunking, error: ref.error, boundaries: ref.boundaries.length });
      }
    }
    // The three truncations at least are errors (a flipped bit may still decode).
    expect(errors).toBeGreaterThanOrEqual(3);
  });
});
