/**
 * The one reader of the FAT boot sector's BIOS Parameter Block. Microsoft "FAT: General Overview
 * of On-Disk Format" v1.03 §3.1 (common BPB), §3.2 (FAT12/16 extended BPB at 0x24), §3.3 (FAT32
 * BPB at 0x24, its extended BPB at 0x40). Pure field decoding plus the shape test "is this a BPB at
 * all"; it depends on nothing, so the partition layer (whole-disk detection, labels) and the FAT
 * volume (boot-sector.ts, which adds the layout checks) read the same fields the same way.
 */

export interface Bpb {
  readonly jump: number; // BS_jmpBoot[0]
  readonly bytesPerSector: number; // BPB_BytsPerSec 0x0B
  readonly sectorsPerCluster: number; // BPB_SecPerClus 0x0D
  readonly reservedSectors: number; // BPB_RsvdSecCnt 0x0E
  readonly numFats: number; // BPB_NumFATs 0x10
  readonly rootEntryCount: number; // BPB_RootEntCnt 0x11
  readonly totalSectors: number; // BPB_TotSec16 0x13, else BPB_TotSec32 0x20
  readonly media: number; // BPB_Media 0x15
  readonly fatSize16: number; // BPB_FATSz16 0x16
  readonly fatSize32: number; // BPB_FATSz32 0x24 (FAT32 layout only)
  /** BPB_FATSz16 is 0: the FAT32 layout (§3.3), whatever the cluster count turns out to be. */
  readonly fat32Layout: boolean;
  readonly sectorsPerFat: number;
  readonly extFlags: number; // BPB_ExtFlags 0x28 (FAT32)
  readonly fsVersion: number; // BPB_FSVer 0x2A (FAT32)
  readonly rootCluster: number; // BPB_RootClus 0x2C (FAT32)
  readonly fsInfoSector: number; // BPB_FSInfo 0x30 (FAT32)
  readonly backupBootSector: number; // BPB_BkBootSec 0x32 (FAT32)
  /** Offset of the extended BPB (BS_DrvNum): 0x24 on FAT12/16, 0x40 on FAT32. */
  readonly extendedAt: number;
  /** BS_BootSig = 0x29: BS_VolID, BS_VolLab and BS_FilSysType are present. */
  readonly hasExtendedBpb: boolean;
  /** BS_Reserved1 bit 0 (0x25 / 0x41): Linux sets it while the volume is mounted. */
  readonly dirty: boolean;
  /** BS_VolLab, trailing spaces/NULs trimmed; null when absent, empty or mkfs's "NO NAME". */
  readonly label: string | null;
  readonly hasSignature: boolean; // 55 AA at 510 (only checked when 512 bytes were given)
}

export const BPB_MIN_BYTES = 0x5a; // through the FAT32 extended BPB's label and type

const u16 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Decodes the BPB fields of `sector` (at least BPB_MIN_BYTES bytes; 512 for the signature). */
export function readBpb(sector: Uint8Array): Bpb {
  const fatSize16 = u16(sector, 0x16);
  const fat32Layout = fatSize16 === 0;
  const fatSize32 = fat32Layout ? u32(sector, 0x24) : 0;
  const totSec16 = u16(sector, 0x13);
  const extendedAt = fat32Layout ? 0x40 : 0x24;
  const hasExtendedBpb = sector[extendedAt + 2] === 0x29;
  return {
    jump: sector[0],
    bytesPerSector: u16(sector, 0x0b),
    sectorsPerCluster: sector[0x0d],
    reservedSectors: u16(sector, 0x0e),
    numFats: sector[0x10],
    rootEntryCount: u16(sector, 0x11),
    totalSectors: totSec16 !== 0 ? totSec16 : u32(sector, 0x20),
    media: sector[0x15],
    fatSize16,
    fatSize32,
    fat32Layout,
    sectorsPerFat: fat32Layout ? fatSize32 : fatSize16,
    extFlags: fat32Layout ? u16(sector, 0x28) : 0,
    fsVersion: fat32Layout ? u16(sector, 0x2a) : 0,
    rootCluster: fat32Layout ? u32(sector, 0x2c) : 0,
    fsInfoSector: fat32Layout ? u16(sector, 0x30) : 0,
    backupBootSector: fat32Layout ? u16(sector, 0x32) : 0,
    extendedAt,
    hasExtendedBpb,
    dirty: (sector[extendedAt + 1] & 0x01) !== 0,
    label: hasExtendedBpb ? decodeLabel(sector.subarray(extendedAt + 7, extendedAt + 18)) : null,
    hasSignature: sector.length >= 512 && sector[510] === 0x55 && sector[511] === 0xaa,
  };
}

function decodeLabel(bytes: Uint8Array): string | null {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  text = text.replace(/[ \0]+$/, '');
  return text === '' || text === 'NO NAME' ? null : text;
}

/**
 * Why these bytes are not a BPB at all, or null when they have its shape (balenaos.md §1.3):
 * jump byte EB/E9, bytes per sector a power of two 512–4096, sectors per cluster a power of two up
 * to 128, at least one reserved sector, 1–2 FATs (what formatters make), a non-zero size. An MBR
 * fails this (boot code or zeros where the BPB would be), so it also tells "whole-disk FAT" from
 * "partition table" before 0x1BE is read as entries.
 */
export function bpbShapeProblem(b: Bpb): string | null {
  if (b.jump !== 0xeb && b.jump !== 0xe9) return 'the boot sector does not start with a jump instruction';
  if (!isPowerOfTwo(b.bytesPerSector) || b.bytesPerSector < 512 || b.bytesPerSector > 4096) return `bytes per sector is ${b.bytesPerSector}`;
  if (!isPowerOfTwo(b.sectorsPerCluster) || b.sectorsPerCluster > 128) return `sectors per cluster is ${b.sectorsPerCluster}`;
  if (b.reservedSectors < 1) return 'there are no reserved sectors';
  if (b.numFats < 1 || b.numFats > 2) return `the number of FATs is ${b.numFats}`;
  if (b.totalSectors === 0) return 'the total sector count is zero';
  if (b.sectorsPerFat === 0) return 'the FAT size is zero';
  return null;
}
