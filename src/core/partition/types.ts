/**
 * What a partition table says about an image (balenaos.md §1). Offsets and sizes are in bytes so
 * that callers never have to care which sector size the table used.
 */
export interface Partition {
  /** Linux numbering: primaries 1–4 in table order, logicals 5, 6, … in EBR chain order; GPT: entry index + 1. */
  index: number;
  /** Byte offset in the image. */
  start: number;
  /** Bytes. */
  size: number;
  /** MBR: '0x0c' style lower-case hex; GPT: upper-case type GUID. */
  type: string;
  /** 'FAT32 (LBA)', 'Linux', 'EFI System', … */
  typeName: string;
  /** GPT partition name (UTF-16LE decoded). */
  name?: string;
  /** MBR active flag. */
  bootable?: boolean;
  logical?: boolean;
  /** GPT unique partition GUID. */
  guid?: string;
}

export interface PartitionTable {
  /** 'none' = whole-disk filesystem (Intel Edison .hddimg). */
  kind: 'mbr' | 'gpt' | 'none';
  /** Logical sector size used (GPT: detected 512/1024/2048/4096; none: the BPB's). */
  sectorSize: number;
  /** Excludes the extended container itself and empty slots. */
  partitions: Partition[];
  /** MBR disk signature ('0x1234abcd', as sfdisk prints it) / GPT disk GUID. */
  diskId?: string;
  /** MBR extended containers (their logicals are in `partitions` unless `logicalsDeferred`). */
  extended?: { index: number; start: number; size: number }[];
  /**
   * True when the EBR chains were not read (readPartitionTable's `deferLogicals`): on a streamed,
   * compressed image the EBRs sit behind the root partitions, hundreds of MB into the stream, and
   * reading them would mean decoding all of that. `partitions` then holds only the primaries.
   */
  logicalsDeferred?: boolean;
  warnings: string[];
}
