/**
 * 32-byte short directory entries. Spec: Microsoft FAT spec v1.03, §6 "Directory Structure":
 * DIR_Name (0-10), DIR_Attr (11), DIR_NTRes (12, NT case flags), DIR_CrtTimeTenth (13),
 * DIR_CrtTime (14), DIR_CrtDate (16), DIR_LstAccDate (18), DIR_FstClusHI (20, FAT32 only),
 * DIR_WrtTime (22), DIR_WrtDate (24), DIR_FstClusLO (26), DIR_FileSize (28).
 */
import type { FatDateTime } from './timestamps.ts';

export const ENTRY_SIZE = 32;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
/** DIR_Name[0] of a deleted entry, and of the end-of-directory marker. */
export const DELETED = 0xe5;
export const END_OF_DIRECTORY = 0x00;

export interface ShortEntry {
  readonly rawName: Uint8Array; // 11 bytes
  readonly attr: number;
  readonly caseFlags: number;
  readonly firstCluster: number;
  readonly size: number;
}

function view(entry: Uint8Array): DataView {
  return new DataView(entry.buffer, entry.byteOffset, ENTRY_SIZE);
}

/** `fat32` decides whether DIR_FstClusHI belongs to the cluster number (§6: it is 0 on FAT12/16). */
export function decodeShortEntry(entry: Uint8Array, fat32: boolean): ShortEntry {
  const v = view(entry);
  const high = fat32 ? v.getUint16(20, true) : 0;
  return {
    rawName: entry.slice(0, 11),
    attr: entry[11],
    caseFlags: entry[12],
    firstCluster: high * 0x10000 + v.getUint16(26, true),
    size: v.getUint32(28, true),
  };
}

/** A new entry with creation, access and write stamps all set to `stamp` (tenths field 0). */
export function encodeShortEntry(e: ShortEntry, stamp: FatDateTime): Uint8Array {
  const entry = new Uint8Array(ENTRY_SIZE);
  entry.set(e.rawName.subarray(0, 11));
  if (entry[0] === DELETED) entry[0] = 0x05; // §6.1: a real leading 0xE5 is stored as 0x05
  entry[11] = e.attr;
  entry[12] = e.caseFlags;
  const v = view(entry);
  v.setUint16(14, stamp.time, true);
  v.setUint16(16, stamp.date, true);
  v.setUint16(18, stamp.date, true);
  setClusterAndSize(entry, e.firstCluster, e.size);
  setModified(entry, stamp);
  return entry;
}

export function setClusterAndSize(entry: Uint8Array, firstCluster: number, size: number): void {
  const v = view(entry);
  v.setUint16(20, Math.floor(firstCluster / 0x10000), true);
  v.setUint16(26, firstCluster & 0xffff, true);
  v.setUint32(28, size, true);
}

/** Write time/date and access date: what a modification updates (creation stays). */
export function setModified(entry: Uint8Array, stamp: FatDateTime): void {
  const v = view(entry);
  v.setUint16(18, stamp.date, true);
  v.setUint16(22, stamp.time, true);
  v.setUint16(24, stamp.date, true);
}

const DOT = Uint8Array.from('.          ', (c) => c.charCodeAt(0));
const DOTDOT = Uint8Array.from('..         ', (c) => c.charCodeAt(0));

/** The '.' and '..' entries that begin every subdirectory (§6.7); `parent` is 0 for the root. */
export function encodeDotEntries(selfCluster: number, parent: number, stamp: FatDateTime): Uint8Array {
  const out = new Uint8Array(2 * ENTRY_SIZE);
  out.set(encodeShortEntry({ rawName: DOT, attr: ATTR_DIRECTORY, caseFlags: 0, firstCluster: selfCluster, size: 0 }, stamp), 0);
  out.set(encodeShortEntry({ rawName: DOTDOT, attr: ATTR_DIRECTORY, caseFlags: 0, firstCluster: parent, size: 0 }, stamp), ENTRY_SIZE);
  return out;
}
