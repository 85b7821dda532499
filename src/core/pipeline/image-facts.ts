/**
 * What an image says about itself, read from its boot filesystem: device type, OS version,
 * installer or not, the current config.json. `inspectImage` and `planConfiguration` both read
 * them through `readImageFacts`, so what inspect reports is what configure acts on (issue 7: the
 * two once disagreed about an upper-case FLASH-BOOT label).
 */
import type { FatVolume } from '../fat/volume.ts';
import type { ConfigPartitionChoice } from '../partition/find-config-partition.ts';
import type { PartitionTable } from '../partition/types.ts';
import { warning, type CoreWarning } from '../warnings.ts';

export interface ImageFacts {
  /** `slug` of /device-type.json, when the file is there, parses, and names one. */
  deviceType?: string;
  /** VERSION (else VERSION_ID) of /os-release. Installer images have none on their boot partition. */
  osVersion?: string;
  /** An installer (flasher) image: booting it erases the device's internal storage. */
  installer: boolean;
  /** What showed it is an installer, e.g. 'the file /balena-image-flasher'; absent when it is not one. */
  installerEvidence?: string;
  /** The raw text of /config.json, when present. */
  configJsonText?: string;
}

/** The flag file balena's flasher images carry in their boot partition (balenaos.md §3.4). */
const INSTALLER_FLAG_FILE = 'balena-image-flasher';
/** The boot partition's label (MBR) or name (GPT) on installer images (balenaos.md §3.2). */
const INSTALLER_BOOT_NAME = 'flash-boot';

/**
 * The installer rule (balenaos.md §3.4): the flag file, or the boot filesystem called flash-boot by
 * its FAT label or its GPT partition name, compared case-insensitively like every boot name.
 * Returns what gave it away, or undefined for a plain image.
 */
export function installerEvidence(boot: { hasFlagFile: boolean; fatLabel?: string | null; partitionName?: string | null }): string | undefined {
  if (boot.hasFlagFile) return `the file /${INSTALLER_FLAG_FILE}`;
  const isFlashBoot = (name: string | null | undefined) => name != null && name.trim().toLowerCase() === INSTALLER_BOOT_NAME;
  if (isFlashBoot(boot.fatLabel)) return `the FAT label ${boot.fatLabel}`;
  if (isFlashBoot(boot.partitionName)) return `the GPT partition name ${boot.partitionName}`;
  return undefined;
}

/** The device-type slug in a /device-type.json text; undefined when absent, unparseable or without one. */
export function deviceTypeSlug(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const slug = parsed !== null && typeof parsed === 'object' ? (parsed as { slug?: unknown }).slug : undefined;
    return typeof slug === 'string' && slug !== '' ? slug : undefined;
  } catch {
    return undefined;
  }
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

const decoder = new TextDecoder();

async function readText(volume: FatVolume, path: string): Promise<string | undefined> {
  return (await volume.exists(path)) ? decoder.decode(await volume.readFile(path)) : undefined;
}

/** Reads the facts from the chosen boot filesystem (a handful of small files). */
export async function readImageFacts(volume: FatVolume, choice: Pick<ConfigPartitionChoice, 'partition'>): Promise<ImageFacts> {
  const osRelease = await readText(volume, 'os-release');
  const release = osRelease === undefined ? {} : parseOsRelease(osRelease);
  const evidence = installerEvidence({
    hasFlagFile: await volume.exists(INSTALLER_FLAG_FILE),
    fatLabel: volume.label,
    partitionName: choice.partition?.name,
  });
  return {
    deviceType: deviceTypeSlug(await readText(volume, 'device-type.json')),
    osVersion: release.VERSION ?? release.VERSION_ID,
    installer: evidence !== undefined,
    ...(evidence === undefined ? {} : { installerEvidence: evidence }),
    configJsonText: await readText(volume, 'config.json'),
  };
}

/** The installer warning, worded once for inspect and configure (the evidence is in `installerEvidence`). */
export function installerWarning(facts: Pick<ImageFacts, 'installer'>): CoreWarning[] {
  if (!facts.installer) return [];
  return [
    warning(
      'INSTALLER_IMAGE',
      `This is an installer image: when the device boots it, the installer erases the device's internal storage without asking, then copies config.json and system-connections/ over.`,
    ),
  ];
}

/**
 * The partition reader's and the finder's warnings, coded. They arrive as sentences today (the
 * partition code is owned elsewhere); a CoreWarning passes through unchanged, so this adapter
 * keeps working when they start coding their own.
 */
export function locateWarnings(table: Pick<PartitionTable, 'warnings'>, choice: Pick<ConfigPartitionChoice, 'warnings'>): CoreWarning[] {
  return [
    ...(table.warnings as readonly (string | CoreWarning)[]).map((w) => coded(w, 'PARTITION_TABLE_DAMAGED')),
    ...(choice.warnings as readonly (string | CoreWarning)[]).map((w) => coded(w, finderCode(w))),
  ];
}

function coded(w: string | CoreWarning, code: CoreWarning['code']): CoreWarning {
  return typeof w === 'string' ? warning(code, w) : w;
}

function finderCode(w: string | CoreWarning): CoreWarning['code'] {
  if (typeof w !== 'string') return w.code;
  return /^There is no \/config\.json/.test(w) ? 'CONFIG_JSON_MISSING' : 'BOOT_PARTITION_UNCERTAIN';
}
