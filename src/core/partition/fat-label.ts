/**
 * The few FAT boot-sector (BPB) fields the partition code needs: "is this a FAT filesystem?",
 * its volume label and its size. Microsoft FAT specification (fatgen103) §3.1–3.3; label rules
 * from balenaos.md §2.2. The full FAT reader lives in src/core/fat; this file must not depend on it.
 */

import { u16, u32 } from './little-endian.ts';

const BOOT_SIGNATURE = 0x29; // extended boot signature: the label and serial number fields are valid

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * True when `sector0` (at least 36 bytes of it) carries a plausible BPB (balenaos.md §1.3): jump
 * byte EB/E9, bytes per sector a power of two 512–4096, sectors per cluster a power of two,
 * at least one reserved sector, 1–2 FATs. A FAT boot sector also ends in 55 AA, so this must be
 * tested before 0x1BE is read as MBR entries; a partitioned disk's MBR fails it because its
 * first bytes are boot code or zeros, not a BPB.
 */
export function looksLikeFatBootSector(sector0: Uint8Array): boolean {
  if (sector0.length < 36) return false;
  if (sector0[0] !== 0xeb && sector0[0] !== 0xe9) return false;
  const bytesPerSector = u16(sector0, 0x0b);
  if (!isPowerOfTwo(bytesPerSector) || bytesPerSector < 512 || bytesPerSector > 4096) return false;
  if (!isPowerOfTwo(sector0[0x0d])) return false;
  if (u16(sector0, 0x0e) === 0) return false;
  const fats = sector0[0x10];
  if (fats < 1 || fats > 2) return false;
  return fatTotalSectors(sector0) > 0;
}

function fatTotalSectors(sector0: Uint8Array): number {
  const small = u16(sector0, 0x13);
  return small !== 0 ? small : u32(sector0, 0x20);
}

/** Bytes per logical sector declared by the BPB. */
export function fatBytesPerSector(sector0: Uint8Array): number {
  return u16(sector0, 0x0b);
}

/** The size of the FAT volume in bytes according to its BPB (total sectors × bytes per sector). */
export function fatVolumeBytes(sector0: Uint8Array): number {
  return fatTotalSectors(sector0) * fatBytesPerSector(sector0);
}

/**
 * The BPB volume label (not the root-directory label entry, as balena-image-fs lib/fsLabel.ts):
 * 0x29 at 0x26 → FAT12/16, label at 0x2B; 0x29 at 0x42 → FAT32, label at 0x47. Trailing spaces
 * and NULs are trimmed; mkfs's placeholder "NO NAME" and an empty label give null.
 */
export function readBpbLabel(sector0: Uint8Array): string | null {
  let at: number;
  // FAT32 first: a FAT32 BPB has its FAT size at 0x24, whose bytes could include 0x29 at 0x26.
  if (sector0.length >= 0x52 && sector0[0x42] === BOOT_SIGNATURE && u16(sector0, 0x16) === 0) at = 0x47;
  else if (sector0.length >= 0x36 && sector0[0x26] === BOOT_SIGNATURE) at = 0x2b;
  else return null;
  let label = '';
  for (let i = 0; i < 11; i++) label += String.fromCharCode(sector0[at + i]);
  label = label.replace(/[ \0]+$/, '');
  return label === '' || label === 'NO NAME' ? null : label;
}
