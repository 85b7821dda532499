/**
 * Consistency checks on a parsed table. Preflash writes inside one partition; if partitions
 * overlap or run past the image, a write could land in another partition or nowhere, so both
 * are errors rather than warnings.
 */
import { CoreError } from '../errors.ts';
import type { Partition } from './types.ts';

/** A byte range the table claims: a partition, or an extended container (MBR). */
export interface Region {
  index: number;
  start: number;
  size: number;
  /** An extended partition: it legitimately contains the logical partitions. */
  container: boolean;
  logical?: boolean;
}

function describe(r: Region): string {
  return r.container ? `extended partition ${r.index}` : `partition ${r.index}`;
}

function range(r: Region): string {
  return `bytes ${r.start}–${r.start + r.size - 1}`;
}

/** Throws PARTITION_PAST_END / PARTITION_OVERLAP; `sourceSize` may be Infinity (then no end check). */
export function checkPartitionLayout(partitions: Partition[], containers: Region[], sourceSize: number): void {
  const regions: Region[] = [
    ...containers,
    ...partitions.map((p) => ({ index: p.index, start: p.start, size: p.size, container: false, logical: p.logical === true })),
  ];
  if (Number.isFinite(sourceSize)) {
    for (const r of regions) {
      if (r.start + r.size > sourceSize) {
        throw new CoreError(
          'PARTITION_PAST_END',
          `${capitalise(describe(r))} ends at byte ${r.start + r.size} but the image is only ${sourceSize} bytes long: the image is truncated or its partition table is wrong.`,
          { index: r.index, start: r.start, size: r.size, imageSize: sourceSize },
        );
      }
    }
  }
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const [a, b] = [regions[i], regions[j]];
      if (a.container !== b.container && (a.logical || b.logical)) continue; // a logical inside its container
      if (a.start < b.start + b.size && b.start < a.start + a.size) {
        const [first, second] = a.index <= b.index ? [a, b] : [b, a];
        throw new CoreError(
          'PARTITION_OVERLAP',
          `${capitalise(describe(first))} (${range(first)}) overlaps ${describe(second)} (${range(second)}): the partition table is inconsistent.`,
          { indexes: [first.index, second.index] },
        );
      }
    }
  }
}

function capitalise(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
