/**
 * The geometry of a new FAT filesystem, chosen the way `mkfs.fat` 4.2 (dosfstools, what
 * balenaOS's build and our interop tests run) chooses it, so that a volume we format looks like
 * one the field's tools made: same FAT type, cluster size, reserved sectors, FAT length and root
 * directory size for the same volume size. Pure arithmetic; `mkfs.ts` writes the result.
 *
 * Spec: Microsoft "FAT: General Overview of On-Disk Format" v1.03 (fatgen103) §3 (BPB), §3.5
 * (the FAT type is decided by the cluster count alone: < 4085 FAT12, < 65525 FAT16, else FAT32),
 * §4 (FAT size). The choices on top of the spec, as mkfs.fat makes them:
 * - FAT32 from 512 MiB up, otherwise FAT12 or FAT16, whichever the cluster count allows, trying
 *   4, 8, 16 … 128 sectors per cluster (FAT32: 1 sector up to 260 MiB, 8 up to 8 GiB, 16, 32, 64);
 * - 1 reserved sector (FAT32: 32), 2 FATs, 512 root entries, media 0xF8;
 * - above 8192 sectors, the reserved area, each FAT and the root directory are rounded up to whole
 *   clusters ("alignment"), and the sector count down to whole tracks;
 * - CHS fields from the SD card file-system recommendation below 256 MiB, LBA-assist above.
 */
import { CoreError } from '../errors.ts';
import type { FatType } from './boot-sector.ts';

export interface FatFormatOptions {
  /** 12, 16 or 32. Default: as mkfs.fat (FAT32 from 512 MiB, else FAT12/16 by cluster count). */
  fatType?: FatType;
  /** Up to 11 ASCII characters, kept as given (balenaOS labels are lower case). Default: none ("NO NAME"). */
  label?: string;
  /** BS_VolID. Default 0x1234ABCD (what `mkfs.fat --invariant` writes): nothing random is written. */
  volumeId?: number;
  /** Default 512. */
  bytesPerSector?: 512 | 1024 | 2048 | 4096;
  /** Power of two, 1–128. Default: chosen by size as described above. */
  sectorsPerCluster?: number;
  /** Default 1 (FAT32: 32); rounded up to a whole cluster when aligning. */
  reservedSectors?: number;
  /** FAT12/16 root directory entries. Default 512; rounded up to whole clusters when aligning. */
  rootEntries?: number;
  /** 1–4, default 2. */
  numFats?: number;
  /** BPB_HiddSec: the partition's start sector on the disk. Default 0 (what mkfs.fat writes on an image file). */
  hiddenSectors?: number;
  /** Align structures to clusters (mkfs.fat's default; `-a` turns it off). Default true. */
  align?: boolean;
  /** Date of the volume-label directory entry (taken in UTC). Default 2000-01-01T00:00:00Z. */
  timestamp?: Date;
}

export interface FatFormatPlan {
  readonly fatType: FatType;
  readonly bytesPerSector: number;
  readonly sectorsPerCluster: number;
  readonly reservedSectors: number;
  readonly numFats: number;
  /** 0 on FAT32. */
  readonly rootEntries: number;
  readonly sectorsPerFat: number;
  readonly totalSectors: number;
  readonly clusterCount: number;
  readonly sectorsPerTrack: number;
  readonly heads: number;
  readonly hiddenSectors: number;
  /** FAT32 only (0 otherwise). */
  readonly fsInfoSector: number;
  /** FAT32 only; 0 = none. */
  readonly backupBootSector: number;
  readonly volumeId: number;
  /** The 11 label bytes as written in the BPB ("NO NAME    " when there is no label). */
  readonly label: string;
  readonly hasLabel: boolean;
}

const MiB = 1024 * 1024;
// Cluster-count limits mkfs.fat 4.2 keeps to (a little inside the spec's thresholds for 12/16).
const MAX_CLUSTERS_12 = 4084;
const MIN_CLUSTERS_16 = 4087;
const MAX_CLUSTERS_16 = 65524;
const MIN_CLUSTERS_32 = 65525;
const MAX_CLUSTERS_32 = 0x0ffffff6;
/** Characters the FAT spec forbids in a short name (§6.1), hence in a label. */
const FORBIDDEN_LABEL_CHARS = '"*+,./:;<=>?[\\]|';

