import { CoreError } from '../errors.ts';
import type { ByteStore } from './byte-source.ts';

/** An in-memory disk: for tests and for small images. Writes inside the current size only. */
export class MemoryDisk implements ByteStore {
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.bytes.length);
    return this.bytes.subarray(offset, offset + length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.bytes.length);
    this.bytes.set(bytes, offset);
  }
}

export function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new CoreError('IO_OUT_OF_RANGE', `Invalid byte range ${offset}+${length}.`, { offset, length });
  }
  if (offset + length > size) {
    throw new CoreError(
      'IO_TRUNCATED',
      `The image ends at byte ${size}, but ${length} bytes at offset ${offset} were needed: it is truncated or a structure points past its end.`,
      { offset, length, size },
    );
  }
}
