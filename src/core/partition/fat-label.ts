/**
 * What the partition code asks of a FAT boot sector: "is this a FAT filesystem?", its volume label
 * and its size. The fields are read by the FAT layer's one BPB reader (fat/bpb.ts, which depends on
 * nothing); the FAT volume code itself is not needed here. Label rules: balenaos.md §2.2.
 */
import { bpbShapeProblem, readBpb } from '../fat/bpb.ts';

/**
 * True when `sector0` (512 bytes) has the shape of a BPB (bpbShapeProblem, balenaos.md §1.3). A FAT
 * boot sector also ends in 55 AA, so this must be tested before 0x1BE is read as MBR entries; a
 * partitioned disk's MBR fails it because its first bytes are boot code or zeros, not a BPB.
 */
export function looksLikeFatBootSector(sector0: Uint8Array): boolean {
  return sector0.length >= 512 && bpbShapeProblem(readBpb(sector0)) === null;
}

/** Bytes per logical sector declared by the BPB. */
export function fatBytesPerSector(sector0: Uint8Array): number {
  return readBpb(sector0).bytesPerSector;
}

/** The size of the FAT volume in bytes according to its BPB (total sectors × bytes per sector). */
export function fatVolumeBytes(sector0: Uint8Array): number {
  const b = readBpb(sector0);
  return b.totalSectors * b.bytesPerSector;
}

/**
 * The BPB volume label (not the root-directory label entry, as balena-image-fs lib/fsLabel.ts):
 * the extended BPB (signature 0x29) at 0x24 on the FAT12/16 layout, at 0x40 on the FAT32 layout.
 * Trailing spaces and NULs are trimmed; mkfs's placeholder "NO NAME" and an empty label give null.
 */
export function readBpbLabel(sector0: Uint8Array): string | null {
  return sector0.length >= 512 ? readBpb(sector0).label : null;
}
