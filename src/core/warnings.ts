/**
 * Warnings: the image or the settings are usable, but something deserves the user's attention.
 * Like errors they carry a stable code, so an app can place and word them; `message` is a complete
 * English sentence; `path` is the settings field path (as in validation messages) when one applies.
 * Add a code here when you add a warning; hosts never match on message text.
 */
export type CoreWarningCode =
  // image layout and partition tables
  | 'PARTITION_TABLE_DAMAGED' // backup GPT used, EBR chain cut, hybrid MBR, entries outside usable area
  | 'BOOT_PARTITION_UNCERTAIN' // several boot-named partitions, a boot name on a non-FAT partition, or partition 1 assumed
  | 'CONFIG_JSON_MISSING' // the boot filesystem has no config.json (configure creates one)
  | 'BOOT_PARTITION_LOW_SPACE' // less free space than a host-OS update needs
  | 'FAT_REPAIRED' // damage the writer corrects while writing (FSInfo counts, dirty bit on a sound volume)
  | 'FAT_DAMAGE_IGNORED' // damage left as found because the write does not touch it (orphaned long names…)
  // what the image is
  | 'DEVICE_MISMATCH' // the image's device-type.json names another device type than the one chosen
  | 'INSTALLER_IMAGE' // a flasher image: booting it erases the device's internal storage
  | 'LEGACY_RESINOS' // resinOS 1.x: ConnMan, NetworkManager profiles are not used
  | 'CONFIG_JSON_REPLACED' // the image's config.json was not a JSON object
  // settings that are legal but probably not what the user meant
  | 'SETTINGS_SUSPICIOUS'
  // the catalogue knows better
  | 'DEVICE_CAPABILITY'; // e.g. Wi-Fi settings for a board without Wi-Fi

export interface CoreWarning {
  readonly code: CoreWarningCode;
  readonly message: string;
  /** Settings field path (e.g. `network.wifi[1].ssid`) when the warning is about a setting. */
  readonly path?: string;
}

export function warning(code: CoreWarningCode, message: string, path?: string): CoreWarning {
  return path === undefined ? { code, message } : { code, message, path };
}
