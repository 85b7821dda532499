/** The worker's small pieces: a Blob as a ByteSource, and the suggested output names. */
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../../workers/blob-source.ts';
import { recipeBlob } from '../../../workers/handle.ts';
import { suggestedFileName } from '../../../workers/output-name.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

function pattern(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 7 + (i >> 8)) & 255;
  return bytes;
}

/**
 * A Blob that logs what is read: `slices` for each slice().arrayBuffer() [start, end), `chunks` for
 * each chunk a slice().stream() delivered (pulled one at a time, `chunk` bytes each, as Chromium
 * delivers a File), `cancelled` for streams cancelled. `fail` makes a read or a chunk fail.
 */
function loggedBlob(bytes: Uint8Array<ArrayBuffer>, { chunk = 192 * KiB, fail }: { chunk?: number; fail?: (kind: 'slice' | 'stream', start: number) => boolean } = {}) {
  const log = { slices: [] as [number, number][], chunks: [] as [number, number][], streams: [] as number[], cancelled: 0 };
  const blob = new Blob([bytes]);
  blob.slice = ((start = 0, end = bytes.length) => ({
    size: end - start,
    arrayBuffer: async () => {
      log.slices.push([start, end]);
      if (fail?.('slice', start)) throw new DOMException('gone', 'NotReadableError');
      return bytes.slice(start, end).buffer;
    },
    stream: () => {
      log.streams.push(start);
      let at = start;
      return new ReadableStream<Uint8Array>(
        {
          pull(c) {
            if (at >= end) return c.close();
            if (fail?.('stream', at)) return c.error(new DOMException('gone', 'NotReadableError'));
            const to = Math.min(end, at + chunk);
            log.chunks.push([at, to]);
            c.enqueue(bytes.slice(at, to));
            at = to;
          },
          cancel() {
            log.cancelled++;
          },
        },
        { highWaterMark: 0 },
      );
    },
  })) as unknown as Blob['slice'];
  return { blob, log };
}

