/**
 * Disk images shaped like real balenaOS images (reference/balenaos.md §3), made at test time by
 * the real tools: sfdisk lays out the table, mkfs.vfat/mkfs.ext4 format the partitions, mtools
 * fills the FAT ones. Sparse files keep them cheap.
 */
import { writeFileSync, mkdirSync, truncateSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cachedImage } from './fixture-cache.ts';
import { runOk } from './tools.ts';

const MiB = 1024 * 1024;

export interface FatSpec {
  fat: 12 | 16 | 32;
  label: string;
  files?: Record<string, string | Uint8Array>;
  /** mkfs.vfat extra args, e.g. ['-s', '4', '-R', '4'] */
  mkfsArgs?: string[];
}

export interface PartitionSpec {
  sizeMiB: number;
  /** sfdisk type: MBR hex ('c', 'e', '83', '5' for extended) or GPT alias/GUID ('U' = EFI System, 'L' = Linux). */
  type: string;
  /** GPT name */
  name?: string;
  fs?: FatSpec | { ext4: string };
  bootable?: boolean;
  /** MBR only: this partition is a logical inside the (single) extended partition. */
  logical?: boolean;
}

export interface ImageSpec {
  table: 'mbr' | 'gpt';
  /** Offset of the first partition, MiB (balenaOS: 4; Jetson Nano: firmware partitions first). */
  firstMiB?: number;
  partitions: PartitionSpec[];
  /** Extra MiB after the last partition. */
  tailMiB?: number;
}

export interface MadeImage {
  path: string;
  size: number;
  /** byte offsets of partitions in spec order (extended container excluded) */
  offsets: number[];
}

/** Writes the files of a FAT spec into a FAT filesystem at `offsetBytes` of `image`. */
export function fillFat(image: string, offsetBytes: number, files: Record<string, string | Uint8Array>, scratch: string): void {
  const target = `${image}@@${offsetBytes}`;
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const d of [...dirs].sort()) runOk('mmd', ['-i', target, `::/${d}`]);
  for (const [path, content] of Object.entries(files)) {
    const local = join(scratch, 'src', path);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, content);
    utimesSync(local, 1_600_000_000, 1_600_000_000);
    runOk('mcopy', ['-m', '-i', target, local, `::/${path}`]);
  }
}

function formatFat(image: string, offsetBytes: number, sizeBytes: number, spec: FatSpec, scratch: string): void {
  runOk('mkfs.vfat', [
    '--invariant',
    '-F', String(spec.fat),
    '-n', spec.label,
    ...(spec.mkfsArgs ?? []),
    `--offset=${offsetBytes / 512}`,
    image,
    String(sizeBytes / 1024),
  ]);
  if (spec.files) fillFat(image, offsetBytes, spec.files, scratch);
}

function formatExt4(image: string, offsetBytes: number, sizeBytes: number, label: string): void {
  runOk('mkfs.ext4', ['-q', '-F', '-L', label, '-E', `offset=${offsetBytes}`, '-U', 'clear', '-T', 'small', image, `${sizeBytes / 1024}k`], {
    env: { E2FSPROGS_FAKE_TIME: '1600000000' },
  });
}

/**
 * Makes a partitioned image with sfdisk and formats the partitions that ask for it. Built once
 * per test run and copied after that (fixture-cache.ts).
 */
export function makeImage(path: string, spec: ImageSpec): MadeImage {
  return { ...cachedImage('makeImage', spec, path, (p) => buildImage(p, spec)), path };
}

