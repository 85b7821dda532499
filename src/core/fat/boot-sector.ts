/**
 * The FAT boot sector and BIOS Parameter Block (BPB).
 * Spec: Microsoft "FAT: General Overview of On-Disk Format" v1.03, §3 "Boot Sector and BPB",
 * §3.5 "Determination of FAT type", and §5 "FAT32 FSInfo Sector Structure".
 * We only read it: the BPB, label and dirty flags are never written (balenaos.md §3.6).
 */
import { CoreError } from '../errors.ts';

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
  /** FAT32 BPB_ExtFlags bit 7: when set only `activeFat` is used and written. */
  readonly mirroringDisabled: boolean;
  readonly activeFat: number;
  readonly label: string | null;
  /** BS_Reserved1 (0x25, FAT12/16) or 0x41 (FAT32) bit 0: set by Linux while mounted. */
  readonly bpbDirty: boolean;
}

function invalid(why: string): CoreError {
  return new CoreError('FAT_INVALID', `This partition does not hold a FAT filesystem that can be trusted: ${why}.`, { why });
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Parses and validates the BPB in the first sector; `partitionSize` is the store's byte length. */
export function parseBootSector(sector: Uint8Array, partitionSize: number): FatGeometry {
  if (sector.length < 512) throw invalid('the partition is smaller than one sector');
  const v = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) throw invalid('the boot sector signature 55 AA is missing');
  if (sector[0] !== 0xeb && sector[0] !== 0xe9) throw invalid('the boot sector does not start with a jump instruction');

  const bytesPerSector = v.getUint16(11, true);
  const sectorsPerCluster = sector[13];
  const reservedSectors = v.getUint16(14, true);
  const numFats = sector[16];
  const rootEntryCount = v.getUint16(17, true);
  const totSec16 = v.getUint16(19, true);
  const fatSz16 = v.getUint16(22, true);
  const totSec32 = v.getUint32(32, true);
  const fatSz32 = v.getUint32(36, true);

  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) throw invalid(`bytes per sector is ${bytesPerSector}`);
  if (!isPowerOfTwo(sectorsPerCluster) || sectorsPerCluster > 128) throw invalid(`sectors per cluster is ${sectorsPerCluster}`);
  if (reservedSectors < 1) throw invalid('there are no reserved sectors');
  if (numFats < 1 || numFats > 4) throw invalid(`the number of FATs is ${numFats}`);
  const bytesPerCluster = bytesPerSector * sectorsPerCluster;
  if (bytesPerCluster > 65536) throw invalid(`clusters of ${bytesPerCluster} bytes are larger than 64 KiB`);

  const isFat32Layout = fatSz16 === 0;
  const sectorsPerFat = isFat32Layout ? fatSz32 : fatSz16;
  const totalSectors = totSec16 !== 0 ? totSec16 : totSec32;
  if (sectorsPerFat === 0) throw invalid('the FAT size is zero');
  if (totalSectors === 0) throw invalid('the total sector count is zero');
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
  if ((fatType === 32) !== isFat32Layout || (fatType === 32) !== (rootEntryCount === 0)) {
    throw new CoreError(
      'FAT_UNSUPPORTED',
      `This FAT filesystem has ${clusterCount} clusters, which makes it FAT${fatType}, but its boot sector is laid out for ${isFat32Layout ? 'FAT32' : 'FAT12/16'}; such a volume is read differently by different systems, so it is not edited.`,
      { clusterCount },
    );
  }
  const maxCluster = clusterCount + 1;
  const fatBytes = sectorsPerFat * bytesPerSector;
  const neededFatBytes = fatType === 12 ? Math.ceil(((maxCluster + 1) * 3) / 2) : (maxCluster + 1) * (fatType / 8);
  if (fatBytes < neededFatBytes) throw invalid(`a FAT of ${fatBytes} bytes cannot describe ${clusterCount} clusters`);

  let rootCluster = 0;
  let fsInfoSector = 0;
  let mirroringDisabled = false;
  let activeFat = 0;
  if (fatType === 32) {
    const extFlags = v.getUint16(40, true);
    mirroringDisabled = (extFlags & 0x80) !== 0;
    activeFat = mirroringDisabled ? extFlags & 0x0f : 0;
    if (activeFat >= numFats) throw invalid(`the active FAT is #${activeFat} but there are only ${numFats}`);
    if (v.getUint16(42, true) !== 0) throw invalid('the FAT32 version is not 0.0');
    rootCluster = v.getUint32(44, true);
    if (rootCluster < 2 || rootCluster > maxCluster) throw invalid(`the root directory cluster ${rootCluster} is out of range`);
    const fsInfo = v.getUint16(48, true);
    fsInfoSector = fsInfo >= 1 && fsInfo < reservedSectors ? fsInfo : 0;
  }

  const ext = fatType === 32 ? 0x40 : 0x24; // start of the extended BPB (BS_DrvNum)
  const hasExtendedBpb = sector[ext + 2] === 0x29;
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
    mirroringDisabled,
    activeFat,
    label: hasExtendedBpb ? decodeLabel(sector.subarray(ext + 7, ext + 18)) : null,
    bpbDirty: (sector[ext + 1] & 0x01) !== 0,
  };
}

function decodeLabel(bytes: Uint8Array): string | null {
  const text = String.fromCharCode(...bytes).replace(/[\s\0]+$/, '');
  return text === '' || text === 'NO NAME' ? null : text;
}

/** Byte offset of a data cluster's first byte. */
export function clusterOffset(g: FatGeometry, cluster: number): number {
  return g.dataOffset + (cluster - 2) * g.bytesPerCluster;
}
