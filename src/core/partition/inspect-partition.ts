/**
 * Looks inside one partition for what the boot-partition search needs: is it FAT, what is its
 * label, which files does it hold. Costs one sector read plus the probe; file checks are cached.
 */
import type { CoreError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { looksLikeFatBootSector, readBpbLabel } from './fat-label.ts';
import type { Partition } from './types.ts';

/** What the probe found in a FAT filesystem it could open. */
export interface ProbedFat {
  label: string | null;
  hasFile(path: string): Promise<boolean>;
  /** The file's bytes (optional: probes that cannot read files leave it out). */
  readFile?(path: string): Promise<Uint8Array>;
}

/**
 * Opens the FAT at [start, start+size) of the image: what it holds; `{ error }` when the bytes look
 * like FAT but the filesystem cannot be used (damaged, dirty and damaged, unsupported), saying why;
 * null when it is not a FAT filesystem at all.
 */
export interface FatProbe {
  (start: number, size: number): Promise<ProbedFat | { error: CoreError } | null>;
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
  readFile?(path: string): Promise<Uint8Array>;
  /** Set when the partition carries a FAT boot sector (or a boot name) but its filesystem cannot be used. */
  error?: CoreError;
}

const PROBE_BYTES = 512;

export function nameIs(name: string | null | undefined, wanted: readonly string[]): boolean {
  return name != null && wanted.includes(name.trim().toLowerCase());
}

/**
 * A FAT view of the partition, or null when it is not a FAT filesystem. A partition whose BPB label
 * or GPT name is a boot or config name is always probed, even when its boot sector is damaged, so
 * the search can say what is wrong with it instead of quietly looking elsewhere.
 */
export async function inspectPartition(source: ByteSource, partition: Partition, probe: FatProbe): Promise<InspectedFat | null> {
  if (partition.size < PROBE_BYTES) return null;
  const sector0 = await source.read(partition.start, PROBE_BYTES);
  const bpbLabel = readBpbLabel(sector0);
  const names = [...BOOT_NAMES, CONF_NAME];
  // A FAT boot sector, or the remains of one that still carries a boot label: worth a reason when it fails.
  const fatLike = looksLikeFatBootSector(sector0) || nameIs(bpbLabel, names);
  if (!fatLike && !nameIs(partition.name, names)) return null;
  const fs = await probe(partition.start, partition.size);
  const labels = (extra: string | null) => [...new Set([bpbLabel, extra].filter((l): l is string => l != null && l !== ''))];
  if (!fs) return null;
  if ('error' in fs) return fatLike ? { partition, labels: labels(null), hasFile: async () => false, error: fs.error } : null;
  const files = new Map<string, Promise<boolean>>();
  return {
    partition,
    labels: labels(fs.label),
    hasFile(path) {
      let found = files.get(path);
      if (!found) files.set(path, (found = fs.hasFile(path)));
      return found;
    },
    ...(fs.readFile ? { readFile: (path: string) => fs.readFile!(path) } : {}),
  };
}
