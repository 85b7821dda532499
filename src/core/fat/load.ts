/**
 * Loading the FAT at open, with the checks that decide whether the volume can be trusted:
 * - FAT[0] repeats the BPB media byte (Microsoft FAT spec v1.03 §4.2): when it does not, the FAT is
 *   not where the boot sector says (its reserved-sector or FAT-size fields were changed), or one of
 *   the two was altered, and nothing read through it would mean anything;
 * - every FAT copy identical. With FAT32 mirroring turned off (BPB_ExtFlags bit 7) only the active
 *   copy counts for Windows, but Linux's vfat driver and fsck.fat read FAT #1 whatever the flag
 *   says, so the copies must agree there too; they are all written (volume.ts);
 * - no link out of range, no loop onto itself, no cluster claimed twice (FatTable's scan);
 * - FAT[1] clean-shutdown bit (FAT16 bit 15, FAT32 bit 27) and the BPB dirty flag (0x25 / 0x41
 *   bit 0) are reported, not refused: volume.ts checks the structures of a dirty volume first.
 */
import { firstDifference } from '../bytes/compare.ts';
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import type { FatGeometry } from './boot-sector.ts';
import { corrupt, FatTable } from './fat-table.ts';

export interface LoadedFat {
  fat: FatTable;
  /** Why the volume counts as not cleanly unmounted (empty when it is clean). */
  dirty: string[];
}

export async function loadFat(store: ByteStore, g: FatGeometry): Promise<LoadedFat> {
  const active = g.mirroringDisabled ? g.activeFat : 0;
  const bytes = (await store.read(g.fatOffset + active * g.fatBytes, g.fatBytes)).slice();
  checkMedia(bytes, g);
  for (let copy = 0; copy < g.numFats; copy++) {
    if (copy === active) continue;
    const other = await store.read(g.fatOffset + copy * g.fatBytes, g.fatBytes);
    const at = firstDifference(bytes, other);
    if (at < 0) continue;
    if (g.mirroringDisabled) {
      throw new CoreError(
        'FAT_UNSUPPORTED',
        `This FAT32 filesystem has FAT mirroring turned off and its FAT copies #${active + 1} (active) and #${copy + 1} differ (first at byte ${at}); Windows reads the active copy but Linux reads #1, so it is not edited.`,
        { copy, offset: at },
      );
    }
    throw corrupt(`FAT copies #1 and #${copy + 1} differ (first at byte ${at} of the FAT)`, { copy, offset: at });
  }
  const dirty: string[] = [];
  if (g.bpbDirty) dirty.push('the dirty flag in the boot sector is set');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (g.fatType === 16 && (v.getUint16(2, true) & 0x8000) === 0) dirty.push('the clean-shutdown bit in FAT[1] is cleared');
  if (g.fatType === 32 && (v.getUint32(4, true) & 0x08000000) === 0) dirty.push('the clean-shutdown bit in FAT[1] is cleared');
  return { fat: new FatTable(bytes, g), dirty };
}

/** §4.2: FAT[0] holds the media byte in its low 8 bits and ones above (FAT32: the low 28 bits count). */
function checkMedia(bytes: Uint8Array, g: FatGeometry): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [entry, expected] =
    g.fatType === 12 ? [v.getUint16(0, true) & 0x0fff, 0x0f00 | g.media]
    : g.fatType === 16 ? [v.getUint16(0, true), 0xff00 | g.media]
    : [v.getUint32(0, true) & 0x0fffffff, 0x0fffff00 | g.media];
  if (entry !== expected) {
    const hex = (n: number) => '0x' + n.toString(16).toUpperCase();
    throw new CoreError(
      'FAT_INVALID',
      `This partition does not hold a FAT filesystem that can be trusted: the first FAT entry is ${hex(entry)} where the boot sector's media byte ${hex(g.media)} says ${hex(expected)}, so the FAT is not where the boot sector puts it.`,
      { entry, expected },
    );
  }
}
