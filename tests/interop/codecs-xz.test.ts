/**
 * The xz codec against the real xz tool: fixtures compressed by `xz` at test time (multi-block
 * with sizes in headers, single-threaded single-block and multi-block without sizes, every check
 * type, concatenated streams), opened as Node files; splice recipes realised with writeRecipe and
 * checked with `xz -t`, `xz -dc` and `xz -lvv --robot`.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeFile } from '../../src/cli/node-io.ts';
import type { ChangedRange } from '../../src/core/io/overlay.ts';
import { writeRecipe } from '../../src/core/io/recipe.ts';
import { xzCodec } from '../../src/core/codecs/xz/codec.ts';
import { encodeIndex, encodeStreamFooter, parseIndex, readStreamFooter } from '../../src/core/codecs/xz/format.ts';
import { hasTool, run, runBytes, runOk, tempDir } from '../helpers/tools.ts';
import { fileSinkRemovedOnAbort } from '../helpers/codec-fixtures.ts';
import { xorshift32 } from '../helpers/xorshift.ts';
import { xzListBlocks } from '../helpers/xz-list.ts';

const MiB = 1 << 20;
const BLOCK = 8 * MiB;
const haveXz = hasTool('xz') && hasTool('gzip');
const tmp = tempDir('preflash-xz-');
const rawPath = tmp.path('fx.img');
let raw: Buffer;

/** 64 MiB like a disk image: random, log-like text, random, zeros, config-like text, zeros (deterministic). */
function makeRaw(): Buffer {
  const b = Buffer.alloc(64 * MiB);
  const next = xorshift32(12345);
  const random = (from: number, to: number) => {
    for (let i = from; i < to; i += 4) b.writeUInt32LE(next(), i);
  };
  const text = (from: number, to: number, line: (n: number) => string) => {
    for (let p = from, n = 0; p < to; n++) p += b.write(line(n), p, to - p);
  };
  random(0, 1 * MiB);
  text(1 * MiB, 12 * MiB, (n) => `line ${n} of the boot log: value=${(n * 7919) % 100003} ok\n`);
  random(20 * MiB, 22 * MiB);
  text(48 * MiB, 52 * MiB, (n) => `etc/config ${n} ${n % 17}\n`);
  return b;
}

/** Runs xz with args, stdout to `out` (async, so fixtures compress side by side). */
function xzTo(args: string[], input: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(out, 'w');
    const p = spawn('xz', [...args, '-c', input], { stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    p.stderr?.on('data', (d) => (err += d));
    p.on('close', (code) => {
      closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`xz ${args.join(' ')}: ${err}`));
    });
  });
}

const fixtures = {
  multi: ['-T2', '-3', `--block-size=${BLOCK}`],
  single: ['-T1', '-0'],
  noSizes: ['-T1', '-0', `--block-size=${BLOCK}`],
  crc32: ['-T2', '-0', `--block-size=${BLOCK}`, '--check=crc32'],
  sha256: ['-T2', '-0', `--block-size=${BLOCK}`, '--check=sha256'],
  none: ['-T2', '-0', `--block-size=${BLOCK}`, '--check=none'],
};
type Fixture = keyof typeof fixtures;
const fx = (name: Fixture | string) => tmp.path(`${name}.xz`);

const openFiles: NodeFile[] = [];
async function input(path: string): Promise<NodeFile> {
  const file = await NodeFile.open(path);
  openFiles.push(file);
  return file;
}

function patched(changes: ChangedRange[]): Buffer {
  const b = Buffer.from(raw);
  for (const c of changes) b.set(c.bytes, c.offset);
  return b;
}

function expectXzDecodesTo(path: string, expected: Buffer): void {
  expect(run('xz', ['-t', path]).status).toBe(0);
  const decoded = runBytes('xz', ['-dc', path]);
  expect(decoded.length).toBe(expected.length);
  expect(decoded.equals(expected)).toBe(true);
}

