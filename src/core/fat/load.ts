/**
 * Loading the FAT at open, with the checks that decide whether the volume can be trusted:
 * - FAT[1] clean-shutdown bit (FAT16 bit 15, FAT32 bit 27) and the BPB dirty flag (0x25 / 0x41
 *   bit 0): Microsoft FAT spec v1.03 §4.2 "FAT[1]"; a dirty volume may hold half-done changes;
 * - every FAT copy identical (unless FAT32 mirroring is disabled);
 * - no link out of range, no loop onto itself, no cluster claimed twice (FatTable's scan).
 */
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';
import type { FatGeometry } from './boot-sector.ts';
import { corrupt, FatTable } from './fat-table.ts';

function dirty(why: string): CoreError {
  return new CoreError(
    'FAT_DIRTY',
    `The FAT filesystem was not cleanly unmounted (${why}); check it with fsck.fat or chkdsk before editing it.`,
    { why },
  );
}

export async function loadFat(store: ByteStore, g: FatGeometry): Promise<FatTable> {
  if (g.bpbDirty) throw dirty('the dirty flag in the boot sector is set');
  const active = g.mirroringDisabled ? g.activeFat : 0;
  const bytes = (await store.read(g.fatOffset + active * g.fatBytes, g.fatBytes)).slice();
  if (!g.mirroringDisabled) {
    for (let copy = 1; copy < g.numFats; copy++) {
      const other = await store.read(g.fatOffset + copy * g.fatBytes, g.fatBytes);
      const at = firstDifference(bytes, other);
      if (at >= 0) {
        throw corrupt(`FAT copies #1 and #${copy + 1} differ (first at byte ${at} of the FAT)`, { copy, offset: at });
      }
    }
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (g.fatType === 16 && (v.getUint16(2, true) & 0x8000) === 0) throw dirty('the clean-shutdown bit in FAT[1] is cleared');
  if (g.fatType === 32 && (v.getUint32(4, true) & 0x08000000) === 0) throw dirty('the clean-shutdown bit in FAT[1] is cleared');
  return new FatTable(bytes, g);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
