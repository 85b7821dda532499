/** The worker's small pieces: a Blob as a ByteSource, and the suggested output names. */
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../../workers/blob-source.ts';
import { suggestedFileName } from '../../../workers/output-name.ts';

/** A Blob whose slice().arrayBuffer() calls are logged (start, end), optionally failing some. */
function loggedBlob(bytes: Uint8Array<ArrayBuffer>, fail?: (start: number, end: number) => boolean) {
  const blob = new Blob([bytes]);
  const reads: [number, number][] = [];
  const slice = blob.slice.bind(blob);
  blob.slice = ((start = 0, end = blob.size) => {
    const part = slice(start, end);
    return {
      arrayBuffer: () => {
        reads.push([start, end]);
        return fail?.(start, end) ? Promise.reject(new DOMException('gone', 'NotReadableError')) : part.arrayBuffer();
      },
    } as unknown as Blob;
  }) as Blob['slice'];
  return { blob, reads };
}

const KiB = 1024;
const MiB = 1024 * KiB;
function pattern(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 7 + (i >> 8)) & 255;
  return bytes;
}

describe('blobSource', () => {
  it('reads exact ranges, tracks the furthest byte read, refuses ranges outside', async () => {
    const source = blobSource(new Blob([Uint8Array.from({ length: 100 }, (_, i) => i)]));
    expect([...(await source.read(10, 3))]).toEqual([10, 11, 12]);
    expect(source.readTo).toBe(13);
    await source.read(0, 5);
    expect(source.readTo).toBe(13);
    await expect(source.read(98, 3)).rejects.toMatchObject({ code: 'IO_OUT_OF_RANGE' });
  });

  it('a file that can no longer be read is IO_TRUNCATED, not an internal error', async () => {
    const gone = new Blob([new Uint8Array(10)]);
    gone.slice = () => ({ arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) }) as unknown as Blob;
    await expect(blobSource(gone).read(0, 4)).rejects.toMatchObject({ code: 'IO_TRUNCATED', detail: { cause: 'NotReadableError' } });
  });

  it('returns the same bytes as the Blob for any mix of reads (cache, read-ahead, tail)', async () => {
    const bytes = pattern(9 * MiB + 123);
    const source = blobSource(new Blob([bytes]), { cacheBytes: 3 * MiB });
    let seed = 1;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const reads: [number, number][] = [[0, 4096], [0, MiB], [MiB, MiB], [2 * MiB, MiB], [bytes.length - 8, 8], [100, 1]];
    for (let i = 0; i < 40; i++) {
      const offset = rand(bytes.length);
      reads.push([offset, Math.min(bytes.length - offset, rand(4) === 0 ? rand(2 * MiB) : rand(600))]);
    }
    for (const [offset, length] of reads) {
      expect(Buffer.from(await source.read(offset, length)).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
    }
  });

  it('serves reads inside a piece it holds, and widens small reads to minRead', async () => {
    const { blob, reads } = loggedBlob(pattern(8 * MiB));
    const source = blobSource(blob, { tailBytes: 0, readAhead: 0 });
    await source.read(0, 4096);
    await source.read(0, MiB); // inside the first piece: widened to 1 MiB
    await source.read(5000, 1);
    expect(reads).toEqual([[0, MiB]]);
    await source.read(MiB - 2, 4); // crosses the piece's end: read again, widened
    expect(reads).toEqual([[0, MiB], [MiB - 2, 2 * MiB - 2]]);
  });

  it('reads ahead while a sequential reader works, and the input tail with the first read', async () => {
    const size = 10 * MiB;
    const { blob, reads } = loggedBlob(pattern(size));
    const source = blobSource(blob);
    await source.read(0, 4096);
    expect(reads).toEqual([[0, MiB], [size - 64 * KiB, size]]);
    await source.read(0, MiB); // held; continues the 4 KiB read: the next two pieces are asked for
    expect(reads.slice(2)).toEqual([[MiB, 2 * MiB], [2 * MiB, 3 * MiB]]);
    await source.read(MiB, MiB);
    expect(reads.slice(4)).toEqual([[3 * MiB, 4 * MiB]]);
    await source.read(size - 8, 8); // the trailer: held since the first read
    await source.read(2 * MiB + 17, 3); // a byte inside the head, read again later
    expect(reads).toHaveLength(5);
    // Progress counts what the core asked for, not what was read ahead.
    expect(source.readTo).toBe(size);
  });

  it('holds at most cacheBytes (plus the tail), dropping the oldest pieces first', async () => {
    const { blob, reads } = loggedBlob(pattern(12 * MiB));
    const source = blobSource(blob, { cacheBytes: 4 * MiB, readAhead: 0 });
    for (let p = 0; p < 8 * MiB; p += MiB) await source.read(p, MiB);
    const before = reads.length;
    await source.read(12 * MiB - 8, 8); // the tail is kept
    await source.read(7 * MiB + 5, 5); // recent: held
    expect(reads).toHaveLength(before);
    await source.read(5, 5); // the first piece was dropped
    expect(reads).toHaveLength(before + 1);
  });

  it('a failed read-ahead is no unhandled rejection; the read that needs it fails, a retry reads again', async () => {
    let failing = true;
    const { blob, reads } = loggedBlob(pattern(4 * MiB), (start) => failing && start === 2 * MiB);
    const source = blobSource(blob, { tailBytes: 0 });
    await source.read(0, MiB);
    await source.read(MiB, MiB); // asks for [2, 3) MiB ahead, which fails
    await new Promise((r) => setTimeout(r, 10));
    await expect(source.read(2 * MiB, MiB)).rejects.toMatchObject({ code: 'IO_TRUNCATED', detail: { cause: 'NotReadableError' } });
    failing = false;
    expect([...(await source.read(2 * MiB, 4))]).toEqual([...pattern(2 * MiB + 4).subarray(2 * MiB)]);
    expect(reads.filter(([s]) => s === 2 * MiB).length).toBeGreaterThanOrEqual(2);
  });
});

describe('suggestedFileName', () => {
  it.each([
    ['balena.img', 'raw', 'raw', 'balena-configured.img'],
    ['balena.img.gz', 'gzip', 'gzip', 'balena-configured.img.gz'],
    ['balena.img.gz', 'gzip', 'raw', 'balena-configured.img'],
    ['balena.img.xz', 'xz', 'gzip', 'balena-configured.img.gz'],
    ['raspberrypi4-64-6.5.17.img.zip', 'zip', 'zip', 'raspberrypi4-64-6.5.17-configured.img.zip'],
    ['C:\\Downloads\\image', 'raw', 'raw', 'image-configured.img'],
  ] as const)('%s (%s → %s) → %s', (input, from, to, expected) => {
    expect(suggestedFileName(input, from, to)).toBe(expected);
  });
});
