/**
 * The FAT boot sector and BIOS Parameter Block (BPB).
 * Spec: Microsoft "FAT: General Overview of On-Disk Format" v1.03, §3 "Boot Sector and BPB",
 * §3.5 "Determination of FAT type", and §5 "FAT32 FSInfo Sector Structure".
 * We only read it: the BPB, label and dirty flags are never written (balenaos.md §3.6).
 */
import { CoreError } from '../errors.ts';
import { bpbShapeProblem, readBpb } from './bpb.ts';

export type FatType = 12 | 16 | 32;

export interface FatGeometry {
  readonly fatType: FatType;
  readonly bytesPerSector: number;
  readonly sectorsPerCluster: number;
  readonly bytesPerCluster: number;
  readonly reservedSectors: number;
  readonly numFats: number;
  readonly sectorsPerFat: number;
  readonly rootEntryCount: number; // FAT12/16 fixed root; 0 on FAT32
  readonly totalSectors: number;
  readonly clusterCount: number;
  /** Highest valid cluster number (clusters run 2..maxCluster). */
  readonly maxCluster: number;
  readonly fatOffset: number; // byte offset of FAT #0
  readonly fatBytes: number; // bytes of one FAT copy
  readonly rootDirOffset: number; // FAT12/16: byte offset of the fixed root directory
  readonly dataOffset: number; // byte offset of cluster 2
  readonly rootCluster: number; // FAT32 only; 0 otherwise
  readonly fsInfoSector: number; // FAT32 only; 0 when absent
  readonly backupBootSector: number; // FAT32 only; 0 when absent
  /** FAT32 BPB_ExtFlags bit 7: when set only `activeFat` is used and written. */
  readonly mirroringDisabled: boolean;
  readonly activeFat: number;
  readonly label: string | null;
  /** BPB_Media; FAT[0] must repeat it in its low byte (§4.2). */
  readonly media: number;
  /** Byte offset of BS_Reserved1 (0x25 / 0x41), whose bit 0 is the dirty flag. */
  readonly dirtyFlagOffset: number;
  /** BS_Reserved1 (0x25, FAT12/16) or 0x41 (FAT32) bit 0: set by Linux while mounted. */
  readonly bpbDirty: boolean;
}

function invalid(why: string): CoreError {
  return new CoreError('FAT_INVALID', `This partition does not hold a FAT filesystem that can be trusted: ${why}.`, { why });
}

/** A layout the BPB describes consistently but that no formatter makes: refused rather than guessed at. */
function unlike(why: string): CoreError {
  return new CoreError('FAT_INVALID', `This FAT filesystem's boot sector describes a layout no formatter makes (${why}), so it cannot be trusted.`, { why });
}

