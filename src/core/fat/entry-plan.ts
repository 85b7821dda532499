/**
 * Where and how a new name goes into a directory: its short name (plain 8.3 with NT case flags, or
 * generated with a "~N" tail plus long-name entries), which slots it takes, and how many clusters
 * the directory must grow by. Computed before anything is written, so space errors change nothing.
 */
import { CoreError } from '../errors.ts';
import type { DirectoryTable } from './directory-table.ts';
import { encodeShortEntry, ENTRY_SIZE } from './directory.ts';
import { encodeLongName, lfnChecksum, longEntryCount } from './long-name.ts';
import { generateShortName, plainShortName } from './short-name.ts';
import type { FatDateTime } from './timestamps.ts';

/** §6: a directory may hold at most 65,536 32-byte entries (2 MiB). */
const MAX_DIRECTORY_SLOTS = 65536;

export interface EntryPlan {
  readonly rawShortName: Uint8Array;
  readonly caseFlags: number;
  readonly longEntries: Uint8Array; // empty when the short name says it all
  readonly slot: number; // first slot of the run
  readonly slotCount: number;
  readonly growClusters: number;
}

export function planEntry(dir: DirectoryTable, name: string): EntryPlan {
  const plain = plainShortName(name);
  let rawShortName: Uint8Array;
  let caseFlags = 0;
  let longEntries: Uint8Array = new Uint8Array(0);
  if (plain) {
    rawShortName = plain.raw;
    caseFlags = plain.caseFlags;
  } else {
    const used = dir.shortNameKeys();
    rawShortName = generateShortName(name, (key) => used.has(key));
    longEntries = encodeLongName(name, lfnChecksum(rawShortName));
  }
  const slotCount = slotsFor(name);
  const run = dir.findFreeRun(slotCount);
  let growClusters = 0;
  if (run.missing > 0) {
    if (dir.isFixedRoot) {
      const g = dir.g;
      throw new CoreError(
        'FAT_ROOT_FULL',
        `The root directory of this FAT${g.fatType} filesystem is full (${g.rootEntryCount} entries), so "${name}" cannot be added there.`,
        { name, entries: g.rootEntryCount },
      );
    }
    if (dir.slotCount + run.missing > MAX_DIRECTORY_SLOTS) {
      throw new CoreError('FAT_NO_SPACE', `The folder "${dir.path || '/'}" is full: FAT allows at most ${MAX_DIRECTORY_SLOTS} entries in one folder.`, { path: dir.path });
    }
    growClusters = Math.ceil((run.missing * ENTRY_SIZE) / dir.g.bytesPerCluster);
  }
  return { rawShortName, caseFlags, longEntries, slot: run.slot, slotCount, growClusters };
}

/** The bytes of all slots of a planned entry: long-name entries, then the short entry. */
export function entryBytes(plan: EntryPlan, attr: number, firstCluster: number, size: number, stamp: FatDateTime): Uint8Array {
  const out = new Uint8Array(plan.slotCount * ENTRY_SIZE);
  out.set(plan.longEntries);
  out.set(encodeShortEntry({ rawName: plan.rawShortName, attr, caseFlags: plan.caseFlags, firstCluster, size }, stamp), plan.longEntries.length);
  return out;
}

/** Slots a name takes: its long-name entries (if any) and the short entry. */
export function slotsFor(name: string): number {
  return 1 + (plainShortName(name) ? 0 : longEntryCount(name));
}

/**
 * Clusters needed by a chain of new nested folders `names` (each inside the previous): one each,
 * plus more when a child's entry does not fit in its parent's first cluster after '.' and '..'.
 */
export function newFolderClusters(names: readonly string[], bytesPerCluster: number): number {
  let clusters = 0;
  for (let k = 0; k < names.length; k++) {
    const childSlots = k + 1 < names.length ? slotsFor(names[k + 1]) : 0;
    clusters += Math.ceil(((2 + childSlots) * ENTRY_SIZE) / bytesPerCluster);
  }
  return clusters;
}
