import { CoreError } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';

/** Checks the changes are sorted, non-overlapping and inside `size` (when known): IO_OUT_OF_RANGE otherwise. */
export function checkChanges(changes: readonly ChangedRange[], size = Number.POSITIVE_INFINITY): void {
  let end = 0;
  for (const c of changes) {
    if (!Number.isSafeInteger(c.offset) || c.offset < end || c.offset + c.bytes.length > size) {
      throw new CoreError('IO_OUT_OF_RANGE', `The change at byte ${c.offset} (${c.bytes.length} bytes) is out of order or outside the image (${size} bytes).`, {
        offset: c.offset,
        length: c.bytes.length,
      });
    }
    end = c.offset + c.bytes.length;
  }
}

/** `chunk` (image bytes at `offset`) with the overlapping changes laid over; copies only if touched. */
export function applyChanges(chunk: Uint8Array, offset: number, changes: readonly ChangedRange[]): Uint8Array {
  const end = offset + chunk.length;
  let out = chunk;
  for (const c of changes) {
    const cEnd = c.offset + c.bytes.length;
    if (cEnd <= offset) continue;
    if (c.offset >= end) break;
    if (out === chunk) out = chunk.slice();
    const from = Math.max(c.offset, offset);
    const to = Math.min(cEnd, end);
    out.set(c.bytes.subarray(from - c.offset, to - c.offset), from - offset);
  }
  return out;
}

/** The end of the last change (0 without changes). */
export function changesEnd(changes: readonly ChangedRange[]): number {
  const last = changes[changes.length - 1];
  return last ? last.offset + last.bytes.length : 0;
}