/** Parses and validates the BPB in the first sector; `partitionSize` is the store's byte length. */
export function parseBootSector(sector: Uint8Array, partitionSize: number): FatGeometry {
  if (sector.length < 512) throw invalid('the partition is smaller than one sector');
  const b = readBpb(sector);
  if (!b.hasSignature) throw invalid('the boot sector signature 55 AA is missing');
  const shape = bpbShapeProblem(b);
  if (shape) throw invalid(shape);
  const { bytesPerSector, sectorsPerCluster, reservedSectors, numFats, rootEntryCount, sectorsPerFat, totalSectors } = b;
  const bytesPerCluster = bytesPerSector * sectorsPerCluster;
  if (bytesPerCluster > 65536) throw invalid(`clusters of ${bytesPerCluster} bytes are larger than 64 KiB`);
  // §3.1 BPB_Media: 0xF0 or 0xF8–0xFF; FAT[0] repeats it (checked when the FAT is loaded).
  if (b.media !== 0xf0 && b.media < 0xf8) throw invalid(`the media byte is 0x${b.media.toString(16)}`);
  if (totalSectors * bytesPerSector > partitionSize) {
    throw invalid(`the filesystem claims ${totalSectors * bytesPerSector} bytes but the partition has only ${partitionSize}`);
  }

  // §3.5: the FAT type is determined by the count of data clusters, and by nothing else.
  const rootDirSectors = Math.ceil((rootEntryCount * 32) / bytesPerSector);
  const dataSector = reservedSectors + numFats * sectorsPerFat + rootDirSectors;
  if (dataSector >= totalSectors) throw invalid('the FATs and root directory leave no room for data');
  const clusterCount = Math.floor((totalSectors - dataSector) / sectorsPerCluster);
  const fatType: FatType = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
  if (clusterCount < 1) throw invalid('there are no data clusters');
  const maxCluster = clusterCount + 1;
  const fatBytes = sectorsPerFat * bytesPerSector;
  const neededFatBytes = fatType === 12 ? Math.ceil(((maxCluster + 1) * 3) / 2) : (maxCluster + 1) * (fatType / 8);
  if (fatBytes < neededFatBytes) throw invalid(`a FAT of ${fatBytes} bytes cannot describe ${clusterCount} clusters`);
  // Formatters size each FAT for the clusters that follow it (the §3.5 formula overshoots by a few
  // per cent at most) and keep the reserved area small next to the data. A FAT several times too
  // big, or a reserved area larger than the data area, means the fields were changed after
  // formatting: the FATs then overlap what was data, and FAT[0] no longer sits where it says.
  const neededFatSectors = Math.ceil(neededFatBytes / bytesPerSector);
  if (sectorsPerFat > 2 * neededFatSectors + 16) {
    throw unlike(`a FAT of ${sectorsPerFat} sectors for ${clusterCount} clusters, which need ${neededFatSectors}`);
  }
  // §3.1 BPB_RootEntCnt: "should always specify a count that when multiplied by 32 results in an
  // even multiple of BPB_BytsPerSec"; readers disagree on where a partial root sector ends.
  if ((rootEntryCount * 32) % bytesPerSector !== 0) {
    throw unlike(`${rootEntryCount} root directory entries, which do not fill whole sectors`);
  }
  if (reservedSectors > totalSectors - dataSector) {
    throw unlike(`${reservedSectors} reserved sectors ahead of only ${totalSectors - dataSector} sectors of data`);
  }

  if ((fatType === 32) !== b.fat32Layout || (fatType === 32) !== (rootEntryCount === 0)) {
    throw new CoreError(
      'FAT_UNSUPPORTED',
      `This FAT filesystem has ${clusterCount} clusters, which makes it FAT${fatType}, but its boot sector is laid out for ${b.fat32Layout ? 'FAT32' : 'FAT12/16'}; such a volume is read differently by different systems, so it is not edited.`,
      { clusterCount },
    );
  }

  let rootCluster = 0;
  let fsInfoSector = 0;
  let backupBootSector = 0;
  let mirroringDisabled = false;
  let activeFat = 0;
  if (fatType === 32) {
    mirroringDisabled = (b.extFlags & 0x80) !== 0;
    activeFat = mirroringDisabled ? b.extFlags & 0x0f : 0;
    if (activeFat >= numFats) throw invalid(`the active FAT is #${activeFat + 1} but there are only ${numFats}`);
    if (b.fsVersion !== 0) throw invalid('the FAT32 version is not 0.0');
    rootCluster = b.rootCluster;
    if (rootCluster < 2 || rootCluster > maxCluster) throw invalid(`the root directory cluster ${rootCluster} is out of range`);
    // Both live in the reserved area, apart from the boot sector and each other; anything else is ignored (never written).
    backupBootSector = b.backupBootSector >= 1 && b.backupBootSector < reservedSectors ? b.backupBootSector : 0;
    fsInfoSector = b.fsInfoSector >= 1 && b.fsInfoSector < reservedSectors && b.fsInfoSector !== backupBootSector ? b.fsInfoSector : 0;
  }

  return {
    fatType,
    bytesPerSector,
    sectorsPerCluster,
    bytesPerCluster,
    reservedSectors,
    numFats,
    sectorsPerFat,
    rootEntryCount,
    totalSectors,
    clusterCount,
    maxCluster,
    fatOffset: reservedSectors * bytesPerSector,
    fatBytes,
    rootDirOffset: (reservedSectors + numFats * sectorsPerFat) * bytesPerSector,
    dataOffset: dataSector * bytesPerSector,
    rootCluster,
    fsInfoSector,
    backupBootSector,
    mirroringDisabled,
    activeFat,
    media: b.media,
    label: b.label,
    dirtyFlagOffset: b.extendedAt + 1,
    bpbDirty: b.dirty,
  };
}

/** Byte offset of a data cluster's first byte. */
export function clusterOffset(g: FatGeometry, cluster: number): number {
  return g.dataOffset + (cluster - 2) * g.bytesPerCluster;
}
