/**
 * Which filesystem holds config.json (balenaos.md §2.4): by name, never by number. Partitions
 * the table calls FAT (or that the GPT names like a boot partition) are looked at first; the rest
 * only when that is inconclusive, because on a streamed image every partition read forces
 * decoding up to it.
 */
import { CoreError, shownName } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { fatVolumeBytes, readBpbLabel } from './fat-label.ts';
import { BOOT_NAMES, CONF_NAME, inspectPartition, nameIs, type FatProbe, type InspectedFat } from './inspect-partition.ts';
import { isFatType } from './partition-types.ts';
import { readPartitionTable } from './read-table.ts';
import type { Partition, PartitionTable } from './types.ts';

export type { FatProbe } from './inspect-partition.ts';

export interface ConfigPartitionChoice {
  /** null = the whole disk is the FAT filesystem. */
  partition: Partition | null;
  /** Byte window of the filesystem. */
  start: number;
  size: number;
  rule: 'fat-label' | 'gpt-name' | 'resin-conf' | 'device-type-json' | 'whole-disk' | 'fallback-first-partition';
  /** One sentence for `preflash inspect`. */
  reason: string;
  warnings: string[];
  /** The table re-read with its logical partitions, when it came in with them deferred and the decision needed them. */
  table?: PartitionTable;
}

type Decision = { choice: ConfigPartitionChoice; conclusive: boolean };

const BOOT_NAME_LIST = 'resin-boot, flash-boot or balena-boot';

function choose(fat: InspectedFat, rule: ConfigPartitionChoice['rule'], reason: string, warnings: string[] = []): ConfigPartitionChoice {
  const { partition } = fat;
  return { partition, start: partition.start, size: partition.size, rule, reason, warnings };
}

/** How a FAT partition is called: its GPT name first (that is what balena matches on GPT). */
function bootNameOf(fat: InspectedFat, wanted: readonly string[]): { rule: 'gpt-name' | 'fat-label'; name: string } | null {
  if (nameIs(fat.partition.name, wanted)) return { rule: 'gpt-name', name: fat.partition.name! };
  const label = fat.labels.find((l) => nameIs(l, wanted));
  return label ? { rule: 'fat-label', name: label } : null;
}

function describe(fat: InspectedFat, how: { rule: 'gpt-name' | 'fat-label'; name: string }): string {
  return how.rule === 'gpt-name'
    ? `partition ${fat.partition.index} is named ${shownName(how.name)} in the GPT`
    : `partition ${fat.partition.index} holds a FAT filesystem labelled ${shownName(how.name)}`;
}

/**
 * A partition named for the job whose filesystem cannot be used: say so, keeping the FAT layer's
 * code and reason, rather than quietly looking elsewhere (a resinOS 1.x device reads config.json
 * only from resin-conf; a config.json written anywhere else is never read).
 */
function unusable(fat: InspectedFat, role: string): CoreError {
  const how = bootNameOf(fat, [...BOOT_NAMES, CONF_NAME]);
  const name = how ? (how.rule === 'gpt-name' ? `named ${shownName(how.name)} in the GPT` : `labelled ${shownName(how.name)}`) : 'a FAT partition';
  const e = fat.error!;
  return new CoreError(e.code, `Partition ${fat.partition.index} is ${name}${role}, but its filesystem cannot be used: ${e.message}`, {
    ...e.detail,
    partition: fat.partition.index,
  });
}

