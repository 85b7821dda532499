import { createCheck } from './check.ts';
import { type IndexRecord, checkSize, encodeBlockHeader, padTo4 } from './format.ts';

/** §5.3.1 / liblzma: a stored LZMA2 chunk carries at most 64 KiB. */
export const STORED_CHUNK_SIZE = 1 << 16;

/** LZMA2 size of `length` bytes as stored chunks: 3-byte chunk headers plus the end marker. */
export function storedDataSize(length: number): number {
  return length + 3 * Math.ceil(length / STORED_CHUNK_SIZE) + 1;
}

/**
 * Re-emits a block's (patched) uncompressed bytes as an .xz block of stored LZMA2 chunks — no
 * encoder needed (tech-notes §3.8): control 0x01 (dictionary reset) for the first chunk, 0x02 for
 * the rest, end marker 0x00. The header states both sizes and keeps the original dictionary byte;
 * the check is `check` when the caller could derive it (see check-patch.ts), else computed here
 * with the stream's check type. `read` returns the block's bytes front to back in slices of the
 * asked length.
 *
 * Yields the block's bytes in order; returns its index record.
 */
export async function* storedBlock(
  length: number,
  checkId: number,
  dictionaryByte: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
  check: Uint8Array | null = null,
): AsyncGenerator<Uint8Array, IndexRecord> {
  const dataSize = storedDataSize(length);
  const header = encodeBlockHeader(dataSize, length, dictionaryByte);
  yield header;
  const computed = check ? null : createCheck(checkId);
  for (let offset = 0; offset < length; offset += STORED_CHUNK_SIZE) {
    const n = Math.min(STORED_CHUNK_SIZE, length - offset);
    const bytes = await read(offset, n);
    computed?.update(bytes);
    const chunk = new Uint8Array(3 + n);
    chunk[0] = offset === 0 ? 0x01 : 0x02;
    chunk[1] = (n - 1) >>> 8;
    chunk[2] = (n - 1) & 0xff;
    chunk.set(bytes, 3);
    yield chunk;
  }
  const digest = check ?? computed!.digest();
  const tail = new Uint8Array(1 + padTo4(header.length + dataSize) + digest.length);
  tail.set(digest, tail.length - digest.length);
  yield tail;
  return { unpaddedSize: header.length + dataSize + checkSize(checkId), uncompressedSize: length };
}
