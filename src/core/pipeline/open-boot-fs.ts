import { CoreError } from '../errors.ts';
import { FatVolume, type FatOpenOptions } from '../fat/volume.ts';
import type { ByteSource, ByteStore } from '../io/byte-source.ts';
import { subrange, subrangeStore } from '../io/subrange.ts';
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
      throw new CoreError('INTERNAL', 'Internal error: a write reached a read-only view of the image.');
    },
  };
}

/**
 * Lets the partition finder look inside FAT partitions through the project's own FAT reader. The
 * volumes it opens are kept (by byte window), so the one chosen is not opened a second time.
 */
export function fatProbeFor(image: ByteSource | ByteStore, options: FatOpenOptions = {}): FatProbe & { volumes: Map<string, FatVolume> } {
  const volumes = new Map<string, FatVolume>();
  const probe = async (start: number, size: number) => {
    const store = 'write' in image ? subrangeStore(image, start, size) : readOnlyStore(subrange(image, start, size));
    let volume: FatVolume;
    try {
      volume = await FatVolume.open(store, options);
    } catch (e) {
      // The finder decides whether a damaged FAT matters (it does when it carries a boot name).
      if (e instanceof CoreError) return { error: e };
      throw e;
    }
    volumes.set(windowKey(start, size), volume);
    return { label: volume.label, hasFile: (path: string) => volume.exists(path), readFile: (path: string) => volume.readFile(path) };
  };
  return Object.assign(probe, { volumes });
}

const windowKey = (start: number, size: number) => `${start}+${size}`;

export interface LocatedBootFs {
  table: PartitionTable;
  choice: ConfigPartitionChoice;
}

/** The FAT volume of the chosen window, if the probe already opened it. */
export interface LocatedWithVolume extends LocatedBootFs {
  volume?: FatVolume;
}

export interface LocateOptions {
  /**
   * Leave an MBR's logical partitions unread unless the decision needs them. Streamed (compressed)
   * images set it: their EBRs lie behind the root partitions, and reading one means decoding the
   * stream up to it.
   */
  deferLogicalPartitions?: boolean;
}

/**
 * Reads the partition table and decides which filesystem holds config.json, and why. Given a
 * writable store (an overlay), the returned volume is open on it, ready to write.
 */
export async function locateBootFs(image: ByteSource | ByteStore, options: LocateOptions & FatOpenOptions = {}): Promise<LocatedWithVolume> {
  const table = await readPartitionTable(image, { deferLogicals: options.deferLogicalPartitions });
  const probe = fatProbeFor(image, { timestamp: options.timestamp });
  const choice = await findConfigPartition(image, table, probe);
  return { table: choice.table ?? table, choice, volume: probe.volumes.get(windowKey(choice.start, choice.size)) };
}