/** Steps 2–3: resin-conf wins; else the boot-named FAT partition, preferring one with /config.json. */
async function decideByName(fats: InspectedFat[]): Promise<Decision | null> {
  const conf = fats.find((f) => bootNameOf(f, [CONF_NAME]));
  if (conf) {
    if (conf.error) throw unusable(conf, ', where resinOS 1.x keeps config.json');
    const reason = `partition ${conf.partition.index} is labelled ${CONF_NAME}, where resinOS 1.x keeps config.json`;
    return { choice: choose(conf, 'resin-conf', reason), conclusive: true };
  }
  const named = fats.filter((f) => bootNameOf(f, BOOT_NAMES));
  const boots = named.filter((f) => !f.error);
  if (named.length > 0 && boots.length === 0) throw unusable(named[0], ' (the boot partition)');
  if (boots.length === 0) return null;
  const withConfig: InspectedFat[] = [];
  for (const f of boots) if (await f.hasFile('/config.json')) withConfig.push(f);
  const chosen = withConfig[0] ?? boots[0];
  const how = bootNameOf(chosen, BOOT_NAMES)!;
  let reason = describe(chosen, how);
  const warnings: string[] = [];
  if (boots.length > 1) {
    const list = boots.map((f) => f.partition.index).join(', ');
    reason += withConfig.length > 0 ? ` and holds /config.json (partitions ${list} all carry a boot name)` : '';
    const why = withConfig.length > 0 ? 'it holds /config.json' : 'none holds /config.json, so the first was taken';
    warnings.push(`Partitions ${list} are all labelled or named like a boot partition; chose partition ${chosen.partition.index} because ${why}.`);
  }
  return { choice: choose(chosen, how.rule, reason, warnings), conclusive: withConfig.length > 0 };
}

async function inspectAll(source: ByteSource, partitions: Partition[], probe: FatProbe): Promise<InspectedFat[]> {
  const found: InspectedFat[] = [];
  for (const p of partitions) {
    const fat = await inspectPartition(source, p, probe);
    if (fat) found.push(fat);
  }
  return found;
}

async function warnWithoutConfig(choice: ConfigPartitionChoice, fat: { hasFile(path: string): Promise<boolean> }): Promise<ConfigPartitionChoice> {
  if (!(await fat.hasFile('/config.json'))) {
    const where = choice.partition ? `partition ${choice.partition.index}` : 'the whole-disk filesystem';
    choice.warnings.push(`There is no /config.json in ${where}; a new one will be created.`);
  }
  return choice;
}

async function wholeDisk(source: ByteSource, probe: FatProbe): Promise<ConfigPartitionChoice> {
  const sector0 = await source.read(0, 512);
  const declared = fatVolumeBytes(sector0);
  const size = Number.isFinite(source.size) ? Math.min(declared, source.size) : declared;
  const fs = await probe(0, size);
  if (fs && 'error' in fs) {
    throw new CoreError(fs.error.code, `The image has no partition table and the FAT filesystem that fills it cannot be used: ${fs.error.message}`, fs.error.detail);
  }
  if (!fs) {
    throw new CoreError('BOOT_PARTITION_NOT_FOUND', 'The image has no partition table and its sector 0 does not open as a FAT filesystem.');
  }
  const label = readBpbLabel(sector0) ?? fs.label;
  const reason = `the image has no partition table: the whole disk is a FAT filesystem${label ? ` labelled ${label}` : ''}`;
  return warnWithoutConfig({ partition: null, start: 0, size, rule: 'whole-disk', reason, warnings: [] }, fs);
}

export async function findConfigPartition(source: ByteSource, table: PartitionTable, probe: FatProbe): Promise<ConfigPartitionChoice> {
  if (table.kind === 'none') return wholeDisk(source, probe);
  const ordered = [...table.partitions].sort((a, b) => a.index - b.index);
  const likely = ordered.filter((p) => isFatType(table.kind, p.type) || nameIs(p.name, [...BOOT_NAMES, CONF_NAME]));
  const fats = await inspectAll(source, likely, probe);
  const choice = await decide(source, table, probe, ordered, likely, fats);
  if (choice === null) {
    // The primaries did not settle it and the logicals were deferred: read them now, and decide again.
    const full = await readPartitionTable(source);
    return { ...(await findConfigPartition(source, full, probe)), table: full };
  }
  const notFat = likely.filter((p) => nameIs(p.name, [...BOOT_NAMES, CONF_NAME]) && !fats.some((f) => f.partition === p && !f.error));
  for (const p of notFat) {
    if (p.start === choice.start) continue;
    const damaged = fats.find((f) => f.partition === p)?.error;
    choice.warnings.unshift(
      damaged
        ? `Partition ${p.index} is named ${shownName(p.name ?? '')} in the GPT but its filesystem cannot be used (${damaged.message}); it was ignored.`
        : `Partition ${p.index} is named ${shownName(p.name ?? '')} in the GPT but does not hold a FAT filesystem; it was ignored.`,
    );
  }
  return choice;
}

