import { CoreError } from '../errors.ts';
import type { ByteSource, ByteStore } from './byte-source.ts';
import { checkRange } from './memory.ts';

/** A window [start, start+length) of a source: a partition seen as its own disk. */
export function subrange(source: ByteSource, start: number, length: number): ByteSource {
  return {
    size: length,
    read(offset, n) {
      checkRange(offset, n, length);
      return source.read(start + offset, n);
    },
  };
}

/** The same as {@link subrange} for a writable store; writes are confined to the window. */
export function subrangeStore(store: ByteStore, start: number, length: number): ByteStore {
  return {
    size: length,
    read(offset, n) {
      checkRange(offset, n, length);
      return store.read(start + offset, n);
    },
    write(offset, bytes) {
      if (offset < 0 || offset + bytes.length > length) {
        throw new CoreError('IO_OUT_OF_RANGE', `Write of ${bytes.length} bytes at ${offset} leaves the partition.`);
      }
      return store.write(start + offset, bytes);
    },
  };
}
