/**
 * The classic DOS partition table in sector 0 (balenaos.md §1.1): four 16-byte entries at 0x1BE,
 * signature 55 AA at 0x1FE. Logical partitions inside an extended one are read by ebr-chain.ts.
 */
import { CoreError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { readEbrChain } from './ebr-chain.ts';
import { u32 } from './little-endian.ts';
import { isEmptyEntry, MBR_SECTOR, parseMbrEntries, type MbrEntry } from './mbr-entry.ts';
import { MBR_EXTENDED_TYPES, mbrTypeCode, mbrTypeName } from './partition-types.ts';
import type { Partition } from './types.ts';
import type { Region } from './validate.ts';

const DISK_SIGNATURE_AT = 440; // 4-byte disk signature inside the boot-code area

export interface MbrLayout {
  partitions: Partition[];
  /** Extended containers: checked for overlap with primaries and for lying past the end. */
  containers: Region[];
  diskId: string;
  warnings: string[];
}

/** Primaries 1–4 in slot order, then the logicals of each extended partition in chain order. */
export async function readMbr(source: ByteSource, sector0: Uint8Array, options: { readLogicals?: boolean } = {}): Promise<MbrLayout> {
  const entries = parseMbrEntries(sector0);
  entries.forEach((entry, slot) => {
    if (entry.status !== 0 && entry.status !== 0x80) {
      throw new CoreError(
        'PARTITION_TABLE_INVALID',
        `The MBR entry for partition ${slot + 1} has status byte 0x${entry.status.toString(16)} (only 0x00 or 0x80 are valid): sector 0 is not a partition table.`,
        { slot: slot + 1, status: entry.status },
      );
    }
  });
  const primaries: Partition[] = [];
  const containers: Region[] = [];
  const extended: MbrEntry[] = [];
  entries.forEach((entry, slot) => {
    if (isEmptyEntry(entry)) return;
    const index = slot + 1;
    if (MBR_EXTENDED_TYPES.has(entry.type)) {
      containers.push({ index, start: entry.startLba * MBR_SECTOR, size: entry.sectors * MBR_SECTOR, container: true });
      extended.push(entry);
      return;
    }
    primaries.push({
      index,
      start: entry.startLba * MBR_SECTOR,
      size: entry.sectors * MBR_SECTOR,
      type: mbrTypeCode(entry.type),
      typeName: mbrTypeName(entry.type),
      bootable: entry.status === 0x80,
    });
  });
  const logicals: Partition[] = [];
  const warnings: string[] = [];
  for (const container of options.readLogicals === false ? [] : extended) {
    const chain = await readEbrChain(source, container, 5 + logicals.length);
    logicals.push(...chain.partitions);
    warnings.push(...chain.warnings);
  }
  const diskId = '0x' + u32(sector0, DISK_SIGNATURE_AT).toString(16).padStart(8, '0');
  return { partitions: [...primaries, ...logicals], containers, diskId, warnings };
}
