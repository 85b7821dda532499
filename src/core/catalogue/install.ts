/**
 * What the catalogue's install method means for the user, in words: a short label for the device
 * step and the next steps after configuring (the app's Done step, the CLI). One home for these
 * sentences so every host says the same thing.
 */
import type { DeviceType, Install } from './device-type.generated.ts';

const MEDIA_WORDS: Record<NonNullable<Install['media']>[number], string> = { 'sd-card': 'an SD card', 'usb-stick': 'a USB stick' };

/** "an SD card or a USB stick" */
function mediaWords(install: Install): string {
  return (install.media ?? ['sd-card']).map((m) => MEDIA_WORDS[m]).join(' or ');
}

/** A short label: "SD card or USB stick", "installer (erases internal storage)", "vendor tool: …", "virtual machine (QEMU)". */
export function installLabel(d: DeviceType): string {
  const install = d.install;
  switch (install.method) {
    case 'card':
      return `written to ${mediaWords(install)}`;
    case 'installer':
      return `installer on ${mediaWords(install)}; erases the internal storage`;
    case 'vendor-tool':
      return `written to internal storage with ${install.tool}`;
    case 'virtual-machine':
      return `virtual machine disk (${install.tool})`;
  }
}

/**
 * What to do with the configured image, in order, one sentence each. `imageName` is the output's
 * file name when the host knows it.
 */
export function installSteps(d: DeviceType, imageName = 'the configured image'): string[] {
  const install = d.install;
  switch (install.method) {
    case 'card':
      return [
        `Write ${imageName} to ${mediaWords(install)} with an image writer (balenaEtcher, Raspberry Pi Imager, dd).`,
        `Put it in the ${d.name} and power the board on.`,
        'balenaOS starts with your settings; the first boot takes a few minutes.',
      ];
    case 'installer':
      return [
        `Write ${imageName} (an installer) to ${mediaWords(install)} with an image writer (balenaEtcher, dd).`,
        `Boot the ${d.name} from it. The installer ERASES the board's internal storage and writes balenaOS there, with your settings.`,
        'Wait until the board powers itself off (this can take several minutes), remove the installer media, and power the board on again.',
      ];
    case 'vendor-tool':
      return [
        `Write ${imageName} to the ${d.name}'s internal storage with ${install.tool}; follow the tool's instructions for putting the board in its flashing mode.`,
        'Disconnect the flashing cable and power the board on: balenaOS starts with your settings.',
      ];
    case 'virtual-machine':
      return [
        `Start a virtual machine with ${install.tool}, using ${imageName} as its disk.`,
        'balenaOS starts with your settings.',
      ];
  }
}
