/**
 * Looks inside one partition for what the boot-partition search needs: is it FAT, what is its
 * label, which files does it hold. Costs one sector read plus the probe; file checks are cached.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { looksLikeFatBootSector, readBpbLabel } from './fat-label.ts';
import type { Partition } from './types.ts';

/** Opens the FAT at [start, start+size) of the image; null when it is not a FAT filesystem. */
export interface FatProbe {
  (start: number, size: number): Promise<{ label: string | null; hasFile(path: string): Promise<boolean> } | null>;
}

/** The labels that mark the boot partition (balenaos.md §2.1, §3.2), matched case-insensitively. */
export const BOOT_NAMES = ['resin-boot', 'flash-boot', 'balena-boot'];
/** resinOS 1.x kept config.json in a separate partition (balenaos.md §3.5). */
export const CONF_NAME = 'resin-conf';

export interface InspectedFat {
  partition: Partition;
  /** The BPB label (what balena reads) first, then the probe's if it differs; may be empty. */
  labels: string[];
  hasFile(path: string): Promise<boolean>;
}

const PROBE_BYTES = 512;

export function nameIs(name: string | null | undefined, wanted: readonly string[]): boolean {
  return name != null && wanted.includes(name.trim().toLowerCase());
}

/** A FAT view of the partition, or null when its first sector is not a FAT boot sector. */
export async function inspectPartition(source: ByteSource, partition: Partition, probe: FatProbe): Promise<InspectedFat | null> {
  if (partition.size < PROBE_BYTES) return null;
  const sector0 = await source.read(partition.start, PROBE_BYTES);
  if (!looksLikeFatBootSector(sector0)) return null;
  const bpbLabel = readBpbLabel(sector0);
  const fs = await probe(partition.start, partition.size);
  if (!fs) return null;
  const files = new Map<string, Promise<boolean>>();
  return {
    partition,
    labels: [...new Set([bpbLabel, fs.label].filter((l): l is string => l != null && l !== ''))],
    hasFile(path) {
      let found = files.get(path);
      if (!found) files.set(path, (found = fs.hasFile(path)));
      return found;
    },
  };
}
