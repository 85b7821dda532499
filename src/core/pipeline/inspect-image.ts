import { jsonNestingDepth, MAX_CONFIG_JSON_DEPTH } from '../balena/config-json.ts';
import { FatVolume } from '../fat/volume.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { subrange } from '../io/subrange.ts';
import { parseMbrEntries } from '../partition/mbr-entry.ts';
import { mbrTypeCode, mbrTypeName } from '../partition/partition-types.ts';
import type { Partition, PartitionTable } from '../partition/types.ts';
import type { CoreWarning } from '../warnings.ts';
import { identifyFilesystem, type FilesystemKind } from './filesystem-id.ts';
import { installerWarning, locateWarnings, readImageFacts } from './image-facts.ts';
import { locateBootFs, readOnlyStore, type LocateOptions } from './open-boot-fs.ts';
import { redactConfigJson } from './redact.ts';

export type { FilesystemKind } from './filesystem-id.ts';

/** One row of the partition picture. Plain data: the report crosses postMessage and prints as JSON. */
export interface InspectedPartition extends Partition {
  /** An MBR extended container (its logical partitions are listed on their own). */
  extended?: boolean;
  /**
   * What the partition holds, from its first bytes (FAT BPB, ext superblock). Absent for an
   * extended container, and for partitions a streamed image has not been decoded up to.
   */
  filesystem?: FilesystemKind;
  /** FAT label or ext volume name, when it has one. */
  label?: string;
  /** This is where config.json lives (see `configPartition` for why). */
  config: boolean;
}

export interface InspectReport {
  disk: {
    /** Bytes; null while unknown (a compressed image whose format does not state its size, not decoded to the end). */
    size: number | null;
    /** End of the last partition (plus the backup GPT): the image is at least this long. */
    minimumSize: number;
  };
  table: { kind: 'mbr' | 'gpt' | 'none'; sectorSize: number; diskId?: string; logicalsDeferred?: boolean };
  /** Every partition by index: primaries, extended containers, logicals (GPT: every entry). */
  partitions: InspectedPartition[];
  configPartition: { index: number | null; start: number; size: number; rule: string; reason: string };
  fatType: 12 | 16 | 32;
  label: string | null;
  freeBytes: number;
  /** Parsed config.json with secrets redacted; null when absent, a string when it is not JSON. */
  configJson: unknown;
  systemConnections: string[];
  osVersion?: string;
  deviceType?: string;
  installer: boolean;
  /** What showed it is an installer, e.g. "the FAT label flash-boot". */
  installerEvidence?: string;
  warnings: CoreWarning[];
}

export interface InspectOptions extends LocateOptions {
  /**
   * Look for filesystems only in partitions that start before this byte offset. Default: everywhere
   * on a random-access image; on a streamed one (`deferLogicalPartitions`), up to 16 MiB past the
   * config partition, so rootA is named but nothing forces decoding the whole image.
   */
  identifyFilesystemsBefore?: number;
}

const STREAMED_LOOKAHEAD = 16 * 1024 * 1024;

/** Everything `preflash inspect` shows, read without changing a byte. */
export async function inspectImage(image: ByteSource, options: InspectOptions = {}): Promise<InspectReport> {
  const { table, choice, volume: probed } = await locateBootFs(image, options);
  const volume = probed ?? (await FatVolume.open(readOnlyStore(subrange(image, choice.start, choice.size))));
  const { configJsonText, ...facts } = await readImageFacts(volume, choice);

  let configJson: unknown = null;
  if (configJsonText !== undefined && jsonNestingDepth(configJsonText) > MAX_CONFIG_JSON_DEPTH) {
    configJson = `(config.json nests more than ${MAX_CONFIG_JSON_DEPTH} levels deep, which balenaOS cannot read)`;
  } else if (configJsonText !== undefined) {
    try {
      configJson = redactConfigJson(JSON.parse(configJsonText));
    } catch {
      configJson = '(config.json is not valid JSON)';
    }
  }
  const connections = (await volume.exists('system-connections'))
    ? (await volume.readdir('system-connections')).filter((e) => !e.isDirectory).map((e) => e.name).sort()
    : [];
  const limit = options.identifyFilesystemsBefore ?? (options.deferLogicalPartitions ? choice.start + choice.size + STREAMED_LOOKAHEAD : Infinity);
  const partitions = await partitionPicture(image, table, choice.partition?.index ?? null, limit);
  return {
    disk: { size: Number.isFinite(image.size) ? image.size : null, minimumSize: minimumSize(table, choice) },
    table: { kind: table.kind, sectorSize: table.sectorSize, diskId: table.diskId, logicalsDeferred: table.logicalsDeferred },
    partitions,
    configPartition: { index: choice.partition?.index ?? null, start: choice.start, size: choice.size, rule: choice.rule, reason: choice.reason },
    fatType: volume.fatType,
    label: volume.label,
    freeBytes: volume.freeBytes(),
    configJson,
    systemConnections: connections,
    osVersion: facts.osVersion,
    deviceType: facts.deviceType,
    installer: facts.installer,
    installerEvidence: facts.installerEvidence,
    warnings: [...locateWarnings(table, choice), ...installerWarning(facts), ...volume.warnings],
  };
}

async function partitionPicture(image: ByteSource, table: PartitionTable, configIndex: number | null, limit: number): Promise<InspectedPartition[]> {
  const rows: InspectedPartition[] = [];
  for (const p of table.partitions) {
    const row: InspectedPartition = { ...p, config: p.index === configIndex };
    if (p.start < limit) Object.assign(row, await identifyFilesystem(image, p.start, p.size));
    rows.push(row);
  }
  if (table.extended?.length) {
    const slots = parseMbrEntries(await image.read(0, 512));
    for (const c of table.extended) {
      const type = slots[c.index - 1]?.type ?? 0x0f;
      rows.push({ index: c.index, start: c.start, size: c.size, type: mbrTypeCode(type), typeName: mbrTypeName(type), extended: true, config: false });
    }
  }
  return rows.sort((a, b) => a.index - b.index);
}

/** Where the image must at least reach: its last partition (and a GPT's backup header and entries). */
function minimumSize(table: PartitionTable, choice: { start: number; size: number }): number {
  const ends = [...table.partitions, ...(table.extended ?? [])].map((p) => p.start + p.size);
  const lastEnd = Math.max(choice.start + choice.size, ...ends);
  return table.kind === 'gpt' ? lastEnd + 33 * table.sectorSize : lastEnd;
}
