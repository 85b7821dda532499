/**
 * Writes an MBR partition table, with logical partitions in a chain of EBRs (balenaos.md §1.1,
 * the layout meta-balena's parted makes: extended partition type 0x0F, each logical preceded by
 * its EBR). In each EBR, entry 1 is the logical partition, its start relative to *this EBR*;
 * entry 2 links to the next EBR, its start relative to the *extended partition's* start and its
 * size running from that EBR to the end of its logical (what sfdisk and parted write).
 */
import { CoreError } from '../errors.ts';
import type { ByteStore } from '../io/byte-source.ts';

export const SECTOR = 512;
const ENTRIES_AT = 0x1be;
const LINK_TYPE = 0x05;

export interface MbrSlot {
  type: number;
  startLba: number;
  sectors: number;
  bootable?: boolean;
}

export interface MbrLogical extends MbrSlot {
  /** Where this logical's EBR sits: before `startLba`, inside the extended partition. */
  ebrLba: number;
}

export interface MbrLayout {
  /** Bytes 440–443 of sector 0 (sfdisk's `label-id`). */
  diskSignature: number;
  /** At most 4, or 3 when there is an extended partition (it takes the next slot). */
  primaries: MbrSlot[];
  extended?: { type?: number; startLba: number; sectors: number; logicals: MbrLogical[] };
}

/** CHS of an LBA as a 255-head, 63-sector disk, clamped to 1023/254/63 past 8 GiB (as fdisk does). */
function chs(lba: number): number[] {
  const c = Math.floor(lba / (255 * 63));
  if (c > 1023) return [0xfe, 0xff, 0xff];
  const h = Math.floor(lba / 63) % 255;
  const s = (lba % 63) + 1;
  return [h, s | ((c >> 2) & 0xc0), c & 0xff];
}

/** One MBR or EBR sector: up to four entries, the optional disk signature, 55 AA. */
export function encodeTableSector(slots: (MbrSlot | null)[], diskSignature = 0): Uint8Array {
  if (slots.length > 4) throw new CoreError('INTERNAL', `A table sector holds 4 entries, not ${slots.length}.`);
  const s = new Uint8Array(SECTOR);
  const v = new DataView(s.buffer);
  v.setUint32(440, diskSignature >>> 0, true);
  slots.forEach((e, i) => {
    if (!e) return;
    if (e.startLba < 0 || e.startLba > 0xffffffff || e.sectors < 1 || e.sectors > 0xffffffff) {
      throw new CoreError('INTERNAL', `An MBR entry cannot hold start ${e.startLba} and ${e.sectors} sectors.`);
    }
    const at = ENTRIES_AT + 16 * i;
    s[at] = e.bootable ? 0x80 : 0;
    s.set(chs(e.startLba), at + 1);
    s[at + 4] = e.type;
    s.set(chs(e.startLba + e.sectors - 1), at + 5);
    v.setUint32(at + 8, e.startLba, true);
    v.setUint32(at + 12, e.sectors, true);
  });
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

/** Writes sector 0 and every EBR; nothing else is touched. */
export async function writeMbr(store: ByteStore, layout: MbrLayout): Promise<void> {
  const { primaries, extended } = layout;
  if (primaries.length > (extended ? 3 : 4)) throw new CoreError('INTERNAL', `${primaries.length} primary partitions do not fit beside an extended one.`);
  const slots: MbrSlot[] = [...primaries];
  if (extended) slots.push({ type: extended.type ?? 0x0f, startLba: extended.startLba, sectors: extended.sectors });
  await store.write(0, encodeTableSector(slots, layout.diskSignature));
  const logicals = extended?.logicals ?? [];
  for (let i = 0; i < logicals.length; i++) {
    const l = logicals[i];
    const next = logicals[i + 1];
    const end = extended!.startLba + extended!.sectors;
    if (l.ebrLba < extended!.startLba || l.ebrLba >= l.startLba || l.startLba + l.sectors > end || (next && next.ebrLba < l.startLba + l.sectors)) {
      throw new CoreError('INTERNAL', `Logical partition ${i + 5} and its EBR do not fit in order inside the extended partition.`);
    }
    const entry: MbrSlot = { type: l.type, startLba: l.startLba - l.ebrLba, sectors: l.sectors, bootable: l.bootable };
    const link: MbrSlot | null = next ? { type: LINK_TYPE, startLba: next.ebrLba - extended!.startLba, sectors: next.startLba + next.sectors - next.ebrLba } : null;
    await store.write(l.ebrLba * SECTOR, encodeTableSector([entry, link]));
  }
}