/** Opens, reads the head (as planning would), splices, and realises the recipe into a file. */
async function splice(name: Fixture | string, changes: ChangedRange[], readFirst = 4096) {
  const file = await input(fx(name));
  const started = performance.now();
  const opened = await xzCodec.open(file);
  await opened.image.read(0, readFirst);
  const summary = await opened.splice!(changes);
  const ms = performance.now() - started;
  const out = tmp.path(`${name}.out.xz`);
  await writeRecipe(summary.recipe, file, fileSinkRemovedOnAbort(out));
  return { out, summary, ms };
}

/** A copy of fixture `name` changed by `edit`, written as `to`. */
function variant(name: Fixture, to: string, edit: (bytes: Buffer) => Buffer): string {
  writeFileSync(fx(to), edit(readFileSync(fx(name))));
  return fx(to);
}

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe.skipIf(!haveXz)('xz codec with the xz tool', () => {
  beforeAll(async () => {
    raw = makeRaw();
    writeFileSync(rawPath, raw);
    writeFileSync(tmp.path('part.img'), raw.subarray(0, 4 * MiB));
    await Promise.all(Object.entries(fixtures).map(([name, args]) => xzTo(args, rawPath, fx(name))));
  });
  afterAll(() => tmp.cleanup());
  afterEach(async () => {
    for (const f of openFiles.splice(0)) await f.close();
  });

  it('reads the multi-block file like the raw image, and writes it back plain byte for byte', async () => {
    expect(xzListBlocks(fx('multi'))).toHaveLength(8);
    const opened = await xzCodec.open(await input(fx('multi')));
    expect(opened.image.size).toBe(raw.length);
    for (const [offset, length] of [[0, 512], [BLOCK - 100, 200], [2 * BLOCK - 1, 2], [21 * MiB, 3 * MiB], [64 * MiB - 1, 1]]) {
      expect(Buffer.from(await opened.image.read(offset, length)).equals(raw.subarray(offset, offset + length))).toBe(true);
    }
    const out = tmp.path('multi.img');
    const summary = await opened.writeDecoded([], fileSinkRemovedOnAbort(out));
    expect(summary).toMatchObject({ bytesWritten: raw.length, imageSize: raw.length });
    expect(summary.decodedBytes).toBeGreaterThanOrEqual(raw.length);
    expect(readFileSync(out).equals(raw)).toBe(true);
  });

  it('splices changes in blocks 0 and 1 and across their boundary; untouched blocks stay byte-identical', async () => {
    const changes = [
      { offset: 446, bytes: bytes(64, 0x11) },
      { offset: BLOCK - 300, bytes: bytes(600, 0x22) },
      { offset: BLOCK + 3 * MiB, bytes: bytes(4096, 0x33) },
    ];
    const { out, summary, ms } = await splice('multi', changes);
    expectXzDecodesTo(out, patched(changes));
    expect(summary.reencodedBytes).toBe(2 * BLOCK);
    // Planning read block 0; the splice decoded blocks 0 and 1, nothing else.
    expect(summary.decodedBytes).toBe(2 * BLOCK);

    const before = xzListBlocks(fx('multi'));
    const after = xzListBlocks(out);
    expect(after.map((b) => b.uncompressedOffset)).toEqual(before.map((b) => b.uncompressedOffset));
    const inBytes = readFileSync(fx('multi'));
    const outBytes = readFileSync(out);
    for (const b of before.slice(2)) {
      const a = after[b.number - 1];
      expect(a.totalSize).toBe(b.totalSize);
      const same = inBytes.subarray(b.compressedOffset, b.compressedOffset + b.totalSize).equals(outBytes.subarray(a.compressedOffset, a.compressedOffset + a.totalSize));
      expect(same, `block ${b.number} copied verbatim`).toBe(true);
    }
    const t = performance.now();
    runBytes('xz', ['-dc', fx('multi')]);
    const native = performance.now() - t;
    console.log(
      `xz splice (64 MiB, 8 blocks, 2 touched; open + plan read + splice, in process): ${ms.toFixed(0)} ms vs xz -dc ${native.toFixed(0)} ms; ` +
        `output ${outBytes.length} B vs input ${inBytes.length} B (+${outBytes.length - inBytes.length} B, stored blocks)`,
    );
  });

  for (const name of ['crc32', 'sha256', 'none'] as const) {
    it(`splices a file with --check=${name}, the new block carrying a valid ${name} check`, async () => {
      const changes = [{ offset: 2 * BLOCK + 12345, bytes: bytes(777, 0x44) }];
      const { out } = await splice(name, changes);
      expectXzDecodesTo(out, patched(changes));
      expect(runOk('xz', ['-lvv', '--robot', out])).toContain(name === 'none' ? 'None' : name === 'crc32' ? 'CRC32' : 'SHA-256');
    });
  }

  it('splices a multi-block file written without sizes in block headers (xz -T1 --block-size)', async () => {
    expect(runOk('xz', ['-lvv', fx('noSizes')])).toMatch(/Sizes in headers:\s+No/);
    const changes = [{ offset: 5 * MiB, bytes: bytes(1000, 0x55) }];
    const { out } = await splice('noSizes', changes);
    expectXzDecodesTo(out, patched(changes));
  });

  it('refuses to splice a single-block file (SPLICE_IMPOSSIBLE naming the alternatives), then writes the plain image', async () => {
    expect(xzListBlocks(fx('single'))).toHaveLength(1);
    const opened = await xzCodec.open(await input(fx('single')));
    await opened.image.read(0, 4096);
    const changes = [{ offset: 4096, bytes: bytes(512, 0x66) }];
    await expect(opened.splice!(changes)).rejects.toMatchObject({
      code: 'SPLICE_IMPOSSIBLE',
      message: expect.stringMatching(/single block.*\.img \(raw\) or \.img\.gz \(gzip\)/),
      detail: expect.objectContaining({ alternatives: ['raw', 'gzip'] }),
    });
    const out = tmp.path('single.img');
    await opened.writeDecoded(changes, fileSinkRemovedOnAbort(out));
    expect(readFileSync(out).equals(patched(changes))).toBe(true);
  });

  it('splices inside the second of two concatenated streams, copying the first stream whole', async () => {
    const first = readFileSync(fx('crc32'));
    writeFileSync(fx('two-streams'), Buffer.concat([first, Buffer.alloc(4), readFileSync(fx('none'))]));
    const changes = [{ offset: raw.length + BLOCK + 1, bytes: bytes(10, 0x77) }];
    const { out, summary } = await splice('two-streams', changes);
    expect(summary.recipe.segments[0]).toMatchObject({ kind: 'input', offset: 0 });
    expect((summary.recipe.segments[0] as { length: number }).length).toBeGreaterThan(first.length + 4);
    expectXzDecodesTo(out, Buffer.concat([raw, patched(changes.map((c) => ({ ...c, offset: c.offset - raw.length })))]));
  });

  it('names the block whose check is wrong, for reads, splices and the plain image, and leaves no output', async () => {
    const [, second] = xzListBlocks(fx('multi'));
    const path = variant('multi', 'bad-check', (b) => {
      b[second.compressedOffset + second.totalSize - 1] ^= 0x01; // last byte of block 2's CRC64
      return b;
    });
    const opened = await xzCodec.open(await input(path));
    await expect(opened.image.read(BLOCK + 10, 10)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 2 \(at byte \d+\) is corrupt/) });
    await expect(opened.splice!([{ offset: BLOCK + 5, bytes: bytes(1, 1) }])).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT' });
    const out = tmp.path('bad-check.img');
    await expect(opened.writeDecoded([], fileSinkRemovedOnAbort(out))).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 2/) });
    expect(existsSync(out)).toBe(false);
  });

  it('a flipped bit inside a block\'s compressed data: a clean ARCHIVE_CORRUPT naming the block, no stray stream error', async () => {
    const blocks = xzListBlocks(fx('multi'));
    for (const [i, at] of [[0, 0.5], [3, 0.5], [7, 0.3]]) {
      const path = variant('multi', `flip-${i}`, (b) => {
        b[blocks[i].compressedOffset + Math.floor(blocks[i].totalSize * at)] ^= 0x04;
        return b;
      });
      const out = tmp.path(`flip-${i}.img`);
      // Block 1 is decoded at open (the nested-compression check), so its flip fails there.
      const decode = async () => (await xzCodec.open(await input(path))).writeDecoded([], fileSinkRemovedOnAbort(out));
      await expect(decode()).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(new RegExp(`block ${i + 1}`)) });
      expect(existsSync(out)).toBe(false);
    }
  });

  it('with verifyInput, also catches corruption in a block that would only be copied', async () => {
    const sixth = xzListBlocks(fx('multi'))[5];
    const path = variant('multi', 'bad-data', (b) => {
      b[sixth.compressedOffset + 40] ^= 0x80;
      return b;
    });
    const opened = await xzCodec.open(await input(path));
    await expect(opened.splice!([{ offset: 100, bytes: bytes(4, 9) }], { verifyInput: true })).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/block 6/),
    });
    // Without it, the block is copied as it is: the output is no worse than the input.
    const again = await xzCodec.open(await input(path));
    await again.splice!([{ offset: 100, bytes: bytes(4, 9) }]);
  });

  it('reports a truncated file (cut anywhere, footer included) as ARCHIVE_CORRUPT, reason truncated', async () => {
    const whole = readFileSync(fx('multi'));
    for (const cut of [Math.floor(whole.length * 0.6), whole.length - 6, whole.length - 1]) {
      writeFileSync(fx('truncated'), whole.subarray(0, cut));
      await expect(xzCodec.open(await input(fx('truncated')))).rejects.toMatchObject({
        code: 'ARCHIVE_CORRUPT',
        detail: expect.objectContaining({ reason: 'truncated' }),
      });
    }
  });

  it('names bytes appended after the last stream', async () => {
    const size = readFileSync(fx('multi')).length;
    const path = variant('multi', 'garbage', (b) => Buffer.concat([b, Buffer.from('trailing junk')]));
    await expect(xzCodec.open(await input(path))).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(new RegExp(`13 unexpected bytes after the end of its last stream \\(from byte ${size}\\)`)),
    });
  });

  it('catches an index whose sizes disagree with the block headers (index CRC recomputed)', async () => {
    const path = variant('multi', 'lying-index', (b) => {
      const { indexSize } = readStreamFooter(b.subarray(b.length - 12));
      const indexAt = b.length - 12 - indexSize;
      const records = parseIndex(b.subarray(indexAt, b.length - 12), indexAt);
      records[2] = { ...records[2], uncompressedSize: records[2].uncompressedSize - 512 };
      records[3] = { ...records[3], uncompressedSize: records[3].uncompressedSize + 512 };
      const index = encodeIndex(records);
      return Buffer.concat([b.subarray(0, indexAt), index, encodeStreamFooter(index.length, 4)]);
    });
    const opened = await xzCodec.open(await input(path));
    await expect(opened.splice!([{ offset: 100, bytes: bytes(4, 9) }])).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/index does not match block 3 .*header says 8388608 uncompressed bytes, the index 8388096/),
    });
    await expect(opened.writeDecoded([], fileSinkRemovedOnAbort(tmp.path('lying.img')))).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 3/) });
    expect(existsSync(tmp.path('lying.img'))).toBe(false);
  });

  it('names a filter the WASM decoder lacks (x86 BCJ) instead of failing vaguely', async () => {
    await xzTo(['--x86', '--lzma2=preset=0'], tmp.path('part.img'), fx('bcj'));
    await expect(xzCodec.open(await input(fx('bcj')))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/x86 BCJ \+ LZMA2/) });
  });

  it('rejects a .xz that holds a .gz (nested compression)', async () => {
    runOk('gzip', ['-1', '-k', tmp.path('part.img')]);
    await xzTo(['-0'], tmp.path('part.img.gz'), fx('nested'));
    await expect(xzCodec.open(await input(fx('nested')))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/gzip/) });
  });
});
