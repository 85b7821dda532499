/**
 * A small mkfs for FAT12/16/32: formats a ByteStore holding exactly the volume (offset 0 = boot
 * sector), as `mkfs.fat` does, deterministically. Used by the disk-image builder (the app's
 * built-in sample image, tests that need no external tool); `FatVolume` then fills it.
 *
 * What is written (Microsoft FAT spec v1.03 = fatgen103): the boot sector with its BPB (§3), on
 * FAT32 the FSInfo sector (§5) and the backup boot sector + backup FSInfo; every reserved sector
 * else zero; each FAT copy (entry 0 = media byte, entry 1 = end of chain with the clean bits set,
 * FAT32 entry 2 = the root directory's end of chain); the root directory (FAT12/16: the fixed
 * region; FAT32: cluster 2), holding the volume-label entry when there is a label. The data area
 * is not touched, as mkfs.fat leaves it: free clusters' contents do not matter.
 * Geometry: `mkfs-geometry.ts`.
 */
import type { ByteStore } from '../io/byte-source.ts';
import { ATTR_VOLUME_ID, ENTRY_SIZE } from './directory.ts';
import { planFatFormat, type FatFormatOptions, type FatFormatPlan } from './mkfs-geometry.ts';
import { DEFAULT_TIMESTAMP, encodeFatDateTime } from './timestamps.ts';

export { planFatFormat, encodeVolumeLabel, type FatFormatOptions, type FatFormatPlan } from './mkfs-geometry.ts';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** BS_OEMName: fatgen103 §3.1 recommends "MSWIN4.1" as the value least likely to upset a driver. */
const OEM_NAME = 'MSWIN4.1';
/** Boot code for a volume nobody boots from: `int 18h` (BIOS "no bootable disk": try the next device), then halt. */
const BOOT_CODE = [0xcd, 0x18, 0xf4, 0xeb, 0xfd];
const MEDIA = 0xf8;
/** Zeros are written in pieces of at most this size, so memory stays small whatever the FAT size. */
const ZERO_CHUNK = 64 * 1024;

