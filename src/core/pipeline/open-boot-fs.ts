import { CoreError } from '../errors.ts';
import { FatVolume } from '../fat/volume.ts';
import type { ByteSource, ByteStore } from '../io/byte-source.ts';
import { subrange } from '../io/subrange.ts';
import { findConfigPartition, type ConfigPartitionChoice, type FatProbe } from '../partition/find-config-partition.ts';
import { readPartitionTable } from '../partition/read-table.ts';
import type { PartitionTable } from '../partition/types.ts';

/** A read-only view as a store: the FAT reader never writes when only probing or inspecting. */
export function readOnlyStore(source: ByteSource): ByteStore {
  return {
    get size() {
      return source.size;
    },
    read: (offset, length) => source.read(offset, length),
    write: async () => {
      throw new CoreError('FAT_UNSUPPORTED', 'Internal error: a write reached a read-only view of the image.');
    },
  };
}

/** Lets the partition finder look inside FAT partitions through the project's own FAT reader. */
export function fatProbeFor(image: ByteSource): FatProbe {
  return async (start, size) => {
    let volume: FatVolume;
    try {
      volume = await FatVolume.open(readOnlyStore(subrange(image, start, size)));
    } catch {
      return null;
    }
    return { label: volume.label, hasFile: (path: string) => volume.exists(path) };
  };
}

export interface LocatedBootFs {
  table: PartitionTable;
  choice: ConfigPartitionChoice;
}

export interface LocateOptions {
  /**
   * Leave an MBR's logical partitions unread unless the decision needs them. Streamed (compressed)
   * images set it: their EBRs lie behind the root partitions, and reading one means decoding the
   * stream up to it.
   */
  deferLogicalPartitions?: boolean;
}

/** Reads the partition table and decides which filesystem holds config.json, and why. */
export async function locateBootFs(image: ByteSource, options: LocateOptions = {}): Promise<LocatedBootFs> {
  const table = await readPartitionTable(image, { deferLogicals: options.deferLogicalPartitions });
  const choice = await findConfigPartition(image, table, fatProbeFor(image));
  return { table: choice.table ?? table, choice };
}
