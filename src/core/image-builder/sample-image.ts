/**
 * The app's built-in demo image: shaped like a raw balenaOS image for a Raspberry Pi 4 (64-bit)
 * so the whole flow (inspect, configure, download) works with no download, built from code (no
 * committed binary, no mkfs on the user's machine). It is clearly a demo: it holds no operating
 * system, `os-release` says so, and `PREFLASH-DEMO.txt` on the boot partition explains it.
 *
 * Layout (balenaos.md §3.1, raspberrypi4-64: MBR, FAT32 boot at 4 MiB, type 0x0C, active):
 *   p1 resin-boot  40 MiB FAT32 (mkfs.fat's geometry: 1 sector per cluster), the boot files below
 *   p2 rootA 16 MiB, p3 rootB 16 MiB, p4 extended, p5 state 8 MiB, p6 data 8 MiB (4 MiB gaps)
 * The root, state and data partitions are smaller than real ones and **unformatted**: zeros the
 * table points at, no ext4 inside, so on an MBR disk their `resin-rootA`… labels exist only in the
 * GPT variant's partition names. Nothing in Preflash reads them. 100 MiB logically, a few hundred
 * KiB in memory (`SparseDisk`).
 *
 * The `gpt` variant has the same partitions in a GPT (boot = EFI System, each partition named
 * after its balenaOS label, state p4, data p5), like balena-generic / Jetson images.
 */
import { DEFAULT_TIMESTAMP } from '../fat/timestamps.ts';
import { buildDiskImage, type BuiltDiskImage, type DiskPartitionSpec } from './disk-image.ts';

const MiB = 1024 * 1024;
const LINUX = 0x83;
const GPT_LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
const GPT_EFI_SYSTEM = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

export const SAMPLE_DEVICE_TYPE = 'raspberrypi4-64';
export const SAMPLE_IMAGE_NAME = 'preflash-demo-raspberrypi4-64.img';

export interface SampleImageOptions {
  /** Default 'mbr' (as the real Raspberry Pi images). */
  table?: 'mbr' | 'gpt';
  /** Every FAT timestamp. Default 2000-01-01T00:00:00Z, so the image is the same on every build. */
  timestamp?: Date;
}

export interface SampleImage extends BuiltDiskImage {
  name: string;
  deviceType: string;
  table: 'mbr' | 'gpt';
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** What the boot partition of a raw balenaOS image holds that Preflash looks at (balenaos.md §5). */
export function sampleBootFiles(): Record<string, string | Uint8Array> {
  return {
    'PREFLASH-DEMO.txt':
      'This is the demo image built into Preflash.\r\n' +
      'It is shaped like a balenaOS image for a Raspberry Pi 4 (64-bit) so that every step of\r\n' +
      'Preflash can be tried without a download, but it holds no operating system and will not boot.\r\n' +
      'Download a real balenaOS image from https://www.balena.io/os to configure a device.\r\n',
    // What the build writes (`jq -S`), before any configuration (balenaos.md §4.1).
    'config.json': json({ deviceType: SAMPLE_DEVICE_TYPE, persistentLogging: false }),
    'device-type.json': json({
      slug: SAMPLE_DEVICE_TYPE,
      name: 'Raspberry Pi 4 (64-bit OS)',
      arch: 'aarch64',
      state: 'released',
      yocto: { machine: SAMPLE_DEVICE_TYPE, image: 'balena-image', fstype: 'balenaos-img', deployArtifact: 'balena-image-raspberrypi4-64.balenaos-img' },
    }),
    'os-release':
      'ID="balena-os"\nNAME="balenaOS"\nVERSION="0.0.0+demo"\nVERSION_ID="0.0.0"\n' +
      'PRETTY_NAME="balenaOS demo image (Preflash sample, not bootable)"\nVARIANT="Preflash demo"\nVARIANT_ID="demo"\n' +
      `MACHINE="${SAMPLE_DEVICE_TYPE}"\n`,
    'balena-image': '',
    // Raspberry Pi firmware settings balenaOS ships by default (balenaos.md §5.1).
    'config.txt': 'dtparam=i2c_arm=on\ndtparam=spi=on\ndtparam=audio=on\ndisable_splash=1\navoid_warnings=1\n',
    // Shipped inert samples: NetworkManager and balena-proxy-config ignore *.ignore files.
    'system-connections/balena-sample.ignore':
      '[connection]\nid=balena-sample\ntype=wifi\n\n[wifi]\nmode=infrastructure\nssid=My_Wifi_Ssid\n\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=super_secret_wifi_password\n\n[ipv4]\nmethod=auto\n\n[ipv6]\naddr-gen-mode=stable-privacy\nmethod=auto\n',
    'system-proxy/README.ignore': 'Put redsocks.conf and no_proxy here to route traffic through a proxy (see the balenaOS docs).\n',
  };
}

function partitions(table: 'mbr' | 'gpt', timestamp: Date): DiskPartitionSpec[] {
  const gpt = table === 'gpt';
  const boot: DiskPartitionSpec = {
    size: 40 * MiB,
    type: gpt ? GPT_EFI_SYSTEM : 0x0c,
    name: gpt ? 'resin-boot' : undefined,
    bootable: !gpt,
    fat: { fatType: 32, label: 'resin-boot', volumeId: 0x5a4d0001, timestamp, files: sampleBootFiles() },
  };
  const placeholder = (label: string, sizeMiB: number, logical = false): DiskPartitionSpec =>
    gpt ? { size: sizeMiB * MiB, type: GPT_LINUX_FS, name: label } : { size: sizeMiB * MiB, type: LINUX, logical };
  return [boot, placeholder('resin-rootA', 16), placeholder('resin-rootB', 16), placeholder('resin-state', 8, true), placeholder('resin-data', 8, true)];
}

/** Builds the demo image in memory; the same options give the same bytes on every run. */
export async function buildSampleImage(options: SampleImageOptions = {}): Promise<SampleImage> {
  const table = options.table ?? 'mbr';
  const timestamp = options.timestamp ?? DEFAULT_TIMESTAMP;
  const built = await buildDiskImage({
    table,
    partitions: partitions(table, timestamp),
    diskId: table === 'gpt' ? '5A4D0001-0000-4000-8000-505245464C53' : 0x5a4d0001,
    timestamp,
  });
  return { ...built, name: SAMPLE_IMAGE_NAME, deviceType: SAMPLE_DEVICE_TYPE, table };
}
