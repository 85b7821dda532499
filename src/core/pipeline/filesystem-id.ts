/**
 * Which filesystem a partition holds and its label, from the few bytes that say so — for the
 * partition picture of `inspect`, not for reading files. FAT: the boot sector's BPB (type by
 * cluster count, label at 0x2B/0x47, as balena reads it). ext2/3/4: 136 bytes of the superblock at
 * +1024 (magic 0xEF53 at +56, volume name at +120), the ext4/ext3 decision made as blkid makes it.
 */
import { isCoreError } from '../errors.ts';
import { parseBootSector } from '../fat/boot-sector.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { looksLikeFatBootSector, readBpbLabel } from '../partition/fat-label.ts';

export type FilesystemKind = 'fat12' | 'fat16' | 'fat32' | 'ext2' | 'ext3' | 'ext4' | 'unknown';

export interface FilesystemId {
  filesystem: FilesystemKind;
  /** FAT BPB label or ext volume name; absent when empty. */
  label?: string;
}

const SUPERBLOCK_AT = 1024;
const SUPERBLOCK_BYTES = 136;
const EXT_MAGIC = 0xef53;
// Feature bits (linux/fs/ext4/ext4.h): what ext3 understands; anything beyond makes it ext4 (blkid's rule).
const COMPAT_HAS_JOURNAL = 0x4;
const EXT3_INCOMPAT = 0x2 | 0x4 | 0x10; // FILETYPE, RECOVER, META_BG
const EXT3_RO_COMPAT = 0x1 | 0x2 | 0x4; // SPARSE_SUPER, LARGE_FILE, BTREE_DIR

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The ext2/3/4 facts of a superblock (136 bytes from its start), or null when the magic is not there. */
export function identifyExt(superblock: Uint8Array): FilesystemId | null {
  if (superblock.length < SUPERBLOCK_BYTES || u16(superblock, 56) !== EXT_MAGIC) return null;
  const compat = u32(superblock, 92);
  const incompat = u32(superblock, 96);
  const roCompat = u32(superblock, 100);
  const filesystem: FilesystemKind =
    (incompat & ~EXT3_INCOMPAT) !== 0 || (roCompat & ~EXT3_RO_COMPAT) !== 0 ? 'ext4' : compat & COMPAT_HAS_JOURNAL ? 'ext3' : 'ext2';
  const nameBytes = superblock.subarray(120, 136);
  const end = nameBytes.indexOf(0);
  const label = new TextDecoder().decode(end < 0 ? nameBytes : nameBytes.subarray(0, end));
  return label === '' ? { filesystem } : { filesystem, label };
}

/** The FAT facts of a boot sector, or null when it is not one we can trust. */
export function identifyFat(sector0: Uint8Array, size: number): FilesystemId | null {
  if (!looksLikeFatBootSector(sector0)) return null;
  let fatType: 12 | 16 | 32;
  try {
    fatType = parseBootSector(sector0, size).fatType;
  } catch {
    return null;
  }
  const label = readBpbLabel(sector0);
  return label === null ? { filesystem: `fat${fatType}` } : { filesystem: `fat${fatType}`, label };
}

/** Reads at most 512 + 136 bytes of the window [start, start+size). */
export async function identifyFilesystem(image: ByteSource, start: number, size: number): Promise<FilesystemId> {
  try {
    if (size >= 512) {
      const fat = identifyFat(await image.read(start, 512), size);
      if (fat) return fat;
    }
    if (size >= SUPERBLOCK_AT + SUPERBLOCK_BYTES) {
      const ext = identifyExt(await image.read(start + SUPERBLOCK_AT, SUPERBLOCK_BYTES));
      if (ext) return ext;
    }
  } catch (e) {
    // A partition past the end of a truncated image: nothing readable there. Anything else is real.
    if (!(isCoreError(e) && (e.code === 'IO_OUT_OF_RANGE' || e.code === 'IO_TRUNCATED'))) throw e;
  }
  return { filesystem: 'unknown' };
}
