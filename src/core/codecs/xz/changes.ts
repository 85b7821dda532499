import { CoreError } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';

/**
 * Lays sorted, non-overlapping changes over decoded chunks as they stream by. Chunks that no
 * change touches pass through as they are; touched ones are copied first (decoded chunks may be
 * shared with the image's head and must stay original).
 */
export class ChangeSet {
  readonly ranges: readonly ChangedRange[];

  constructor(ranges: readonly ChangedRange[]) {
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      if (!Number.isSafeInteger(r.offset) || r.offset < 0) {
        throw new CoreError('IO_OUT_OF_RANGE', `A change starts at an invalid offset (${r.offset}).`);
      }
      if (i > 0 && r.offset < ranges[i - 1].offset + ranges[i - 1].bytes.length) {
        throw new CoreError('IO_OUT_OF_RANGE', `Changes must be sorted and must not overlap (offset ${r.offset}).`);
      }
    }
    this.ranges = ranges.filter((r) => r.bytes.length > 0);
  }

  /** One past the last changed byte (0 without changes). */
  get end(): number {
    const last = this.ranges[this.ranges.length - 1];
    return last ? last.offset + last.bytes.length : 0;
  }

  /** True if any change falls inside [start, end). */
  touches(start: number, end: number): boolean {
    const i = this.#firstEndingAfter(start);
    return i < this.ranges.length && this.ranges[i].offset < end;
  }

  /** `chunk` (image bytes at `offset`) with the changes applied. */
  apply(chunk: Uint8Array, offset: number): Uint8Array {
    const end = offset + chunk.length;
    let i = this.#firstEndingAfter(offset);
    if (i >= this.ranges.length || this.ranges[i].offset >= end) return chunk;
    const out = chunk.slice();
    for (; i < this.ranges.length && this.ranges[i].offset < end; i++) {
      const r = this.ranges[i];
      const from = Math.max(r.offset, offset);
      const to = Math.min(r.offset + r.bytes.length, end);
      out.set(r.bytes.subarray(from - r.offset, to - r.offset), from - offset);
    }
    return out;
  }

  /** Index of the first range whose end lies after `offset`. */
  #firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (r.offset + r.bytes.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
