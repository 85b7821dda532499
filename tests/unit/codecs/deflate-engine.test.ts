/**
 * The raw-deflate engines (core deflate/engine.ts): the JS positions-only walk + a native engine
 * (Node's zlib, the CLI's; DecompressionStream, a second engine with other chunking — Node has it too) must give what the
 * pako Z_BLOCK scanner gives, for streams from every encoder at hand: the same block boundaries,
 * decoded bytes, CRC-32, end of stream (where the gzip trailer / next member is read), and the
 * same errors for corrupt and truncated input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeInflate } from '../../../src/cli/node-inflate.ts';
import type { InflateEngine, InflateStream } from '../../../src/core/codecs/deflate/engine.ts';
import { openScanner } from '../../../src/core/codecs/deflate/open-scanner.ts';
import { GzipWalker } from '../../../src/core/codecs/gzip/walker.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import { SourceReader } from '../../../src/core/codecs/kit/reader.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { streamInflate } from '../../helpers/decompression-stream-engine.ts';
import { equalBytes, image, noisyImage, sh, zipEntries } from '../../helpers/codec-fixtures.ts';

const engines: [string, InflateEngine | undefined][] = [
  ['pako', undefined],
  ['node-zlib', nodeInflate],
  ['decompression-stream', streamInflate()!],
];
const data = new Uint8Array(Buffer.concat([noisyImage(3 << 20, 5), image(1 << 20, 2), new Uint8Array(300_000)]));
const dir = mkdtempSync(join(tmpdir(), 'preflash-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Scanned {
  boundaries: { u: number; bit: number }[];
  end: number;
  decoded: number;
  crc: number;
  after: number;
  out: Uint8Array;
}

/** Scans the raw deflate stream at [start, limit) of `bytes` to its end. */
async function scan(bytes: Uint8Array, start: number, limit: number, engine: InflateEngine | undefined): Promise<Scanned> {
  const reader = new SourceReader(new MemoryDisk(bytes), { start, end: limit });
  const s = openScanner(reader, 'the test stream', { engine });
  const parts: Uint8Array[] = [];
  for (let c = await s.pull(); c; c = await s.pull()) parts.push(c.slice());
  expect(s.ended).toBe(true);
  return { boundaries: s.boundaries, end: s.end, decoded: s.decoded, crc: s.crc, after: reader.position, out: new Uint8Array(Buffer.concat(parts)) };
}

async function expectSameScans(bytes: Uint8Array, start = 0, limit = bytes.length): Promise<Scanned> {
  const ref = await scan(bytes, start, limit, undefined);
  for (const [name, engine] of engines.slice(1)) {
    const got = await scan(bytes, start, limit, engine);
    expect({ name, ...got, out: undefined }).toEqual({ name, ...ref, out: undefined });
    expect(equalBytes(got.out, ref.out), name).toBe(true);
  }
  return ref;
}

/** Gzip members walked to the end with each engine: boundaries, ends, trailers, output must agree. */
async function expectSameGzip(gz: Uint8Array): Promise<number> {
  const walk = async (engine: InflateEngine | undefined) => {
    const w = new GzipWalker(new SourceReader(new MemoryDisk(gz)), { engine });
    await w.start();
    const parts: Uint8Array[] = [];
    for (let c = await w.step(); c; c = await w.step()) parts.push(c.slice());
    const members = w.members.map((m) => ({ start: m.header.start, uStart: m.uStart, boundaries: m.scanner.boundaries, end: m.scanner.end, trailer: m.trailer }));
    return { members, trailingAt: w.trailingAt, out: new Uint8Array(Buffer.concat(parts)) };
  };
  const ref = await walk(undefined);
  for (const [name, engine] of engines.slice(1)) {
    const got = await walk(engine);
    expect({ name, ...got, out: undefined }).toEqual({ name, ...ref, out: undefined });
    expect(equalBytes(got.out, ref.out), name).toBe(true);
  }
  return ref.members.length;
}