function unsupported(message: string, detail: Record<string, unknown> = {}): CoreError {
  return new CoreError('FAT_UNSUPPORTED', message, detail);
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** The label as 11 BPB bytes; throws FAT_BAD_NAME for what mkfs.fat refuses. */
export function encodeVolumeLabel(label: string | undefined): { text: string; hasLabel: boolean } {
  if (label === undefined || label.trim() === '') return { text: 'NO NAME    ', hasLabel: false };
  const bad = (why: string) => new CoreError('FAT_BAD_NAME', `The volume label "${label}" ${why}.`, { label });
  if (label.length > 11) throw bad('is longer than 11 characters');
  for (const ch of label) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw bad('may only hold printable ASCII characters');
    if (FORBIDDEN_LABEL_CHARS.includes(ch)) throw bad(`may not contain ${ch}`);
  }
  if (label.startsWith(' ')) throw bad('may not start with a space');
  return { text: label.padEnd(11, ' '), hasLabel: true };
}

/** CHS fields: SD card file-system spec below 256 MiB (of 512-byte sectors), LBA-assist above. */
function chsGeometry(sectors: number): { heads: number; sectorsPerTrack: number } {
  if (sectors <= 524288) {
    const heads = sectors <= 32768 ? 2 : sectors <= 65536 ? 4 : sectors <= 262144 ? 8 : 16;
    return { heads, sectorsPerTrack: sectors <= 4096 ? 16 : 32 };
  }
  const k = 63 * 1024;
  const heads = sectors <= 16 * k ? 16 : sectors <= 32 * k ? 32 : sectors <= 64 * k ? 64 : sectors <= 128 * k ? 128 : 255;
  return { heads, sectorsPerTrack: 63 };
}

/** FAT32's default cluster size by volume size (fatgen103 p. 20 as mkfs.fat applies it). */
function fat32SectorsPerCluster(sectors: number): number {
  const GiBsectors = 2 * MiB; // 1 GiB in 512-byte sectors
  return sectors > 32 * GiBsectors ? 64 : sectors > 16 * GiBsectors ? 32 : sectors > 8 * GiBsectors ? 16 : sectors > 260 * 2048 ? 8 : 1;
}

const LIMITS: Record<FatType, [number, number]> = { 12: [1, MAX_CLUSTERS_12], 16: [MIN_CLUSTERS_16, MAX_CLUSTERS_16], 32: [MIN_CLUSTERS_32, MAX_CLUSTERS_32] };

interface Candidate {
  clusters: number;
  sectorsPerFat: number;
  fits: boolean;
}

/**
 * Clusters and FAT length for one type at one cluster size. The first estimate solves
 * "data + FATs fill the space" for the cluster count (rounding up in the FATs' favour), the FAT is
 * sized for it, and the count is then recomputed from what really remains.
 */
function candidate(type: FatType, dataAndFats: number, spc: number, ss: number, fats: number, align: (n: number) => number): Candidate {
  let estimate: number;
  let fatBytes: (clusters: number) => number;
  if (type === 12) {
    estimate = Math.floor((2 * (dataAndFats * ss + fats * 3)) / (2 * spc * ss + fats * 3));
    fatBytes = (c) => ((c + 2) * 3 + 1) >> 1;
  } else if (type === 16) {
    estimate = Math.floor((dataAndFats * ss + fats * 4) / (spc * ss + fats * 2));
    fatBytes = (c) => (c + 2) * 2;
  } else {
    estimate = Math.floor((dataAndFats * ss + fats * 8) / (spc * ss + fats * 4));
    fatBytes = (c) => (c + 2) * 4;
  }
  const sectorsPerFat = align(ceilDiv(fatBytes(Math.max(estimate, 0)), ss));
  const clusters = Math.max(0, Math.floor((dataAndFats - fats * sectorsPerFat) / spc));
  const entries = type === 12 ? Math.floor((sectorsPerFat * ss * 2) / 3) : Math.floor((sectorsPerFat * ss * 8) / type);
  const [min, max] = LIMITS[type];
  // The FAT must hold entries 0 and 1 plus one per cluster (the spec's own check, stricter than mkfs.fat's).
  return { clusters, sectorsPerFat, fits: clusters >= min && clusters <= max && clusters <= entries - 2 };
}

