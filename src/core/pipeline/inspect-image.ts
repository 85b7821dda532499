import { jsonNestingDepth, MAX_CONFIG_JSON_DEPTH } from '../balena/config-json.ts';
import { FatVolume } from '../fat/volume.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { subrange } from '../io/subrange.ts';
import type { Partition } from '../partition/types.ts';
import { locateBootFs, readOnlyStore, type LocateOptions } from './open-boot-fs.ts';
import { redactConfigJson } from './redact.ts';

export interface InspectReport {
  table: { kind: 'mbr' | 'gpt' | 'none'; sectorSize: number; diskId?: string; logicalsDeferred?: boolean };
  partitions: Partition[];
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
  warnings: string[];
}

const decoder = new TextDecoder();

/** Everything `preflash inspect` shows, read without changing a byte. */
export async function inspectImage(image: ByteSource, options: LocateOptions = {}): Promise<InspectReport> {
  const { table, choice, volume: probed } = await locateBootFs(image, options);
  const volume = probed ?? (await FatVolume.open(readOnlyStore(subrange(image, choice.start, choice.size))));
  const readText = async (path: string) => ((await volume.exists(path)) ? decoder.decode(await volume.readFile(path)) : undefined);

  const configText = await readText('config.json');
  let configJson: unknown = null;
  if (configText !== undefined && jsonNestingDepth(configText) > MAX_CONFIG_JSON_DEPTH) {
    configJson = `(config.json nests more than ${MAX_CONFIG_JSON_DEPTH} levels deep, which balenaOS cannot read)`;
  } else if (configText !== undefined) {
    try {
      configJson = redactConfigJson(JSON.parse(configText));
    } catch {
      configJson = '(config.json is not valid JSON)';
    }
  }
  const connections = (await volume.exists('system-connections'))
    ? (await volume.readdir('system-connections')).filter((e) => !e.isDirectory).map((e) => e.name).sort()
    : [];
  const osRelease = await readText('os-release');
  const deviceTypeText = await readText('device-type.json');
  let deviceType: string | undefined;
  try {
    deviceType = deviceTypeText ? (JSON.parse(deviceTypeText) as { slug?: string }).slug : undefined;
  } catch {
    deviceType = undefined;
  }
  return {
    table: { kind: table.kind, sectorSize: table.sectorSize, diskId: table.diskId, logicalsDeferred: table.logicalsDeferred },
    partitions: table.partitions,
    configPartition: { index: choice.partition?.index ?? null, start: choice.start, size: choice.size, rule: choice.rule, reason: choice.reason },
    fatType: volume.fatType,
    label: volume.label,
    freeBytes: volume.freeBytes(),
    configJson,
    systemConnections: connections,
    osVersion: osRelease ? parseOsRelease(osRelease).VERSION ?? parseOsRelease(osRelease).VERSION_ID : undefined,
    deviceType,
    installer: (await volume.exists('balena-image-flasher')) || choice.partition?.name === 'flash-boot' || volume.label === 'flash-boot',
    warnings: [...table.warnings, ...choice.warnings],
  };
}

/** os-release(5): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}
