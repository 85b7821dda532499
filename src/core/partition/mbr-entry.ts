/** The 16-byte partition entries shared by the MBR and every EBR (balenaos.md §1.1). */
import { u32 } from './little-endian.ts';

export const MBR_SECTOR = 512;
const ENTRIES_AT = 0x1be;

/** One 16-byte entry: status (0x80 = active), type at +4, start LBA at +8, sector count at +12. */
export interface MbrEntry {
  status: number;
  type: number;
  startLba: number;
  sectors: number;
}

export function hasBootSignature(sector: Uint8Array): boolean {
  return sector[510] === 0x55 && sector[511] === 0xaa;
}

/** The four entries of an MBR or EBR sector, empty slots included. */
export function parseMbrEntries(sector: Uint8Array): MbrEntry[] {
  const entries: MbrEntry[] = [];
  for (let i = 0; i < 4; i++) {
    const at = ENTRIES_AT + 16 * i;
    entries.push({ status: sector[at], type: sector[at + 4], startLba: u32(sector, at + 8), sectors: u32(sector, at + 12) });
  }
  return entries;
}

/** A slot holds nothing when its type is 0 or it has no sectors. */
export function isEmptyEntry(entry: MbrEntry): boolean {
  return entry.type === 0 || entry.sectors === 0;
}
