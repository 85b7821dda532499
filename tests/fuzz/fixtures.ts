/**
 * The fuzzer's base images, made once per run with the real tools (make-image.ts): small, but laid
 * out like the real thing. Each is a raw image file; the compressed ones wrap the smallest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { balenaBootFiles, makeImage, makeWholeDiskFat, type MadeImage } from '../helpers/make-image.ts';
import { runBytes, runOk } from '../helpers/tools.ts';

export interface Fixture {
  name: string;
  path: string;
  /** Byte window of the FAT filesystem the configuration is expected to go to. */
  bootStart: number;
  bootSize: number;
  /** 'gz' | 'zip' | 'xz' for compressed fixtures (path is then the compressed file). */
  compressed?: 'gz' | 'zip' | 'xz';
  /** For compressed fixtures: the raw fixture they wrap. */
  raw?: string;
}

const MiB = 1024 * 1024;
const lfnFiles = {
  'system-connections/My Home WiFi network': '[connection]\nid=home\ntype=wifi\n',
  'Long Folder Name/another long file name.txt': 'hello\n',
};

function fixture(name: string, made: MadeImage, bootIndex: number, bootMiB: number): Fixture {
  return { name, path: made.path, bootStart: made.offsets[bootIndex], bootSize: bootMiB * MiB };
}

/** Builds every base fixture into `dir`. Takes a few seconds (mkfs, mtools, sfdisk, gzip, zip, xz). */
export function buildFixtures(dir: string): Fixture[] {
  const out: Fixture[] = [];
  // Raspberry Pi: MBR, FAT32 resin-boot (the smallest FAT32 mkfs.vfat makes with 512-byte clusters), logicals.
  out.push(fixture('rpi-mbr-fat32', makeImage(`${dir}/rpi.img`, {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [
      { sizeMiB: 34, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '1'], files: {
        ...balenaBootFiles('raspberrypi4-64', 'aarch64'), ...lfnFiles, 'config.txt': 'dtparam=spi=on\n',
      } } },
      { sizeMiB: 1, type: '83' },
      { sizeMiB: 1, type: '83', logical: true },
      { sizeMiB: 1, type: '83', logical: true },
    ],
  }), 0, 34));
  // Jetson-like GPT: firmware partitions first, resin-boot FAT16 further in.
  out.push(fixture('jetson-gpt-fat16', makeImage(`${dir}/jetson.img`, {
    table: 'gpt', firstMiB: 1, tailMiB: 0,
    partitions: [
      ...['APP', 'TBC', 'RP1'].map((name) => ({ sizeMiB: 1, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name })),
      { sizeMiB: 8, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', name: 'resin-boot', fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '2', '-R', '4'], files: {
        ...balenaBootFiles('jetson-nano', 'aarch64'), ...lfnFiles,
      } } },
      { sizeMiB: 1, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name: 'resin-rootA' },
    ],
  }), 3, 8));
  // FAT16 installer.
  out.push(fixture('installer-mbr-fat16', makeImage(`${dir}/installer.img`, {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [
      { sizeMiB: 8, type: 'e', bootable: true, fs: { fat: 16, label: 'flash-boot', mkfsArgs: ['-S', '512', '-s', '2', '-R', '4', '-r', '512'], files: {
        ...balenaBootFiles('intel-nuc', 'amd64', { flasher: true }), 'EFI/BOOT/grub.cfg': 'set timeout=3\n',
      } } },
      { sizeMiB: 1, type: '83' },
    ],
  }), 0, 8));
  // resinOS 1.x: config.json lives on the logical resin-conf (p5).
  out.push(fixture('resinos1-logical-conf', makeImage(`${dir}/resinos1.img`, {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [
      { sizeMiB: 4, type: 'c', bootable: true, fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: { 'cmdline.txt': 'console=tty1\n' } } },
      { sizeMiB: 1, type: '83' },
      { sizeMiB: 1, type: '83' },
      { sizeMiB: 4, type: 'c', logical: true, fs: { fat: 16, label: 'resin-conf', mkfsArgs: ['-s', '1'], files: { 'config.json': JSON.stringify({ applicationId: 1, deviceType: 'raspberry-pi' }) } } },
      { sizeMiB: 1, type: '83', logical: true },
    ],
  }), 3, 4));
  // Whole-disk FAT12 (no table; covers 12-bit packing).
  out.push(fixture('whole-disk-fat12', makeWholeDiskFat(`${dir}/whole.img`, 2, { fat: 12, label: 'resin-boot', files: {
    'config.json': '{"deviceType":"intel-edison"}\n', ...lfnFiles,
  } }), 0, 2));

  // Compressed variants of a small MBR image.
  const small = fixture('small-mbr-fat16', makeImage(`${dir}/small.img`, {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [{ sizeMiB: 4, type: 'e', bootable: true, fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: balenaBootFiles('raspberrypi3', 'armv7hf') } }],
  }), 0, 4);
  writeFileSync(`${dir}/small.img.gz`, runBytes('gzip', ['-c', '-n', '-6', small.path]));
  runOk('zip', ['-q', '-j', '-X', `${dir}/small.img.zip`, small.path]);
  writeFileSync(`${dir}/small.img.xz`, runBytes('xz', ['-c', '-6', '--check=crc32', small.path]));
  for (const kind of ['gz', 'zip', 'xz'] as const) {
    out.push({ ...small, name: `small-${kind}`, path: `${dir}/small.img.${kind}`, compressed: kind, raw: small.path });
  }
  return out;
}

export function loadFixture(f: Fixture): Uint8Array {
  return new Uint8Array(readFileSync(f.path));
}
