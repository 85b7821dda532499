/**
 * The xz codec against the real xz tool: fixtures compressed by `xz` at test time (multi-block
 * with sizes in headers, single-threaded single-block and multi-block without sizes, every check
 * type, concatenated streams); outputs checked with `xz -t`, `xz -dc` and `xz -lvv --robot`.
 */
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangedRange } from '../../src/core/io/overlay.ts';
import { xzCodec } from '../../src/core/codecs/xz.ts';
import { hasTool, run, runBytes, runOk, tempDir } from '../helpers/tools.ts';

const MiB = 1 << 20;
const BLOCK = 8 * MiB;
const haveXz = hasTool('xz') && hasTool('gzip');
const tmp = tempDir('preflash-xz-');
const rawPath = tmp.path('fx.img');
let raw: Buffer;

/** 64 MiB like a disk image: random, log-like text, random, zeros, config-like text, zeros (deterministic). */
function makeRaw(): Buffer {
  const b = Buffer.alloc(64 * MiB);
  let x = 12345;
  const random = (from: number, to: number) => {
    for (let i = from; i < to; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b.writeInt32LE(x | 0, i);
    }
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

function input(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: MiB })) as unknown as ReadableStream<Uint8Array>;
}

/** A file sink that deletes the file when aborted: a failed write leaves no output file. */
function fileSink(path: string): WritableStream<Uint8Array> {
  const fd = openSync(path, 'w');
  return new WritableStream({
    write: (c) => void writeSync(fd, c),
    close: () => closeSync(fd),
    abort: () => {
      closeSync(fd);
      unlinkSync(path);
    },
  });
}

function patched(changes: ChangedRange[]): Buffer {
  const b = Buffer.from(raw);
  for (const c of changes) b.set(c.bytes, c.offset);
  return b;
}

interface RobotBlock {
  number: number;
  compressedOffset: number;
  uncompressedOffset: number;
  totalSize: number;
}

/** `xz -lvv --robot` block lines: "block stream blockInStream blockInFile compOffset uncompOffset totalSize …". */
function robotBlocks(path: string): RobotBlock[] {
  return runOk('xz', ['-lvv', '--robot', path])
    .split('\n')
    .filter((l) => l.startsWith('block\t'))
    .map((l) => l.split('\t').map(Number))
    .map((f) => ({ number: f[3], compressedOffset: f[4], uncompressedOffset: f[5], totalSize: f[6] }));
}

function expectXzDecodesTo(path: string, expected: Buffer): void {
  expect(run('xz', ['-t', path]).status).toBe(0);
  const decoded = runBytes('xz', ['-dc', path]);
  expect(decoded.length).toBe(expected.length);
  expect(decoded.equals(expected)).toBe(true);
}

