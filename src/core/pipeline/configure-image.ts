import { generateBootFiles, type BootFile } from '../balena/index.ts';
import { jsonNestingDepth, MAX_CONFIG_JSON_DEPTH } from '../balena/config-json.ts';
import { CoreError, throwIfAborted } from '../errors.ts';
import { FatVolume } from '../fat/volume.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { SectorOverlay, equalBytes, type ChangedRange } from '../io/overlay.ts';
import { subrangeStore } from '../io/subrange.ts';
import type { Settings } from '../settings/types.ts';
import type { ConfigPartitionChoice } from '../partition/find-config-partition.ts';
import { capabilityWarnings } from '../settings/capabilities.ts';
import { suspiciousSettings } from '../settings/suspicious.ts';
import { warning, type CoreWarning } from '../warnings.ts';
import { installerWarning, locateWarnings, readImageFacts, type ImageFacts } from './image-facts.ts';
import { locateBootFs, type LocateOptions, type LocatedBootFs } from './open-boot-fs.ts';
import { resolveTimestamp } from './timestamp.ts';

export interface ConfigureOptions extends LocateOptions {
  /**
   * Written into every FAT entry created or changed: a Date, seconds since 1970, or
   * SOURCE_DATE_EPOCH text; checked and defaulted by resolveTimestamp (timestamp.ts).
   */
  timestamp?: Date | number | string;
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
  /** What the image says about itself (the same facts inspect reports). */
  facts: Omit<ImageFacts, 'configJsonText'>;
  /** Coded; `path` names the setting when a warning is about one. */
  warnings: CoreWarning[];
  freeBytesAfter: number;
}

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
  const timestamp = resolveTimestamp(options.timestamp);
  const { volume: probed, ...located } = await locateBootFs(overlay, { ...options, timestamp });
  throwIfAborted(options.signal);
  const { choice } = located;
  const warnings = locateWarnings(located.table, choice);
  const volume = probed ?? (await FatVolume.open(subrangeStore(overlay, choice.start, choice.size), { timestamp }));

  const { configJsonText: existingConfigJson, ...facts } = await readImageFacts(volume, choice);
  const imageDeviceType = facts.deviceType;
  const bootFiles = generateBootFiles(settings, {
    existingConfigJson,
    deviceType: imageDeviceType ?? options.deviceSlug,
  });
  warnings.push(...suspiciousSettings(settings));
  warnings.push(...(await warningsAbout(choice, settings, { ...facts, existingConfigJson, chosenDevice: options.deviceSlug, bootFiles })));
  for (const file of bootFiles) {
    throwIfAborted(options.signal);
    const parent = file.path.split('/').slice(0, -1).join('/');
    if (parent) await volume.mkdir(parent, { recursive: true });
    await volume.writeFile(file.path, file.content);
  }
  await volume.flush();
  await selfCheck(volume, bootFiles);
  warnings.push(...volume.warnings); // what the FAT layer corrected or left alone (FAT_REPAIRED, FAT_DAMAGE_IGNORED)
  if (volume.freeBytes() < UPDATE_HEADROOM) {
    warnings.push(
      warning(
        'BOOT_PARTITION_LOW_SPACE',
        `Only ${volume.freeBytes()} bytes are left free on the boot partition; balenaOS host updates need at least ${UPDATE_HEADROOM} (reference: hostapp-update dry run).`,
      ),
    );
  }

  return {
    ...located,
    fatType: volume.fatType,
    files: bootFiles.map((f) => ({ path: f.path, size: f.content.length })),
    changes: await overlay.changes(),
    imageDeviceType,
    facts,
    warnings,
    freeBytesAfter: volume.freeBytes(),
  };
}

/** What the user should know about this image before flashing it (printed by the CLI, shown by the app). */
async function warningsAbout(
  choice: ConfigPartitionChoice,
  settings: Settings,
  facts: Omit<ImageFacts, 'configJsonText'> & { existingConfigJson?: string; chosenDevice?: string; bootFiles: readonly BootFile[] },
): Promise<CoreWarning[]> {
  const warnings: CoreWarning[] = [];
  if (facts.existingConfigJson !== undefined && !isJsonObject(facts.existingConfigJson)) {
    warnings.push(warning('CONFIG_JSON_REPLACED', "The image's config.json is not a JSON object; it was replaced by a new one built from the settings."));
  }
  if (facts.chosenDevice && facts.deviceType && facts.chosenDevice !== facts.deviceType) {
    warnings.push(warning('DEVICE_MISMATCH', `The image is for device type '${facts.deviceType}', but '${facts.chosenDevice}' was chosen; configuring it anyway.`));
  }
  warnings.push(...installerWarning(facts));
  if (choice.rule === 'resin-conf' && facts.bootFiles.some((f) => f.path.startsWith('system-connections/'))) {
    warnings.push(
      warning('LEGACY_RESINOS', 'This is a resinOS 1.x image (config on resin-conf): it networks with ConnMan, so the NetworkManager profiles written will not be used.'),
    );
  }
  // The catalogue (146 device types, the largest module of the core) is loaded only when a device
  // was chosen: a plain `configure --in-place` never evaluates it (issue 7, start-up). Bundlers
  // that cannot split (the image worker's) inline it.
  const device = facts.chosenDevice ? (await import('../catalogue/catalogue.ts')).findDevice(facts.chosenDevice) : undefined;
  if (device) warnings.push(...capabilityWarnings(settings, device));
  return warnings;
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
