import { crc32Patch } from '../../bytes/crc32.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { crc64Patch } from './crc64.ts';
import { CHECK_CRC32, CHECK_CRC64, CHECK_NONE } from './format.ts';

/**
 * The check of a block after `changes`, derived from its verified original check when the check
 * is a CRC (affine update: cost ∝ changed bytes, not block size). Returns null when it must be
 * computed over the whole block instead (SHA-256).
 *
 * @param original the image before the changes; the block is [start, start + length).
 */
export async function patchedCheck(
  checkId: number,
  oldCheck: Uint8Array,
  original: ByteSource,
  start: number,
  length: number,
  changes: readonly ChangedRange[],
): Promise<Uint8Array | null> {
  if (checkId === CHECK_NONE) return new Uint8Array(0);
  if (checkId !== CHECK_CRC32 && checkId !== CHECK_CRC64) return null;
  let check: Uint8Array = oldCheck.slice();
  const end = start + length;
  for (const r of changes) {
    const from = Math.max(r.offset, start);
    const to = Math.min(r.offset + r.bytes.length, end);
    if (from >= to) continue;
    const old = await original.read(from, to - from);
    const now = r.bytes.subarray(from - r.offset, to - r.offset);
    if (checkId === CHECK_CRC64) check = crc64Patch(check, length, from - start, old, now);
    else {
      const crc = crc32Patch(new DataView(check.buffer).getUint32(0, true), length, from - start, old, now);
      new DataView(check.buffer).setUint32(0, crc, true);
    }
  }
  return check;
}