/** Chooses the geometry for a volume of `volumeBytes`; throws FAT_UNSUPPORTED when none fits. */
export function planFatFormat(volumeBytes: number, options: FatFormatOptions = {}): FatFormatPlan {
  const ss = options.bytesPerSector ?? 512;
  if (![512, 1024, 2048, 4096].includes(ss)) throw unsupported(`A sector size of ${ss} bytes is not supported.`);
  const fats = options.numFats ?? 2;
  if (!Number.isInteger(fats) || fats < 1 || fats > 4) throw unsupported(`${fats} FATs: a FAT filesystem has 1 to 4.`);
  const spcOption = options.sectorsPerCluster;
  if (spcOption !== undefined && (!isPowerOfTwo(spcOption) || spcOption > 128 || spcOption * ss > 65536)) {
    throw unsupported(`${spcOption} sectors per cluster: it must be a power of two up to 128 and clusters at most 64 KiB.`);
  }
  const { text: label, hasLabel } = encodeVolumeLabel(options.label);
  const deviceSectors = Math.floor(volumeBytes / ss);
  const { heads, sectorsPerTrack } = chsGeometry(deviceSectors);

  let align = options.align ?? true;
  let total = Math.min(deviceSectors, 0xffffffff);
  if (align) total = Math.floor(total / sectorsPerTrack) * sectorsPerTrack;
  if (total <= 8192) align = false; // floppy-sized: mkfs.fat does not align
  const alignTo = (spc: number) => (n: number) => (align ? ceilDiv(n, spc) * spc : n);

  const forced = options.fatType;
  const fat32 = forced === 32 || (forced === undefined && volumeBytes >= 512 * MiB);
  let reserved = options.reservedSectors ?? (fat32 ? 32 : 1);
  if (!Number.isInteger(reserved) || reserved < (fat32 ? 2 : 1) || reserved > 0xffff) {
    throw unsupported(`${reserved} reserved sectors: ${fat32 ? 'FAT32 needs at least 2' : 'at least 1 is needed'} and at most 65535.`);
  }
  const rootEntriesWanted = fat32 ? 0 : (options.rootEntries ?? 512);
  if (!Number.isInteger(rootEntriesWanted) || rootEntriesWanted < 0 || rootEntriesWanted > 0xffff) throw unsupported(`${rootEntriesWanted} root entries is out of range.`);
  const rootSectors = ceilDiv(rootEntriesWanted * 32, ss);

  let spc = spcOption ?? (fat32 ? fat32SectorsPerCluster(deviceSectors) : 4);
  const maxSpc = spcOption ?? 128;
  const firstSpc = spc;
  let found: { type: FatType; c: Candidate } | null = null;
  // What the first (smallest) cluster size gave, for the error message.
  let first: Partial<Record<FatType, Candidate>> | null = null;
  for (; spc <= maxSpc && spc * ss <= 65536; spc *= 2) {
    const a = alignTo(spc);
    const dataAndFats32 = total - a(reserved);
    const dataAndFats1216 = dataAndFats32 - a(rootSectors);
    if (fat32) {
      const c32 = candidate(32, dataAndFats32, spc, ss, fats, a);
      first ??= { 32: c32 };
      if (c32.fits) found = { type: 32, c: c32 };
    } else {
      const c12 = candidate(12, dataAndFats1216, spc, ss, fats, a);
      const c16 = candidate(16, dataAndFats1216, spc, ss, fats, a);
      first ??= forced ? { [forced]: forced === 12 ? c12 : c16 } : { 12: c12, 16: c16 };
      if (forced === 12 && c12.fits) found = { type: 12, c: c12 };
      else if (forced === 16 && c16.fits) found = { type: 16, c: c16 };
      else if (forced === undefined && (c12.fits || c16.fits)) found = c16.fits && (!c12.fits || c16.clusters > c12.clusters) ? { type: 16, c: c16 } : { type: 12, c: c12 };
    }
    if (found) break;
  }
  if (!found) {
    const why = Object.entries(first ?? {})
      .map(([t, c]) => `FAT${t} would have ${c.clusters} clusters with ${firstSpc} sector${firstSpc > 1 ? 's' : ''} per cluster and needs ${LIMITS[Number(t) as FatType].join(' to ')}`)
      .join('; ');
    throw unsupported(
      `A volume of ${volumeBytes} bytes cannot be formatted as ${forced ? `FAT${forced}` : 'FAT12 or FAT16'}${spcOption ? ` with ${spcOption} sectors per cluster` : ''}: ${why}.`,
      { volumeBytes, fatType: forced },
    );
  }
  const a = alignTo(spc);
  reserved = a(reserved);
  const rootEntries = found.type === 32 ? 0 : align ? a(rootSectors) * (ss / 32) : rootEntriesWanted;
  let backupBootSector = 0;
  if (found.type === 32) {
    // FSInfo at 1; the backup boot sector at 6 (fatgen103 recommends 6), or as late as fits.
    backupBootSector = reserved >= 7 ? 6 : reserved >= 4 ? reserved - 2 : reserved >= 3 ? reserved - 1 : 0;
  }
  return {
    fatType: found.type,
    bytesPerSector: ss,
    sectorsPerCluster: spc,
    reservedSectors: reserved,
    numFats: fats,
    rootEntries,
    sectorsPerFat: found.c.sectorsPerFat,
    totalSectors: total,
    clusterCount: found.c.clusters,
    sectorsPerTrack,
    heads,
    hiddenSectors: options.hiddenSectors ?? 0,
    fsInfoSector: found.type === 32 ? 1 : 0,
    backupBootSector,
    volumeId: (options.volumeId ?? 0x1234abcd) >>> 0,
    label,
    hasLabel,
  };
}
