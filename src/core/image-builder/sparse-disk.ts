/**
 * An in-memory disk that stores only what was written: fixed-size chunks, allocated on the first
 * write that is not all zeros; everything else reads as zeros. A 100 MiB image whose partitions
 * are mostly empty costs a few hundred KiB, which is what lets the browser build the sample image
 * on the spot and lets tests use full-size layouts without writing files.
 */
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import { checkRange } from '../io/memory.ts';

export const SPARSE_CHUNK = 64 * 1024;

const isZero = (b: Uint8Array): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
};

export class SparseDisk implements ByteStore {
  readonly size: number;
  readonly #chunks = new Map<number, Uint8Array>();

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) throw new CoreError('IO_OUT_OF_RANGE', `A disk of ${size} bytes cannot be made.`);
    this.size = size;
  }

  /** Bytes really held in memory. */
  get allocatedBytes(): number {
    return this.#chunks.size * SPARSE_CHUNK;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.size);
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const at = offset + done;
      const index = Math.floor(at / SPARSE_CHUNK);
      const inChunk = at - index * SPARSE_CHUNK;
      const n = Math.min(SPARSE_CHUNK - inChunk, length - done);
      const chunk = this.#chunks.get(index);
      if (chunk) out.set(chunk.subarray(inChunk, inChunk + n), done);
      done += n;
    }
    return out;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.size);
    for (let done = 0; done < bytes.length; ) {
      const at = offset + done;
      const index = Math.floor(at / SPARSE_CHUNK);
      const inChunk = at - index * SPARSE_CHUNK;
      const n = Math.min(SPARSE_CHUNK - inChunk, bytes.length - done);
      const part = bytes.subarray(done, done + n);
      let chunk = this.#chunks.get(index);
      if (!chunk && !isZero(part)) {
        chunk = new Uint8Array(Math.min(SPARSE_CHUNK, this.size - index * SPARSE_CHUNK));
        this.#chunks.set(index, chunk);
      }
      chunk?.set(part, inChunk);
      done += n;
    }
  }

  /** An independent copy (configure one copy, compare with the original). */
  clone(): SparseDisk {
    const copy = new SparseDisk(this.size);
    for (const [i, chunk] of this.#chunks) copy.#chunks.set(i, chunk.slice());
    return copy;
  }

  /** The allocated chunks in disk order: `offset` and the bytes there (everything else is zero). */
  extents(): { offset: number; bytes: Uint8Array }[] {
    return [...this.#chunks.keys()].sort((a, b) => a - b).map((i) => ({ offset: i * SPARSE_CHUNK, bytes: this.#chunks.get(i)! }));
  }

  /** The whole disk as one array (tests, small images). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (const { offset, bytes } of this.extents()) out.set(bytes, offset);
    return out;
  }

  /** The whole disk as a stream of chunks, zeros included, without holding it in memory at once. */
  stream(): ReadableStream<Uint8Array> {
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (at >= this.size) return controller.close();
        const n = Math.min(SPARSE_CHUNK, this.size - at);
        controller.enqueue(await this.read(at, n));
        at += n;
      },
    });
  }
}
