/**
 * NodeFile reads the piece after a large read ahead (node-io.ts): whatever order the core reads
 * in — front to back, a jump, a shorter read where the next piece is, a write in between — every
 * read returns the file's bytes at that offset, and an error of a piece read ahead reaches the
 * read that asks for it, not the process.
 */
import { truncateSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFile } from '../../../src/cli/node-io.ts';
import { equalBytes } from '../../helpers/codec-fixtures.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('preflash-read-ahead-');
afterAll(() => tmp.cleanup());

const MiB = 1 << 20;
const SIZE = 5 * MiB + 12345;
const bytes = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i++) bytes[i] = (i * 7 + (i >>> 11)) & 0xff;

/** The file's bytes [at, at + n)? (toEqual walks a MiB element by element: seconds per read.) */
function isFileAt(got: Uint8Array, at: number, n = got.length): boolean {
  return got.length === n && equalBytes(got, bytes.subarray(at, at + n));
}

function file(name: string): string {
  const path = tmp.path(name);
  writeFileSync(path, bytes);
  return path;
}

describe('NodeFile read-ahead', () => {
  it('front to back in 1 MiB pieces, the last one short: the file, byte for byte', async () => {
    const f = await NodeFile.open(file('seq.img'));
    try {
      for (let at = 0; at < SIZE; at += MiB) {
        const n = Math.min(MiB, SIZE - at);
        expect(isFileAt(await f.read(at, n), at, n), `read ${n} at ${at}`).toBe(true);
      }
    } finally {
      await f.close();
    }
  });

  it('jumps, a shorter read where the next piece starts, small reads and a read past the piece read ahead', async () => {
    const f = await NodeFile.open(file('jumps.img'));
    const reads: [number, number][] = [
      [0, MiB],
      [MiB, 4096], // the piece read ahead, shorter
      [3 * MiB, MiB], // a jump: the piece read ahead is not used
      [4 * MiB, MiB], // continues the jump: its piece was read ahead
      [5 * MiB, SIZE - 5 * MiB], // the short last piece
      [17, 100],
      [2 * MiB - 5, MiB + 10],
      [2 * MiB + 10 + MiB - 5, 300_000],
    ];
    try {
      for (const [at, n] of reads) expect(isFileAt(await f.read(at, n), at, n), `read ${n} at ${at}`).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('a write after a large read: the next read sees the written bytes, not the piece read before it', async () => {
    const path = file('write.img');
    const f = await NodeFile.open(path, 'r+');
    try {
      await f.read(0, MiB);
      const patch = new Uint8Array(512).fill(0xee);
      await f.write(MiB + 100, patch);
      const got = await f.read(MiB, MiB);
      expect(equalBytes(got.subarray(100, 612), patch)).toBe(true);
      expect(isFileAt(got.subarray(0, 100), MiB)).toBe(true);
      expect(isFileAt(got.subarray(612), MiB + 612)).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('a file cut short behind its back: the read that asks for the missing bytes fails, the one read ahead only then', async () => {
    const path = file('cut.img');
    const f = await NodeFile.open(path);
    try {
      await f.read(0, MiB); // reads [1, 2) MiB ahead
      truncateSync(path, MiB + 1000);
      await expectCode(f.read(2 * MiB, MiB), 'IO_TRUNCATED');
      // The piece read ahead was read before the cut, or fails as truncated: never anything else.
      const ahead = await f.read(MiB, MiB).then(
        (b) => b,
        (e: unknown) => e,
      );
      if (ahead instanceof Uint8Array) expect(isFileAt(ahead.subarray(0, 1000), MiB)).toBe(true);
      else expect((ahead as { code?: string }).code).toBe('IO_TRUNCATED');
    } finally {
      await f.close();
    }
  });
});