function buildImage(path: string, spec: ImageSpec): MadeImage {
  const scratch = `${path}.d`;
  mkdirSync(scratch, { recursive: true });
  const first = (spec.firstMiB ?? 4) * MiB;
  const lines: string[] = [spec.table === 'gpt' ? 'label: gpt' : 'label: dos', 'unit: sectors'];
  if (spec.table === 'mbr') lines.push('label-id: 0x1234abcd');
  else lines.push('label-id: 11111111-2222-3333-4444-555555555555');
  const offsets: number[] = [];
  let pos = first;
  const logicals = spec.partitions.filter((p) => p.logical);
  const primaries = spec.partitions.filter((p) => !p.logical);
  const line = (start: number, size: number, p: PartitionSpec, i: number) => {
    const parts = [`start=${start / 512}`, `size=${size / 512}`, `type=${p.type}`];
    if (p.name) parts.push(`name="${p.name}"`);
    if (spec.table === 'gpt') parts.push(`uuid=00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    if (p.bootable) parts.push('bootable');
    return parts.join(', ');
  };
  const placed: { p: PartitionSpec; start: number; size: number }[] = [];
  primaries.forEach((p, i) => {
    placed.push({ p, start: pos, size: p.sizeMiB * MiB });
    lines.push(line(pos, p.sizeMiB * MiB, p, i));
    pos += p.sizeMiB * MiB;
  });
  if (logicals.length > 0) {
    // Extended container with a 1 MiB EBR gap before each logical (as parted/meta-balena leave).
    const extStart = pos;
    const extSize = logicals.reduce((n, p) => n + (p.sizeMiB + 1) * MiB, 0);
    lines.push(`start=${extStart / 512}, size=${extSize / 512}, type=5`);
    let lpos = extStart;
    logicals.forEach((p, i) => {
      lpos += MiB;
      placed.push({ p, start: lpos, size: p.sizeMiB * MiB });
      lines.push(line(lpos, p.sizeMiB * MiB, p, primaries.length + i));
      lpos += p.sizeMiB * MiB;
    });
    pos = extStart + extSize;
  }
  const total = pos + (spec.tailMiB ?? 1) * MiB + (spec.table === 'gpt' ? MiB : 0);
  writeFileSync(path, new Uint8Array(0));
  truncateSync(path, total);
  runOk('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', path], { input: lines.join('\n') + '\n' });
  // offsets in spec order
  for (const p of spec.partitions) offsets.push(placed.find((x) => x.p === p)!.start);
  for (const { p, start, size } of placed) {
    if (!p.fs) continue;
    if ('ext4' in p.fs) formatExt4(path, start, size, p.fs.ext4);
    else formatFat(path, start, size, p.fs, scratch);
  }
  return { path, size: total, offsets };
}

/** A whole-disk FAT (Intel Edison .hddimg): no partition table at all. */
export function makeWholeDiskFat(path: string, sizeMiB: number, spec: FatSpec): MadeImage {
  return { ...cachedImage('makeWholeDiskFat', { sizeMiB, spec }, path, (p) => buildWholeDiskFat(p, sizeMiB, spec)), path };
}

function buildWholeDiskFat(path: string, sizeMiB: number, spec: FatSpec): MadeImage {
  writeFileSync(path, new Uint8Array(0));
  truncateSync(path, sizeMiB * MiB);
  formatFat(path, 0, sizeMiB * MiB, spec, `${path}.d`);
  return { path, size: sizeMiB * MiB, offsets: [0] };
}

const osRelease = (version: string, slug: string) =>
  `ID="balena-os"\nNAME="balenaOS"\nVERSION="${version}"\nVERSION_ID="${version}"\nPRETTY_NAME="balenaOS ${version}"\nMACHINE="${slug}"\nMETA_BALENA_VERSION="${version}"\n`;

const deviceTypeJson = (slug: string, arch: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ slug, name: slug, arch, state: 'released', yocto: { machine: slug, image: 'balena-image', fstype: 'balenaos-img' }, ...extra }, null, 2) + '\n';

/** Boot-partition content like a raw balenaOS image. */
export function balenaBootFiles(slug: string, arch: string, opts: { flasher?: boolean; configJson?: object } = {}): Record<string, string | Uint8Array> {
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify(opts.configJson ?? { deviceType: slug, persistentLogging: false }) + '\n',
    'device-type.json': deviceTypeJson(slug, arch),
    'image-version-info': 'BALENA_IMAGE_VERSION=6.5.17\n',
    'balenaos.fingerprint': 'abc123  /config.json\n',
    'system-connections/balena-sample.ignore': '[connection]\nid=balena-sample\ntype=wifi\n',
    'system-proxy/README.ignore': 'Put redsocks.conf here.\n',
    'splash/balena-logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(2000).fill(7)]),
  };
  if (opts.flasher) files['balena-image-flasher'] = '';
  else {
    files['os-release'] = osRelease('6.5.17', slug);
    files['balena-image'] = '';
  }
  return files;
}

/**
 * The Raspberry Pi layout: an MBR with a bootable 40 MiB FAT32 resin-boot (512-byte clusters, as
 * on a real Pi image), ext4 resin-rootA, a second root, and resin-state and a data partition as
 * logicals in an extended partition; `rootMiB` is each root's size, `stateMiB` each logical's.
 */
export function raspberryPiSpec(sizes: { rootMiB: number; stateMiB: number }): ImageSpec {
  return {
    table: 'mbr',
    partitions: [
      { sizeMiB: 40, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '1'], files: {
        ...balenaBootFiles('raspberrypi4-64', 'aarch64'),
        'config.txt': 'dtparam=i2c_arm=on\ndtparam=spi=on\ndisable_splash=1\n',
        'cmdline.txt': 'dwc_otg.lpm_enable=0 console=tty1 rootwait\n',
        'overlays/vc4-kms-v3d.dtbo': new Uint8Array(3000).fill(0x42),
      } } },
      { sizeMiB: sizes.rootMiB, type: '83', fs: { ext4: 'resin-rootA' } },
      { sizeMiB: sizes.rootMiB, type: '83' },
      { sizeMiB: sizes.stateMiB, type: '83', logical: true, fs: { ext4: 'resin-state' } },
      { sizeMiB: sizes.stateMiB, type: '83', logical: true },
    ],
  };
}

export type LayoutName = 'raspberrypi' | 'intel-nuc-installer' | 'jetson-nano' | 'resinos1' | 'edison';

/** The five layout kinds the engine must handle, as real images lay them out. */
export function makeBalenaImage(path: string, layout: LayoutName): MadeImage {
  switch (layout) {
    case 'raspberrypi':
      return makeImage(path, raspberryPiSpec({ rootMiB: 24, stateMiB: 8 }));
    case 'intel-nuc-installer':
      return makeImage(path, {
        table: 'mbr',
        partitions: [
          { sizeMiB: 40, type: 'e', bootable: true, fs: { fat: 16, label: 'flash-boot', mkfsArgs: ['-S', '512', '-s', '4', '-R', '4', '-r', '512'], files: {
            ...balenaBootFiles('intel-nuc', 'amd64', { flasher: true }),
            'EFI/BOOT/bootx64.efi': new Uint8Array(50_000).fill(0x90),
            'EFI/BOOT/grub.cfg': 'set timeout=3\n',
          } } },
          { sizeMiB: 24, type: '83', fs: { ext4: 'flash-rootA' } },
          { sizeMiB: 4, type: '83' },
          { sizeMiB: 4, type: '83', logical: true },
          { sizeMiB: 4, type: '83', logical: true },
        ],
      });
    case 'jetson-nano': {
      // NVIDIA firmware partitions first (tiny here), boot at partition 12 (balenaos.md §2.1).
      const fw = ['APP', 'TBC', 'RP1', 'EBT', 'WB0', 'BPF', 'BPF-DTB', 'FX', 'TOS', 'DTB', 'LNX'];
      return makeImage(path, {
        table: 'gpt',
        firstMiB: 1,
        partitions: [
          ...fw.map((name) => ({ sizeMiB: 1, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name })),
          { sizeMiB: 40, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', name: 'resin-boot', fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '4', '-R', '4'], files: {
            ...balenaBootFiles('jetson-nano', 'aarch64'),
            'extra_uEnv.txt': 'custom_fdt_file=tegra210-p3448-0000-p3449-0000-b00.dtb\n',
          } } },
          { sizeMiB: 16, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name: 'resin-rootA', fs: { ext4: 'resin-rootA' } },
          { sizeMiB: 4, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name: 'resin-rootB' },
        ],
      });
    }
    case 'resinos1':
      return makeImage(path, {
        table: 'mbr',
        partitions: [
          { sizeMiB: 40, type: 'c', bootable: true, fs: { fat: 16, label: 'resin-boot', files: { 'device-type.json': deviceTypeJson('raspberry-pi', 'rpi', { configuration: { config: { partition: { primary: 4, logical: 1 } } } }), 'cmdline.txt': 'console=tty1\n' } } },
          { sizeMiB: 16, type: '83' },
          { sizeMiB: 16, type: '83' },
          { sizeMiB: 20, type: 'c', logical: true, fs: { fat: 16, label: 'resin-conf', files: { 'config.json': JSON.stringify({ applicationId: 1, deviceType: 'raspberry-pi' }) } } },
          { sizeMiB: 8, type: '83', logical: true },
        ],
      });
    case 'edison':
      return makeWholeDiskFat(path, 64, { fat: 32, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: {
        ...balenaBootFiles('intel-edison', 'i386'),
        'edison/u-boot.bin': new Uint8Array(4000).fill(1),
      } });
  }
}
