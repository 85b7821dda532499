import { generateBootFiles, type BootFile } from '../balena/index.ts';
import { jsonNestingDepth, MAX_CONFIG_JSON_DEPTH } from '../balena/config-json.ts';
import { CoreError, throwIfAborted } from '../errors.ts';
import { FatVolume } from '../fat/volume.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { SectorOverlay, equalBytes, type ChangedRange } from '../io/overlay.ts';
import { subrangeStore } from '../io/subrange.ts';
import type { Settings } from '../settings/types.ts';
import type { ConfigPartitionChoice } from '../partition/find-config-partition.ts';
import { locateBootFs, type LocateOptions, type LocatedBootFs } from './open-boot-fs.ts';
import { DEFAULT_TIMESTAMP } from './timestamp.ts';

export interface ConfigureOptions extends LocateOptions {
  /** Written into every FAT entry created or changed (see timestamp.ts). */
  timestamp?: Date;
  /** The device type the user picked; compared with the image's /device-type.json. */
  deviceSlug?: string;
  signal?: AbortSignal;
}

export interface ConfigurePlan extends LocatedBootFs {
  fatType: 12 | 16 | 32;
  /** Files written, in order. */
  files: { path: string; size: number }[];
  /** Changed bytes in image coordinates: all that differs from the original image. */
  changes: ChangedRange[];
  /** Device type slug read from the image's /device-type.json, when present. */
  imageDeviceType?: string;
  warnings: string[];
  freeBytesAfter: number;
}

const decoder = new TextDecoder();

/** balenaOS's host-OS update refuses to run with less than 512 KiB free on the boot partition. */
const UPDATE_HEADROOM = 512 * 1024;

function isJsonObject(text: string): boolean {
  if (jsonNestingDepth(text) > MAX_CONFIG_JSON_DEPTH) return false;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Plans a configuration: finds the boot filesystem, writes the generated files into an overlay
 * over the read-only image, checks the result reads back, and returns the changed byte ranges.
 * Nothing is written to any output here; hosts apply `changes` in place or stream them out.
 */
export async function planConfiguration(image: ByteSource, settings: Settings, options: ConfigureOptions = {}): Promise<ConfigurePlan> {
  // The finder reads through the overlay too, so the volume it opened is the one we write with.
  const overlay = new SectorOverlay(image, 512);
  const timestamp = options.timestamp ?? DEFAULT_TIMESTAMP;
  const { volume: probed, ...located } = await locateBootFs(overlay, { ...options, timestamp });
  throwIfAborted(options.signal);
  const { choice } = located;
  const warnings = [...located.table.warnings, ...choice.warnings];
  const volume = probed ?? (await FatVolume.open(subrangeStore(overlay, choice.start, choice.size), { timestamp }));

  const existingConfigJson = (await volume.exists('config.json')) ? decoder.decode(await volume.readFile('config.json')) : undefined;
  const imageDeviceType = await readDeviceTypeSlug(volume);
  const bootFiles = generateBootFiles(settings, {
    existingConfigJson,
    deviceType: imageDeviceType ?? options.deviceSlug,
  });
  warnings.push(...(await warningsAbout(volume, choice, { existingConfigJson, imageDeviceType, chosenDevice: options.deviceSlug, bootFiles })));
  for (const file of bootFiles) {
    throwIfAborted(options.signal);
    const parent = file.path.split('/').slice(0, -1).join('/');
    if (parent) await volume.mkdir(parent, { recursive: true });
    await volume.writeFile(file.path, file.content);
  }
  await volume.flush();
  await selfCheck(volume, bootFiles);
  if (volume.freeBytes() < UPDATE_HEADROOM) {
    warnings.push(`Only ${volume.freeBytes()} bytes are left free on the boot partition; balenaOS host updates need at least ${UPDATE_HEADROOM} (reference: hostapp-update dry run).`);
  }

  return {
    ...located,
    fatType: volume.fatType,
    files: bootFiles.map((f) => ({ path: f.path, size: f.content.length })),
    changes: await overlay.changes(),
    imageDeviceType,
    warnings,
    freeBytesAfter: volume.freeBytes(),
  };
}

/** What the user should know about this image before flashing it (printed by the CLI, shown by the app). */
async function warningsAbout(
  volume: FatVolume,
  choice: ConfigPartitionChoice,
  facts: { existingConfigJson?: string; imageDeviceType?: string; chosenDevice?: string; bootFiles: readonly BootFile[] },
): Promise<string[]> {
  const warnings: string[] = [];
  if (facts.existingConfigJson !== undefined && !isJsonObject(facts.existingConfigJson)) {
    warnings.push('The image\'s config.json is not a JSON object; it was replaced by a new one built from the settings.');
  }
  if (facts.chosenDevice && facts.imageDeviceType && facts.chosenDevice !== facts.imageDeviceType) {
    warnings.push(`The image is for device type '${facts.imageDeviceType}', but '${facts.chosenDevice}' was chosen; configuring it anyway.`);
  }
  if ((await volume.exists('balena-image-flasher')) || /^flash-boot$/i.test(volume.label ?? choice.partition?.name ?? '')) {
    warnings.push('This is an installer image: when the device boots it, the installer erases the device\'s internal storage without asking, then copies config.json and system-connections/ over.');
  }
  if (choice.rule === 'resin-conf' && facts.bootFiles.some((f) => f.path.startsWith('system-connections/'))) {
    warnings.push('This is a resinOS 1.x image (config on resin-conf): it networks with ConnMan, so the NetworkManager profiles written will not be used.');
  }
  return warnings;
}

async function readDeviceTypeSlug(volume: FatVolume): Promise<string | undefined> {
  if (!(await volume.exists('device-type.json'))) return undefined;
  try {
    const parsed = JSON.parse(decoder.decode(await volume.readFile('device-type.json'))) as { slug?: unknown };
    return typeof parsed.slug === 'string' ? parsed.slug : undefined;
  } catch {
    return undefined;
  }
}

/** Re-reads the result: FAT copies equal, chains sound, every written file has its bytes. */
async function selfCheck(volume: FatVolume, files: readonly BootFile[]): Promise<void> {
  await volume.verify();
  for (const file of files) {
    const back = await volume.readFile(file.path);
    if (!equalBytes(back, file.content)) {
      throw new CoreError('SELF_CHECK_FAILED', `Self-check failed: ${file.path} did not read back with the bytes written.`, { path: file.path });
    }
  }
}
