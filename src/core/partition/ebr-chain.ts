/**
 * Logical partitions: the chain of Extended Boot Records inside an extended partition
 * (balenaos.md §1.1). In each EBR, entry 1 is the logical partition, its start relative to *this
 * EBR*; entry 2 points to the next EBR, its start relative to the *extended partition's* start.
 * A damaged chain (loop, EBR outside the container, missing signature) ends the walk with a
 * warning: the partitions read so far are still right, and the boot partition is a primary.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { hasBootSignature, isEmptyEntry, MBR_SECTOR, parseMbrEntries, type MbrEntry } from './mbr-entry.ts';
import { MBR_EXTENDED_TYPES, mbrTypeCode, mbrTypeName } from './partition-types.ts';
import type { Partition } from './types.ts';

/** Linux accepts at most this many logicals per disk (DISK_MAX_PARTS); a longer chain is garbage. */
const MAX_LOGICALS = 256;

export async function readEbrChain(
  source: ByteSource,
  container: MbrEntry,
  firstIndex: number,
): Promise<{ partitions: Partition[]; warnings: string[] }> {
  const partitions: Partition[] = [];
  const warnings: string[] = [];
  const extStart = container.startLba;
  const extEnd = extStart + container.sectors;
  const visited = new Set<number>();
  let ebrLba = extStart;
  for (;;) {
    if (visited.has(ebrLba)) {
      warnings.push(`The chain of extended boot records loops back to sector ${ebrLba}; logical partitions after ${firstIndex + partitions.length - 1} were ignored.`);
      break;
    }
    if (ebrLba < extStart || ebrLba >= extEnd) {
      warnings.push(`An extended boot record points to sector ${ebrLba}, outside the extended partition (sectors ${extStart}–${extEnd - 1}); the chain was cut there.`);
      break;
    }
    if (partitions.length >= MAX_LOGICALS) {
      warnings.push(`The extended partition chains more than ${MAX_LOGICALS} logical partitions; the rest were ignored.`);
      break;
    }
    visited.add(ebrLba);
    if (Number.isFinite(source.size) && (ebrLba + 1) * MBR_SECTOR > source.size) {
      warnings.push(`The extended boot record at sector ${ebrLba} lies past the end of the image; the chain was cut there.`);
      break;
    }
    const ebr = await source.read(ebrLba * MBR_SECTOR, MBR_SECTOR);
    if (!hasBootSignature(ebr)) {
      // An extended partition with no logicals may simply hold a blank first sector.
      if (ebrLba !== extStart) warnings.push(`The extended boot record at sector ${ebrLba} has no 55 AA signature; the chain was cut there.`);
      break;
    }
    const [logical, next] = parseMbrEntries(ebr);
    if (!isEmptyEntry(logical) && !MBR_EXTENDED_TYPES.has(logical.type)) {
      partitions.push({
        index: firstIndex + partitions.length,
        start: (ebrLba + logical.startLba) * MBR_SECTOR,
        size: logical.sectors * MBR_SECTOR,
        type: mbrTypeCode(logical.type),
        typeName: mbrTypeName(logical.type),
        bootable: logical.status === 0x80,
        logical: true,
      });
    }
    if (isEmptyEntry(next) || !MBR_EXTENDED_TYPES.has(next.type)) break;
    ebrLba = extStart + next.startLba;
  }
  return { partitions, warnings };
}
