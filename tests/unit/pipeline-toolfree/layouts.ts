/**
 * The five layout kinds balenaOS images come in (the same as tests/helpers/make-image.ts builds
 * with sfdisk, mkfs.vfat and mtools), built by the core's own image builder instead: no external
 * tool, a few hundred KiB of memory each, the same bytes on every run. Root/state/data partitions
 * are empty placeholders (no ext4 inside); nothing here reads them.
 */
import { formatFat } from '../../../src/core/fat/mkfs.ts';
import { FatVolume } from '../../../src/core/fat/volume.ts';
import { buildDiskImage, type DiskPartitionSpec } from '../../../src/core/image-builder/disk-image.ts';
import { SparseDisk } from '../../../src/core/image-builder/sparse-disk.ts';

const MiB = 1024 * 1024;
const LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
const EFI_SYSTEM = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

export type LayoutName = 'raspberrypi' | 'intel-nuc-installer' | 'jetson-nano' | 'resinos1' | 'edison';

export interface LayoutCase {
  layout: LayoutName;
  /** The partition the finder must choose (null = whole disk) and the rule that decides. */
  partitionIndex: number | null;
  rule: string;
  deviceType: string;
  fatType: 12 | 16 | 32;
}

export const LAYOUTS: LayoutCase[] = [
  { layout: 'raspberrypi', partitionIndex: 1, rule: 'fat-label', deviceType: 'raspberrypi4-64', fatType: 32 },
  { layout: 'intel-nuc-installer', partitionIndex: 1, rule: 'fat-label', deviceType: 'intel-nuc', fatType: 16 },
  { layout: 'jetson-nano', partitionIndex: 12, rule: 'gpt-name', deviceType: 'jetson-nano', fatType: 16 },
  { layout: 'resinos1', partitionIndex: 5, rule: 'resin-conf', deviceType: 'raspberry-pi', fatType: 16 },
  { layout: 'edison', partitionIndex: null, rule: 'whole-disk', deviceType: 'intel-edison', fatType: 32 },
];

const deviceTypeJson = (slug: string, arch: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ slug, name: slug, arch, state: 'released', yocto: { machine: slug, image: 'balena-image', fstype: 'balenaos-img' }, ...extra }, null, 2) + '\n';

/** Boot-partition content like a raw (or installer) balenaOS image. */
export function bootFiles(slug: string, arch: string, opts: { flasher?: boolean } = {}): Record<string, string | Uint8Array> {
  return {
    'config.json': JSON.stringify({ deviceType: slug, persistentLogging: false }) + '\n',
    'device-type.json': deviceTypeJson(slug, arch),
    'image-version-info': 'BALENA_IMAGE_VERSION=6.5.17\n',
    'system-connections/balena-sample.ignore': '[connection]\nid=balena-sample\ntype=wifi\n',
    'system-proxy/README.ignore': 'Put redsocks.conf here.\n',
    'splash/balena-logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(2000).fill(7)]),
    ...(opts.flasher ? { 'balena-image-flasher': '' } : { 'os-release': `ID="balena-os"\nNAME="balenaOS"\nVERSION="6.5.17"\nMACHINE="${slug}"\n`, 'balena-image': '' }),
  };
}

const linux = (sizeMiB: number, logical = false): DiskPartitionSpec => ({ size: sizeMiB * MiB, type: 0x83, logical });

/** Builds one layout in memory. */
export async function buildLayout(layout: LayoutName): Promise<SparseDisk> {
  switch (layout) {
    case 'raspberrypi':
      return (await buildDiskImage({
        table: 'mbr',
        partitions: [
          { size: 40 * MiB, type: 0x0c, bootable: true, fat: { fatType: 32, label: 'resin-boot', files: {
            ...bootFiles('raspberrypi4-64', 'aarch64'),
            'config.txt': 'dtparam=i2c_arm=on\ndisable_splash=1\n',
            'overlays/vc4-kms-v3d.dtbo': new Uint8Array(3000).fill(0x42),
          } } },
          linux(24), linux(24), linux(8, true), linux(8, true),
        ],
      })).disk;
    case 'intel-nuc-installer':
      return (await buildDiskImage({
        table: 'mbr',
        partitions: [
          { size: 40 * MiB, type: 0x0e, bootable: true, fat: { fatType: 16, label: 'flash-boot', sectorsPerCluster: 4, reservedSectors: 4, files: {
            ...bootFiles('intel-nuc', 'amd64', { flasher: true }),
            'EFI/BOOT/bootx64.efi': new Uint8Array(50_000).fill(0x90),
          } } },
          linux(24), linux(4), linux(4, true), linux(4, true),
        ],
      })).disk;
    case 'jetson-nano': {
      // NVIDIA firmware partitions first, boot at partition 12 (balenaos.md §2.1).
      const fw = ['APP', 'TBC', 'RP1', 'EBT', 'WB0', 'BPF', 'BPF-DTB', 'FX', 'TOS', 'DTB', 'LNX'];
      return (await buildDiskImage({
        table: 'gpt',
        firstOffset: MiB,
        partitions: [
          ...fw.map((name): DiskPartitionSpec => ({ size: MiB, type: LINUX_FS, name })),
          { size: 40 * MiB, type: EFI_SYSTEM, name: 'resin-boot', fat: { fatType: 16, label: 'resin-boot', sectorsPerCluster: 4, reservedSectors: 4, files: {
            ...bootFiles('jetson-nano', 'aarch64'),
            'extra_uEnv.txt': 'custom_fdt_file=tegra210-p3448-0000-p3449-0000-b00.dtb\n',
          } } },
          { size: 16 * MiB, type: LINUX_FS, name: 'resin-rootA' },
          { size: 4 * MiB, type: LINUX_FS, name: 'resin-rootB' },
        ],
      })).disk;
    }
    case 'resinos1':
      return (await buildDiskImage({
        table: 'mbr',
        logicalGap: MiB,
        partitions: [
          { size: 40 * MiB, type: 0x0c, bootable: true, fat: { fatType: 16, label: 'resin-boot', files: {
            'device-type.json': deviceTypeJson('raspberry-pi', 'rpi', { configuration: { config: { partition: { primary: 4, logical: 1 } } } }),
            'cmdline.txt': 'console=tty1\n',
          } } },
          linux(16), linux(16),
          { size: 20 * MiB, type: 0x0c, logical: true, fat: { fatType: 16, label: 'resin-conf', files: { 'config.json': JSON.stringify({ applicationId: 1, deviceType: 'raspberry-pi' }) } } },
          linux(8, true),
        ],
      })).disk;
    case 'edison': {
      // Intel Edison's .hddimg: a FAT32 filesystem over the whole disk, no partition table.
      const disk = new SparseDisk(64 * MiB);
      await formatFat(disk, { fatType: 32, label: 'resin-boot', sectorsPerCluster: 1 });
      const volume = await FatVolume.open(disk);
      for (const [path, data] of Object.entries({ ...bootFiles('intel-edison', 'i386'), 'edison/u-boot.bin': new Uint8Array(4000).fill(1) })) {
        const folder = path.split('/').slice(0, -1).join('/');
        if (folder) await volume.mkdir(folder, { recursive: true });
        await volume.writeFile(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
      }
      await volume.verify();
      return disk;
    }
  }
}