async function decide(
  source: ByteSource,
  table: PartitionTable,
  probe: FatProbe,
  ordered: Partition[],
  likely: Partition[],
  firstFats: InspectedFat[],
): Promise<ConfigPartitionChoice | null> {
  let fats = firstFats;
  const firstPass = await decideByName(fats);
  const bootsFound = firstPass !== null;
  if (firstPass?.conclusive) return warnWithoutConfig(firstPass.choice, fats.find((f) => f.partition === firstPass.choice.partition)!);
  if (table.logicalsDeferred) return null;
  // Inconclusive: a boot partition without config.json may be resinOS 1.x, whose resin-conf is a
  // logical partition; with no boot name at all, any partition may hold an untyped FAT.
  const rest = ordered.filter((p) => !likely.includes(p) && (!bootsFound || (table.kind === 'mbr' && p.logical)));
  fats = [...fats, ...(await inspectAll(source, rest, probe))].sort((a, b) => a.partition.index - b.partition.index);
  const named = await decideByName(fats);
  if (named) {
    const fat = fats.find((f) => f.partition === named.choice.partition)!;
    await refuseMisplacedConfig(fat, named.choice);
    return warnWithoutConfig(named.choice, fat);
  }
  for (const fat of fats) {
    if (await fat.hasFile('/device-type.json')) {
      const reason = `no partition is labelled ${BOOT_NAME_LIST}; partition ${fat.partition.index} holds /device-type.json`;
      return warnWithoutConfig(choose(fat, 'device-type-json', reason), fat);
    }
  }
  return fallbackFirstPartition(ordered, fats);
}

/**
 * resinOS 1.x (balenaos.md §3.5): the boot partition's device-type.json says config.json lives on
 * a logical partition (`partition: {primary: 4, logical: 1}` = p5). When the chosen boot partition
 * is not that one and no usable resin-conf was found (its boot sector or label may be what is
 * damaged), writing config.json here would go unread by the device: refuse, naming the partition.
 */
async function refuseMisplacedConfig(fat: InspectedFat, choice: ConfigPartitionChoice): Promise<void> {
  if (choice.rule === 'resin-conf' || !fat.readFile || !(await fat.hasFile('/device-type.json'))) return;
  let partition: unknown;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await fat.readFile('/device-type.json'))) as { configuration?: { config?: { partition?: unknown } } };
    partition = parsed?.configuration?.config?.partition;
  } catch {
    return;
  }
  if (partition === null || typeof partition !== 'object') return;
  const { primary, logical } = partition as { primary?: unknown; logical?: unknown };
  if (typeof logical !== 'number' || !Number.isInteger(logical) || logical < 1) return;
  const index = logical + 4;
  if (index === fat.partition.index) return;
  throw new CoreError(
    'BOOT_PARTITION_NOT_FOUND',
    `This is a resinOS 1.x image: its device-type.json keeps config.json on partition ${index} (primary ${String(primary)}, logical ${logical}), but no usable FAT filesystem labelled ${CONF_NAME} was found there; writing config.json to partition ${fat.partition.index} would go unread by the device.`,
    { expected: index },
  );
}

/** Step 5: balena's tools assume partition 1; we do too, but never silently. */
async function fallbackFirstPartition(ordered: Partition[], fats: InspectedFat[]): Promise<ConfigPartitionChoice> {
  const first = ordered[0];
  const fat = first && fats.find((f) => f.partition === first);
  if (!fat || fat.error) {
    const what = !first
      ? 'and the partition table lists no partitions'
      : fat?.error
        ? `and partition ${first.index} holds a FAT filesystem that cannot be used (${fat.error.message})`
        : `and partition ${first.index} is not a FAT filesystem`;
    throw new CoreError(
      'BOOT_PARTITION_NOT_FOUND',
      `No boot partition found: no partition is labelled ${BOOT_NAME_LIST}, none holds /device-type.json, ${what}.`,
    );
  }
  const reason = `no partition is labelled ${BOOT_NAME_LIST} and none holds /device-type.json, so partition ${first.index}, the first, is assumed as balena's tools do`;
  const warning = `WARNING: could not identify the boot partition by name or by /device-type.json; assuming partition ${first.index} (FAT). Check that this is a balenaOS image before writing to it.`;
  return warnWithoutConfig(choose(fat, 'fallback-first-partition', reason, [warning]), fat);
}