async function splice(name: Fixture | string, changes: ChangedRange[], readFirst = 4096) {
  const opened = await xzCodec.open(input(fx(name)));
  await opened.image.read(0, readFirst);
  const out = tmp.path(`${name}.out.xz`);
  const started = performance.now();
  const summary = await opened.writeSpliced(changes, fileSink(out));
  return { out, summary, ms: performance.now() - started };
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

  it('reads the multi-block file like the raw image, and writes it back plain byte for byte', async () => {
    expect(robotBlocks(fx('multi'))).toHaveLength(8);
    const opened = await xzCodec.open(input(fx('multi')));
    for (const [offset, length] of [[0, 512], [BLOCK - 100, 200], [2 * BLOCK - 1, 2], [21 * MiB, 3 * MiB], [64 * MiB - 1, 1]]) {
      expect(Buffer.from(await opened.image.read(offset, length)).equals(raw.subarray(offset, offset + length))).toBe(true);
    }
    const out = tmp.path('multi.img');
    const summary = await opened.writeDecoded([], fileSink(out));
    expect(summary).toMatchObject({ bytesWritten: raw.length, imageSize: raw.length });
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

    const before = robotBlocks(fx('multi'));
    const after = robotBlocks(out);
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
      `xz splice (64 MiB, 8 blocks, 2 touched): ${ms.toFixed(0)} ms vs xz -dc ${native.toFixed(0)} ms; ` +
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

  it('refuses to splice a single-block file (SPLICE_IMPOSSIBLE, no output), then writes the plain image', async () => {
    expect(robotBlocks(fx('single'))).toHaveLength(1);
    const opened = await xzCodec.open(input(fx('single')));
    await opened.image.read(0, 4096);
    const changes = [{ offset: 4096, bytes: bytes(512, 0x66) }];
    const refused = tmp.path('single.out.xz');
    await expect(opened.writeSpliced(changes, fileSink(refused))).rejects.toMatchObject({ code: 'SPLICE_IMPOSSIBLE', message: expect.stringMatching(/single block/) });
    expect(existsSync(refused)).toBe(false);
    const out = tmp.path('single.img');
    await opened.writeDecoded(changes, fileSink(out));
    expect(readFileSync(out).equals(patched(changes))).toBe(true);
  });

  it('splices inside the second of two concatenated streams', async () => {
    const cat = Buffer.concat([readFileSync(fx('crc32')), Buffer.alloc(4), readFileSync(fx('none'))]);
    writeFileSync(fx('two-streams'), cat);
    const changes = [{ offset: raw.length + BLOCK + 1, bytes: bytes(10, 0x77) }];
    const { out } = await splice('two-streams', changes);
    expectXzDecodesTo(out, Buffer.concat([raw, patched(changes.map((c) => ({ ...c, offset: c.offset - raw.length })))]));
  });

  it('names the block whose check is wrong, and leaves no output', async () => {
    const bad = readFileSync(fx('multi'));
    const [, second] = robotBlocks(fx('multi'));
    bad[second.compressedOffset + second.totalSize - 1] ^= 0x01; // last byte of block 2's CRC64
    writeFileSync(fx('bad-check'), bad);
    const opened = await xzCodec.open(input(fx('bad-check')));
    await expect(opened.image.read(BLOCK + 10, 10)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 2 is corrupt/) });

    const again = await xzCodec.open(input(fx('bad-check')));
    const out = tmp.path('bad-check.out.xz');
    await expect(again.writeSpliced([{ offset: BLOCK + 5, bytes: bytes(1, 1) }], fileSink(out))).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT' });
    expect(existsSync(out)).toBe(false);
  });

  it('with verifyInput, also catches corruption in a block that would only be copied', async () => {
    const bad = readFileSync(fx('multi'));
    const sixth = robotBlocks(fx('multi'))[5];
    bad[sixth.compressedOffset + 40] ^= 0x80;
    writeFileSync(fx('bad-data'), bad);
    const opened = await xzCodec.open(input(fx('bad-data')));
    const out = tmp.path('bad-data.out.xz');
    await expect(opened.writeSpliced([{ offset: 100, bytes: bytes(4, 9) }], fileSink(out), { verifyInput: true })).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/block 6/),
    });
    expect(existsSync(out)).toBe(false);
  });

  it('reports a truncated file instead of hanging', async () => {
    const whole = readFileSync(fx('multi'));
    writeFileSync(fx('truncated'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const opened = await xzCodec.open(input(fx('truncated')));
    const out = tmp.path('truncated.out.xz');
    await expect(opened.writeSpliced([{ offset: 100, bytes: bytes(4, 9) }], fileSink(out))).rejects.toMatchObject({ code: 'IO_TRUNCATED' });
    expect(existsSync(out)).toBe(false);
  });

  it('names a filter the WASM decoder lacks (x86 BCJ) instead of failing vaguely', async () => {
    await xzTo(['--x86', '--lzma2=preset=0'], tmp.path('part.img'), fx('bcj'));
    await expect(xzCodec.open(input(fx('bcj')))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/x86 BCJ \+ LZMA2/) });
  });

  it('rejects a .xz that holds a .gz (nested compression)', async () => {
    runOk('gzip', ['-1', '-k', tmp.path('part.img')]);
    await xzTo(['-0'], tmp.path('part.img.gz'), fx('nested'));
    await expect(xzCodec.open(input(fx('nested')))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/gzip/) });
  });
});
