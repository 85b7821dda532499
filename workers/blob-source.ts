/**
 * A File/Blob as the core's random-access ByteSource: each read is one `slice().arrayBuffer()`, so
 * only the ranges the core asks for are ever loaded. `readTo` tracks the furthest byte read, which
 * the worker reports as progress (every phase reads the input front to back).
 */
import { CoreError, type ByteSource } from '#core/index.ts';

export interface BlobSource extends ByteSource {
  /** Furthest input offset read so far. */
  readonly readTo: number;
}

export function blobSource(blob: Blob): BlobSource {
  let readTo = 0;
  return {
    size: blob.size,
    get readTo() {
      return readTo;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > blob.size) {
        throw new CoreError('IO_OUT_OF_RANGE', `Read of ${length} bytes at ${offset} is outside the ${blob.size}-byte input.`, { offset, length, size: blob.size });
      }
      const bytes = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      if (bytes.length !== length) throw new CoreError('IO_TRUNCATED', `The input file changed or could not be read at byte ${offset}.`, { offset, length });
      readTo = Math.max(readTo, offset + length);
      return bytes;
    },
  };
}