/** The boot sector (§3.1–3.3); also written as the FAT32 backup. */
export function encodeBootSector(p: FatFormatPlan): Uint8Array {
  const s = new Uint8Array(p.bytesPerSector);
  const v = new DataView(s.buffer);
  const fat32 = p.fatType === 32;
  const bootCodeAt = fat32 ? 0x5a : 0x3e;
  s.set([0xeb, bootCodeAt - 2, 0x90], 0); // BS_jmpBoot: short jump over the BPB to the boot code
  s.set(ascii(OEM_NAME), 3);
  v.setUint16(0x0b, p.bytesPerSector, true); // BPB_BytsPerSec
  s[0x0d] = p.sectorsPerCluster; // BPB_SecPerClus
  v.setUint16(0x0e, p.reservedSectors, true); // BPB_RsvdSecCnt
  s[0x10] = p.numFats; // BPB_NumFATs
  v.setUint16(0x11, p.rootEntries, true); // BPB_RootEntCnt (0 on FAT32)
  if (p.totalSectors < 0x10000) v.setUint16(0x13, p.totalSectors, true); // BPB_TotSec16
  else v.setUint32(0x20, p.totalSectors, true); // BPB_TotSec32
  s[0x15] = MEDIA; // BPB_Media
  if (!fat32) v.setUint16(0x16, p.sectorsPerFat, true); // BPB_FATSz16
  v.setUint16(0x18, p.sectorsPerTrack, true); // BPB_SecPerTrk
  v.setUint16(0x1a, p.heads, true); // BPB_NumHeads
  v.setUint32(0x1c, p.hiddenSectors, true); // BPB_HiddSec
  let ext = 0x24;
  if (fat32) {
    v.setUint32(0x24, p.sectorsPerFat, true); // BPB_FATSz32
    // 0x28 BPB_ExtFlags = 0 (mirroring on), 0x2A BPB_FSVer = 0.0
    v.setUint32(0x2c, 2, true); // BPB_RootClus
    v.setUint16(0x30, p.fsInfoSector, true); // BPB_FSInfo
    v.setUint16(0x32, p.backupBootSector, true); // BPB_BkBootSec
    ext = 0x40;
  }
  s[ext] = 0x80; // BS_DrvNum: a fixed disk (media 0xF8)
  s[ext + 2] = 0x29; // BS_BootSig: the three fields below are present
  v.setUint32(ext + 3, p.volumeId, true); // BS_VolID
  s.set(ascii(p.label), ext + 7); // BS_VolLab
  s.set(ascii(fat32 ? 'FAT32   ' : p.fatType === 16 ? 'FAT16   ' : 'FAT12   '), ext + 18); // BS_FilSysType
  s.set(BOOT_CODE, bootCodeAt);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

/** The FSInfo sector (§5): cluster 2 is the root directory, every other cluster is free. */
export function encodeFsInfoSector(p: FatFormatPlan): Uint8Array {
  const s = new Uint8Array(p.bytesPerSector);
  const v = new DataView(s.buffer);
  v.setUint32(0, 0x41615252, true); // FSI_LeadSig "RRaA"
  v.setUint32(484, 0x61417272, true); // FSI_StrucSig "rrAa"
  v.setUint32(488, p.clusterCount - 1, true); // FSI_Free_Count
  v.setUint32(492, 2, true); // FSI_Nxt_Free: the hint mkfs.fat writes
  v.setUint32(508, 0xaa550000, true); // FSI_TrailSig
  return s;
}

/** The first bytes of a fresh FAT (§4.2): entries 0 and 1, and on FAT32 the root's end of chain. */
export function initialFatEntries(type: FatFormatPlan['fatType']): Uint8Array {
  if (type === 12) return Uint8Array.of(MEDIA, 0xff, 0xff); // 0xFF8, 0xFFF
  if (type === 16) return Uint8Array.of(MEDIA, 0xff, 0xff, 0xff); // 0xFFF8, 0xFFFF
  return Uint8Array.of(MEDIA, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0x0f, 0xf8, 0xff, 0xff, 0x0f);
}

/** The volume-label entry (§6: DIR_Attr = ATTR_VOLUME_ID, no cluster, all stamps = `when`). */
export function volumeLabelEntry(label: string, when: Date): Uint8Array {
  const e = new Uint8Array(ENTRY_SIZE);
  const v = new DataView(e.buffer);
  e.set(ascii(label));
  if (e[0] === 0xe5) e[0] = 0x05;
  e[11] = ATTR_VOLUME_ID;
  const { date, time } = encodeFatDateTime(when);
  v.setUint16(14, time, true); // DIR_CrtTime
  v.setUint16(16, date, true); // DIR_CrtDate
  v.setUint16(18, date, true); // DIR_LstAccDate
  v.setUint16(22, time, true); // DIR_WrtTime
  v.setUint16(24, date, true); // DIR_WrtDate
  return e;
}

async function writeZeros(store: ByteStore, offset: number, length: number): Promise<void> {
  const zeros = new Uint8Array(Math.min(length, ZERO_CHUNK));
  for (let done = 0; done < length; done += zeros.length) {
    const n = Math.min(zeros.length, length - done);
    await store.write(offset + done, n === zeros.length ? zeros : zeros.subarray(0, n));
  }
}

/**
 * Formats `store` (exactly the volume) and returns the geometry used. Same size + same options
 * ⇒ the same bytes. Throws FAT_UNSUPPORTED when no geometry fits and FAT_BAD_NAME for a label
 * mkfs.fat would refuse, before anything is written.
 */
export async function formatFat(store: ByteStore, options: FatFormatOptions = {}): Promise<FatFormatPlan> {
  const p = planFatFormat(store.size, options);
  const ss = p.bytesPerSector;
  const boot = encodeBootSector(p);
  await writeZeros(store, 0, p.reservedSectors * ss);
  await store.write(0, boot);
  if (p.fatType === 32) {
    const fsInfo = encodeFsInfoSector(p);
    await store.write(p.fsInfoSector * ss, fsInfo);
    if (p.backupBootSector) {
      await store.write(p.backupBootSector * ss, boot);
      const backupInfo = p.backupBootSector + p.fsInfoSector;
      if (backupInfo < p.reservedSectors) await store.write(backupInfo * ss, fsInfo);
    }
  }
  const fatBytes = p.sectorsPerFat * ss;
  const head = initialFatEntries(p.fatType);
  for (let i = 0; i < p.numFats; i++) {
    const at = (p.reservedSectors + i * p.sectorsPerFat) * ss;
    await writeZeros(store, at, fatBytes);
    await store.write(at, head);
  }
  const rootAt = (p.reservedSectors + p.numFats * p.sectorsPerFat) * ss;
  const rootBytes = p.fatType === 32 ? p.sectorsPerCluster * ss : Math.ceil((p.rootEntries * ENTRY_SIZE) / ss) * ss;
  await writeZeros(store, rootAt, rootBytes);
  if (p.hasLabel) await store.write(rootAt, volumeLabelEntry(p.label, options.timestamp ?? DEFAULT_TIMESTAMP));
  return p;
}
