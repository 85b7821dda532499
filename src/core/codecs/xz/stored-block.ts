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
 * with the stream's check type.
 *
 * The block is built in ONE buffer: `fill(offset, into)` writes the block's bytes
 * [offset, offset + into.length) straight into their place, so no byte is copied twice.
 */
export async function storedBlock(
  length: number,
  checkId: number,
  dictionaryByte: number,
  fill: (offset: number, into: Uint8Array) => Promise<void>,
  check: Uint8Array | null = null,
): Promise<{ bytes: Uint8Array; record: IndexRecord }> {
  const dataSize = storedDataSize(length);
  const header = encodeBlockHeader(dataSize, length, dictionaryByte);
  const checkLength = checkSize(checkId);
  const pad = padTo4(header.length + dataSize);
  const out = new Uint8Array(header.length + dataSize + pad + checkLength);
  out.set(header);
  const computed = check ? null : createCheck(checkId);
  let at = header.length;
  for (let offset = 0; offset < length; offset += STORED_CHUNK_SIZE) {
    const n = Math.min(STORED_CHUNK_SIZE, length - offset);
    out[at] = offset === 0 ? 0x01 : 0x02;
    out[at + 1] = (n - 1) >>> 8;
    out[at + 2] = (n - 1) & 0xff;
    const data = out.subarray(at + 3, at + 3 + n);
    await fill(offset, data);
    computed?.update(data);
    at += 3 + n;
  }
  out[at] = 0x00; // end marker; padding stays zero
  out.set(check ?? computed!.digest(), out.length - checkLength);
  return { bytes: out, record: { unpaddedSize: header.length + dataSize + checkLength, uncompressedSize: length } };
}
