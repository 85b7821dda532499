/**
 * Reads an image's partition table: whole-disk FAT (no table), GPT behind a protective MBR, or a
 * DOS MBR with its logical partitions (balenaos.md §1). Reads only the first sectors, the EBRs
 * and the GPT entry array; the end of the image only when the primary GPT is damaged.
 */
import { CoreError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { fatBytesPerSector, looksLikeFatBootSector } from './fat-label.ts';
import { readGpt } from './gpt.ts';
import { readMbr } from './mbr.ts';
import { hasBootSignature, MBR_SECTOR, parseMbrEntries } from './mbr-entry.ts';
import { MBR_GPT_PROTECTIVE } from './partition-types.ts';
import type { PartitionTable } from './types.ts';
import { checkPartitionLayout } from './validate.ts';

export interface ReadTableOptions {
  /** Leave the MBR's logical partitions unread (see PartitionTable.logicalsDeferred). */
  deferLogicals?: boolean;
}

export async function readPartitionTable(source: ByteSource, options: ReadTableOptions = {}): Promise<PartitionTable> {
  if (source.size < MBR_SECTOR) {
    throw new CoreError(
      'IO_TRUNCATED',
      `The image is only ${source.size} bytes long, too short to hold a partition table (${MBR_SECTOR} bytes at least).`,
      { size: source.size },
    );
  }
  const sector0 = (await source.read(0, MBR_SECTOR)).slice();
  // A FAT boot sector also ends in 55 AA: recognise it before reading 0x1BE as MBR entries.
  if (looksLikeFatBootSector(sector0)) {
    return { kind: 'none', sectorSize: fatBytesPerSector(sector0), partitions: [], warnings: [] };
  }
  if (!hasBootSignature(sector0)) {
    throw new CoreError('PARTITION_TABLE_INVALID', 'The image has no MBR or GPT signature and no FAT filesystem at sector 0: it is not a disk image.');
  }
  const entries = parseMbrEntries(sector0);
  const protectiveSlot = entries.findIndex((e) => e.type === MBR_GPT_PROTECTIVE);
  if (protectiveSlot >= 0) {
    const gpt = await readGpt(source);
    if (protectiveSlot > 0) gpt.warnings.unshift(`The MBR is a hybrid (the 0xEE entry is partition ${protectiveSlot + 1}); only the GPT was read.`);
    checkPartitionLayout(gpt.partitions, [], source.size);
    return { kind: 'gpt', sectorSize: gpt.sectorSize, partitions: gpt.partitions, diskId: gpt.diskId, warnings: gpt.warnings };
  }
  const deferLogicals = options.deferLogicals === true;
  const mbr = await readMbr(source, sector0, { readLogicals: !deferLogicals });
  checkPartitionLayout(mbr.partitions, mbr.containers, source.size);
  const extended = mbr.containers.map(({ index, start, size }) => ({ index, start, size }));
  return {
    kind: 'mbr',
    sectorSize: MBR_SECTOR,
    partitions: mbr.partitions,
    diskId: mbr.diskId,
    ...(extended.length > 0 ? { extended } : {}),
    ...(deferLogicals && extended.length > 0 ? { logicalsDeferred: true } : {}),
    warnings: mbr.warnings,
  };
}