describe('raw-deflate engines: the same boundaries and bytes as pako Z_BLOCK', () => {
  const cases: [string, object][] = [
    ['zlib -1', { level: 1 }],
    ['zlib -6', { level: 6 }],
    ['zlib -9', { level: 9 }],
    ['stored (level 0)', { level: 0 }],
    ['filtered', { level: 6, strategy: constants.Z_FILTERED }],
    ['Huffman only', { level: 6, strategy: constants.Z_HUFFMAN_ONLY }],
    ['RLE', { level: 6, strategy: constants.Z_RLE }],
    ['fixed codes', { level: 6, strategy: constants.Z_FIXED }],
    ['small window and memLevel', { level: 9, windowBits: 9, memLevel: 1 }],
  ];
  for (const [name, options] of cases) {
    it(`zlib ${name}`, async () => {
      const raw = deflateRawSync(data, options);
      const ref = await expectSameScans(raw);
      expect(equalBytes(ref.out, data)).toBe(true);
      expect(ref.end).toBe(raw.length);
      if (name !== 'stored (level 0)') expect(ref.boundaries.length).toBeGreaterThan(3);
    });
  }

  it('sync-flushed pieces (empty stored blocks) and a stream followed by other bytes', async () => {
    const parts: Buffer[] = [];
    for (let p = 0; p < 400_000; p += 50_000) parts.push(deflateRawSync(data.subarray(p, p + 50_000), { finishFlush: constants.Z_SYNC_FLUSH }));
    parts.push(deflateRawSync(data.subarray(400_000, 500_000)));
    const raw = Buffer.concat([Buffer.from('PREFIX'), ...parts, Buffer.from('after the stream')]);
    const ref = await expectSameScans(raw, 6);
    expect(ref.end).toBe(raw.length - 'after the stream'.length);
    expect(ref.after).toBe(ref.end);
  });

  it('an empty stream and a one-byte stream', async () => {
    await expectSameScans(deflateRawSync(new Uint8Array(0)));
    await expectSameScans(deflateRawSync(Uint8Array.of(7)));
  });

  for (const level of [1, 9]) {
    it(`GNU gzip -${level} and pigz -${level}`, async () => {
      const f = join(dir, `gnu-${level}.img`);
      writeFileSync(f, data);
      sh(`gzip -${level}kc ${f} > ${f}.gz && pigz -${level}c ${f} > ${f}.pigz.gz`);
      expect(await expectSameGzip(new Uint8Array(readFileSync(`${f}.gz`)))).toBe(1);
      expect(await expectSameGzip(new Uint8Array(readFileSync(`${f}.pigz.gz`)))).toBe(1);
    });
    it(`Info-ZIP zip -${level}`, async () => {
      const f = join(dir, `z${level}.img`);
      writeFileSync(f, data);
      sh(`cd ${dir} && rm -f z${level}.zip && zip -q -${level} z${level}.zip z${level}.img`);
      const zip = new Uint8Array(readFileSync(join(dir, `z${level}.zip`)));
      const [e] = zipEntries(zip);
      const v = new DataView(zip.buffer, zip.byteOffset);
      const start = e.offset + 30 + v.getUint16(e.offset + 26, true) + v.getUint16(e.offset + 28, true);
      const ref = await expectSameScans(zip, start, start + e.compressedSize);
      expect(ref.end).toBe(start + e.compressedSize);
      expect(equalBytes(ref.out, data)).toBe(true);
    });
  }

  it('multi-member gzip with trailing garbage, and a bgzip-like file of many members', async () => {
    const two = Buffer.concat([gzipSync(data.subarray(0, 1 << 20)), gzipSync(data.subarray(1 << 20), { level: 1 }), Buffer.from('garbage!')]);
    expect(await expectSameGzip(new Uint8Array(two))).toBe(2);
    const parts: Buffer[] = [];
    for (let p = 0; p < 1 << 20; p += 64 * 1024) parts.push(gzipSync(data.subarray(p, p + 64 * 1024)));
    expect(await expectSameGzip(new Uint8Array(Buffer.concat(parts)))).toBe(16);
  });
});

/** What a failure looks like to the core's callers: code, reason, and the sentence minus the engine's own words. */
async function failure(gz: Uint8Array, engine: InflateEngine | undefined): Promise<{ code: string; reason: unknown; message: string } | null> {
  try {
    const opened = await gzipCodec.open(new MemoryDisk(gz), { inflate: engine });
    await opened.image.read(0, 1);
    await (opened.image as unknown as { ensure(n: number): Promise<void> }).ensure(Number.POSITIVE_INFINITY);
    return null;
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    return { code: e.code, reason: e.detail?.reason, message: e.message.replace(/\(.*\)/, '(…)') };
  }
}