/** How far the streams have been pulled. */
const pulledTo = (log: { chunks: [number, number][] }) => Math.max(0, ...log.chunks.map(([, e]) => e));
const settle = () => new Promise((r) => setTimeout(r, 5));

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
    await expect(blobSource(gone).read(3, 4)).rejects.toMatchObject({ code: 'IO_TRUNCATED', detail: { cause: 'NotReadableError' } });
  });

  it('returns the Blob\'s bytes for any mix of reads (stream, pieces, cache, tail)', async () => {
    const bytes = pattern(9 * MiB + 123);
    let seed = 1;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const reads: [number, number][] = [[0, 4096], [0, MiB], [MiB, MiB], [2 * MiB, MiB], [bytes.length - 8, 8], [100, 1], [3 * MiB, 2 * MiB + 5]];
    for (let i = 0; i < 60; i++) {
      const offset = rand(bytes.length);
      reads.push([offset, Math.min(bytes.length - offset, rand(4) === 0 ? rand(2 * MiB) : rand(600))]);
      if (rand(3) === 0) reads.push([offset + reads[reads.length - 1][1], Math.min(bytes.length - offset - reads[reads.length - 1][1], rand(MiB))]);
    }
    for (const blob of [new Blob([bytes]), loggedBlob(bytes).blob, loggedBlob(bytes, { chunk: 1000 }).blob]) {
      const source = blobSource(blob, { cacheBytes: 3 * MiB });
      for (const [offset, length] of reads) {
        const got = await source.read(offset, length);
        expect(got.length).toBe(length);
        expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
      }
      source.close();
    }
  });

  it('reads a head front to back through one stream kept ahead of the reader, and the tail at once', async () => {
    const size = 40 * MiB;
    const { blob, log } = loggedBlob(pattern(size));
    const source = blobSource(blob);
    await source.read(0, 4096); // the magic: the stream starts at 0, the tail is asked for
    await settle();
    expect(log.streams).toEqual([0]);
    expect(log.slices).toEqual([[size - 64 * KiB, size]]);
    expect(pulledTo(log)).toBeGreaterThanOrEqual(2 * MiB);
    for (let p = 0; p < 8 * MiB; p += MiB) {
      await source.read(p, MiB);
      await settle();
      // At least half of readAhead (2 MiB) ahead of the reader (it tops up to 2 MiB when less
      // than 1 MiB is left, so the browser's own buffer fills in between), and no further.
      expect(pulledTo(log)).toBeGreaterThanOrEqual(p + 2 * MiB);
      expect(pulledTo(log)).toBeLessThan(p + 3 * MiB + 192 * KiB);
    }
    await source.read(size - 8, 8); // the trailer: held since the first read
    await source.read(2 * MiB + 17, 3); // a byte inside the head, read again
    expect(log.slices).toHaveLength(1);
    expect(log.streams).toEqual([0]);
    // Progress counts what the core asked for, not what was read ahead.
    expect(source.readTo).toBe(size);
    source.close();
    expect(log.cancelled).toBe(1);
  });

  it('a read far from the stream is one read of at least minRead, and does not drag the stream along', async () => {
    const size = 64 * MiB;
    const { blob, log } = loggedBlob(pattern(size));
    const source = blobSource(blob, { tailBytes: 0 });
    await source.read(0, MiB);
    await settle();
    const pulled = pulledTo(log);
    await source.read(30 * MiB, 512); // a partition's first sector
    await source.read(30 * MiB + 4096, 512); // inside the same piece: no read
    await settle();
    expect(log.slices).toEqual([[30 * MiB, 31 * MiB]]);
    expect(pulledTo(log)).toBe(pulled);
    // A read continuing the last one starts a stream there, from the first byte not held.
    await source.read(30 * MiB + 4608, MiB);
    await settle();
    expect(log.streams).toEqual([0, 31 * MiB]);
    expect(log.cancelled).toBe(1);
  });

  it('peek gives what the pieces already read hold, and never reads', async () => {
    const bytes = pattern(8 * MiB);
    const { blob, log } = loggedBlob(bytes, { chunk: 100 * KiB });
    const source = blobSource(blob, { tailBytes: 0 });
    expect(source.peek(0, 10)).toBeUndefined();
    await source.read(0, MiB);
    await settle();
    const reads = [log.slices.length, log.chunks.length];
    expect([...source.peek(150 * KiB - 3, 7)!]).toEqual([...bytes.subarray(150 * KiB - 3, 150 * KiB + 4)]); // across two chunks
    expect(source.peek(6 * MiB, 10)).toBeUndefined();
    expect(source.peek(8 * MiB - 1, 2)).toBeUndefined();
    expect([log.slices.length, log.chunks.length]).toEqual(reads);
  });

  it('without read-ahead: pieces only, held and reused', async () => {
    const { blob, log } = loggedBlob(pattern(8 * MiB));
    const source = blobSource(blob, { tailBytes: 0, readAhead: 0 });
    await source.read(0, 4096);
    await source.read(0, MiB); // inside the first piece: widened to 1 MiB
    await source.read(5000, 1);
    expect(log.slices).toEqual([[0, MiB]]);
    await source.read(MiB - 2, 4); // crosses the piece's end: read again, widened
    expect(log.slices).toEqual([[0, MiB], [MiB - 2, 2 * MiB - 2]]);
    expect(log.streams).toEqual([]);
  });

  it('holds at most cacheBytes (plus the tail), dropping the oldest pieces first', async () => {
    const { blob, log } = loggedBlob(pattern(12 * MiB), { chunk: MiB });
    const source = blobSource(blob, { cacheBytes: 4 * MiB });
    for (let p = 0; p < 8 * MiB; p += MiB) await source.read(p, MiB);
    await source.read(12 * MiB - 8, 8); // the tail is kept
    await source.read(7 * MiB + 5, 5); // recent: held
    expect(log.slices).toHaveLength(1);
    await source.read(5, 5); // the first pieces were dropped: read again
    expect(log.slices).toEqual([[12 * MiB - 64 * KiB, 12 * MiB], [5, MiB + 5]]);
  });

  it('a stream that fails mid-way falls back to reads of their own; a failed read is IO_TRUNCATED, a retry reads again', async () => {
    let failing = true;
    const { blob, log } = loggedBlob(pattern(8 * MiB), { fail: (kind, start) => failing && start >= 2 * MiB && start < 3 * MiB });
    const source = blobSource(blob, { tailBytes: 0 });
    await source.read(0, MiB);
    expect(Buffer.from(await source.read(MiB, MiB)).equals(Buffer.from(pattern(2 * MiB).subarray(MiB)))).toBe(true);
    await expect(source.read(2 * MiB, MiB)).rejects.toMatchObject({ code: 'IO_TRUNCATED', detail: { cause: 'NotReadableError' } });
    expect(log.slices).toEqual([[2 * MiB, 3 * MiB]]);
    failing = false;
    expect(Buffer.from(await source.read(2 * MiB, 4)).equals(Buffer.from(pattern(2 * MiB + 4).subarray(2 * MiB)))).toBe(true);
  });
});

describe('recipeBlob', () => {
  it('slices long input ranges, copies short ones already read in with the new bytes around them', async () => {
    const bytes = pattern(4 * MiB);
    const input = new Blob([bytes]);
    const source = blobSource(input, { tailBytes: 0, readAhead: 0 });
    await source.read(0, MiB); // holds [0, 1 MiB)
    const sliced: [number, number][] = [];
    const slice = input.slice.bind(input);
    input.slice = ((a?: number, b?: number) => (sliced.push([a!, b!]), slice(a, b))) as Blob['slice'];
    const segments = [
      { kind: 'input' as const, offset: 0, length: 23 },
      { kind: 'bytes' as const, bytes: new Uint8Array([1, 2, 3]) },
      { kind: 'input' as const, offset: 100, length: 40 * KiB },
      { kind: 'bytes' as const, bytes: new Uint8Array([4]) },
      { kind: 'input' as const, offset: 3 * MiB, length: 10 }, // short, but never read: sliced
      { kind: 'input' as const, offset: 3 * MiB + 10, length: MiB - 10 },
    ];
    const expected = Buffer.concat([bytes.subarray(0, 23), Buffer.from([1, 2, 3]), bytes.subarray(100, 100 + 40 * KiB), Buffer.from([4]), bytes.subarray(3 * MiB)]);
    const blob = recipeBlob({ segments, size: expected.length } as never, input, source);
    expect(Buffer.from(await blob.arrayBuffer()).equals(expected)).toBe(true);
    expect(sliced).toEqual([[3 * MiB, 3 * MiB + 10], [3 * MiB + 10, 4 * MiB]]);
    source.close();
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
