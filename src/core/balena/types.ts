/**
 * The generator contract: settings in, boot-partition files out. Pure functions, no I/O.
 */
import type { Settings } from '../settings/types.ts';

/** One file to write into the FAT boot partition. */
export interface BootFile {
  /** Relative to the boot FS root, '/' separators, e.g. 'system-connections/wifi-home'. */
  path: string;
  content: Uint8Array;
}

export interface GeneratorContext {
  /** The image's /config.json text, if it has one. */
  existingConfigJson?: string;
  /** Device-type slug (from the catalogue or the image's device-type.json). */
  deviceType?: string;
}

/** One kind of output (config.json, Wi-Fi profiles, proxy…); see generators.ts for the registry. */
export interface ConfigGenerator {
  readonly id: string;
  generate(settings: Settings, context: GeneratorContext): BootFile[];
}