describe('raw-deflate engines: the same errors', () => {
  const gz = new Uint8Array(gzipSync(data.subarray(0, 1 << 20)));
  it('truncated anywhere in the stream', async () => {
    for (const cut of [20, 1000, 77_777, gz.length >> 1, gz.length - 9]) {
      const ref = await failure(gz.subarray(0, cut), undefined);
      expect(ref?.reason, `cut ${cut}`).toBe('truncated');
      for (const [name, engine] of engines.slice(1)) expect(await failure(gz.subarray(0, cut), engine), `${name} cut ${cut}`).toEqual(ref);
    }
  });
  it('corrupt bytes anywhere in the stream', async () => {
    let seen = 0;
    for (const at of [12, 13, 40, 500, 3000, 40_000, 123_457, gz.length >> 1, gz.length - 20]) {
      for (const xor of [0x01, 0x80, 0xff]) {
        const bad = gz.slice();
        bad[at] ^= xor;
        const ref = await failure(bad, undefined);
        if (ref) seen++;
        for (const [name, engine] of engines.slice(1)) expect(await failure(bad, engine), `${name} at ${at} ^${xor}`).toEqual(ref);
      }
    }
    expect(seen).toBeGreaterThan(20);
  });
});

/** An engine wrapper that counts what was read back from it and whether it was closed. */
function watched(inner: InflateEngine) {
  const log = { readBack: 0, closed: 0, started: 0 };
  const engine: InflateEngine = {
    name: `watched ${inner.name}`,
    start() {
      log.started++;
      const s = inner.start();
      return {
        write: (b, last) => s.write(b, last),
        read: async () => {
          const out = await s.read();
          log.readBack += out?.length ?? 0;
          return out;
        },
        close: () => {
          log.closed++;
          s.close();
        },
      };
    },
  };
  return { engine, log };
}

describe('raw-deflate engines: bounded and cancellable', () => {
  // 64 MiB that deflate squeezes ~1000:1: one input chunk holds all of it.
  const big = new Uint8Array(64 << 20);
  for (let i = 0; i < big.length; i += 4096) big[i] = i >>> 12;
  const gz = new Uint8Array(gzipSync(big));

  for (const [name, engine] of engines.slice(1)) {
    it(`${name}: reading 1 MiB of a 64 MiB image reads back at most ~3 MiB from the engine`, async () => {
      const w = watched(engine!);
      const opened = await gzipCodec.open(new MemoryDisk(gz), { inflate: w.engine });
      expect(equalBytes(await opened.image.read(0, 1 << 20), big.subarray(0, 1 << 20))).toBe(true);
      expect(w.log.readBack).toBeGreaterThanOrEqual(1 << 20);
      // what was asked, the walk's lead (AHEAD), and the chunk that crosses it
      expect(w.log.readBack).toBeLessThanOrEqual(3 << 20);
      await opened.close();
    });

    it(`${name}: a cancel mid-decode is ABORTED and closes the engine's stream`, async () => {
      const w = watched(engine!);
      const ac = new AbortController();
      const opened = await gzipCodec.open(new MemoryDisk(gz), { inflate: w.engine, signal: ac.signal });
      await opened.image.read(0, 4 << 20);
      ac.abort();
      const head = opened.image as unknown as { ensure(n: number, s?: AbortSignal): Promise<void> };
      const e = await head.ensure(big.length, ac.signal).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CoreError);
      expect((e as CoreError).code).toBe('ABORTED');
      // The abort itself frees the engine's stream: nothing waits for a pull that will not come.
      expect(w.log.closed).toBeGreaterThanOrEqual(1);
    });
  }

  it("node-zlib holds back: given 64 MiB of zeros' input, it decodes a few MiB beyond what was read", async () => {
    const zeros = deflateRawSync(new Uint8Array(64 << 20));
    const s = nodeInflate.start() as InflateStream & { decoded: number };
    s.write(zeros, true);
    const first = await s.read();
    expect(first!.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // time enough to decode far more, were it not paused
    expect(s.decoded).toBeLessThanOrEqual(4 << 20);
    for (let i = 0; i < 8; i++) await s.read(); // reading on resumes it
    expect(s.decoded).toBeGreaterThan(first!.length + (4 << 20));
    s.close();
  });
});
