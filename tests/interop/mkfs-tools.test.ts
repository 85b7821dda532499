/**
 * The core's mkfs (src/core/fat/mkfs.ts) against dosfstools and mtools: for FAT12, FAT16 and
 * FAT32 at several sizes the volume is byte-identical to `mkfs.vfat --invariant` apart from the
 * OEM name and the boot code (ours: "MSWIN4.1" and a stub that hands over to the next boot
 * device); fsck.fat -n passes before and after the core's FatVolume writes into it; minfo reads
 * the same geometry; mtools reads what we write and we read what mtools writes.
 */
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFat, type FatFormatOptions, type FatFormatPlan } from '../../src/core/fat/mkfs.ts';
import { FatVolume } from '../../src/core/fat/volume.ts';
import { SparseDisk } from '../../src/core/image-builder/sparse-disk.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { expectFsckClean } from '../helpers/image-checks.ts';
import { hasTools, run, runOk, tempDir } from '../helpers/tools.ts';

const ok = hasTools('mkfs.vfat', 'fsck.fat', 'minfo', 'mdir', 'mcopy', 'mtype');
const t = tempDir('preflash-mkfs-');
afterAll(() => t.cleanup());

const LABEL = 'resin-boot';
/** What `mkfs.vfat --invariant` uses for the volume id and the label entry's date. */
const INVARIANT = { volumeId: 0x1234abcd, timestamp: new Date(1426325213 * 1000) };

// [KiB, mkfs.vfat arguments, the same as options]
const CASES: [number, string[], FatFormatOptions][] = [
  [300, [], {}],
  [2048, [], {}],
  [8192, [], {}],
  [8200, [], {}],
  [20000, [], {}],
  [40960, [], {}],
  [140000, [], {}],
  [300000, [], {}],
  [40960, ['-F', '32'], { fatType: 32 }],
  [102400, ['-F', '32'], { fatType: 32 }],
  [300000, ['-F', '32'], { fatType: 32 }],
  [600000, [], {}],
  [40960, ['-F', '16', '-S', '512', '-s', '4', '-R', '4', '-r', '512'], { fatType: 16, bytesPerSector: 512, sectorsPerCluster: 4, reservedSectors: 4, rootEntries: 512 }],
  [40960, ['-F', '32', '-S', '512', '-s', '1'], { fatType: 32, bytesPerSector: 512, sectorsPerCluster: 1 }],
  [1400, ['-a', '-r', '224'], { align: false, rootEntries: 224 }], // 1440 KiB would get mkfs.fat's floppy defaults
  [40960, ['-F', '16', '-S', '4096', '-s', '1'], { fatType: 16, bytesPerSector: 4096, sectorsPerCluster: 1 }],
];

/** Sector offsets of the boot sector copies, and the byte range of the boot code in them. */
function ignoredRanges(p: FatFormatPlan): [number, number][] {
  const ss = p.bytesPerSector;
  const code: [number, number] = p.fatType === 32 ? [0x5a, 510] : [0x3e, 510];
  const copies = p.fatType === 32 && p.backupBootSector ? [0, p.backupBootSector] : [0];
  return copies.flatMap((s) => [[s * ss + 3, s * ss + 11] as [number, number], [s * ss + code[0], s * ss + code[1]] as [number, number]]);
}

/** The first `n` bytes of a file (both mkfs write nothing past the root directory). */
function head(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  const out = Buffer.alloc(n);
  readSync(fd, out, 0, n, 0);
  closeSync(fd);
  return out;
}

function firstDifference(ours: Uint8Array, theirs: Uint8Array, ignored: [number, number][]): number {
  if (ours.length !== theirs.length) return Math.min(ours.length, theirs.length);
  const a = Buffer.from(ours.buffer, ours.byteOffset, ours.length);
  const b = Buffer.from(theirs.buffer, theirs.byteOffset, theirs.length);
  let from = 0;
  for (const [start, end] of [...ignored, [a.length, a.length] as [number, number]]) {
    if (a.compare(b, from, start, from, start) !== 0) {
      for (let i = from; i < start; i++) if (a[i] !== b[i]) return i;
    }
    from = end;
  }
  return -1;
}

describe.skipIf(!ok)('formatFat versus mkfs.vfat 4.2', () => {
  it.each(CASES)('%i KiB %j: byte-identical but for the OEM name and boot code', async (kib, args, options) => {
    const ref = t.path(`ref-${kib}-${args.join('')}.img`);
    runOk('mkfs.vfat', ['--invariant', '-n', LABEL, ...args, '-C', ref, String(kib)]);
    const disk = new SparseDisk(kib * 1024);
    const plan = await formatFat(disk, { ...options, ...INVARIANT, label: LABEL });
    // Everything either writes: reserved sectors, FATs, root directory (FAT32: its cluster).
    const ss = plan.bytesPerSector;
    const written = (plan.reservedSectors + plan.numFats * plan.sectorsPerFat) * ss + Math.ceil((plan.rootEntries * 32) / ss) * ss + plan.sectorsPerCluster * ss;
    expect(disk.extents().every((e) => e.offset < written)).toBe(true);
    const at = firstDifference(await disk.read(0, written), head(ref, written), ignoredRanges(plan));
    expect(at, `first difference at byte 0x${at.toString(16)}`).toBe(-1);
    expectFsckClean(ref);
  });
});

describe.skipIf(!ok)('volumes formatted by the core, with the real tools', () => {
  const kinds: [string, number, FatFormatOptions][] = [
    ['FAT12', 2048, {}],
    ['FAT16', 40960, { fatType: 16 }],
    ['FAT32', 40960, { fatType: 32 }],
    ['FAT16 4096-byte sectors', 40960, { fatType: 16, bytesPerSector: 4096, sectorsPerCluster: 1 }],
  ];

  it.each(kinds)('%s: fsck.fat and minfo agree; FatVolume writes what mtools reads; FatVolume reads what mtools writes', async (name, kib, options) => {
    const img = t.path(`ours-${name.replace(/\W/g, '')}.img`);
    const disk = new MemoryDisk(new Uint8Array(kib * 1024));
    const plan = await formatFat(disk, { ...options, label: LABEL, volumeId: 0xbeef0001 });
    writeFileSync(img, disk.bytes);
    expectFsckClean(img);

    const info = runOk('minfo', ['-i', img, '::']);
    expect(info).toMatch(new RegExp(`sector size: ${plan.bytesPerSector} bytes`));
    expect(info).toMatch(new RegExp(`cluster size: ${plan.sectorsPerCluster} sectors`));
    expect(info).toMatch(new RegExp(`reserved \\(boot\\) sectors: ${plan.reservedSectors}\\b`));
    expect(info).toMatch(/media descriptor byte: 0xf8/);
    expect(info).toMatch(/serial number: BEEF0001/);
    expect(info).toMatch(/disk label="resin-boot "/);
    expect(info).toMatch(new RegExp(`disk type="FAT${plan.fatType}   "`));
    expect(runOk('mdir', ['-i', img, '::'])).toMatch(/Volume in drive : is resin-boot/);

    const vol = await FatVolume.open(disk, { timestamp: new Date('2024-02-03T04:05:06Z') });
    await vol.writeFile('config.json', new TextEncoder().encode('{"deviceType":"raspberrypi4-64"}\n'));
    await vol.mkdir('system-connections');
    await vol.writeFile('system-connections/My Home WiFi', new TextEncoder().encode('[connection]\nid=home\n'));
    await vol.verify();
    writeFileSync(img, disk.bytes);
    expectFsckClean(img);
    expect(runOk('mtype', ['-i', img, '::/config.json'])).toBe('{"deviceType":"raspberrypi4-64"}\n');
    expect(runOk('mtype', ['-i', img, '::/system-connections/My Home WiFi'])).toBe('[connection]\nid=home\n');

    const host = t.path(`host-${name.replace(/\W/g, '')}.txt`);
    writeFileSync(host, 'written by mtools\n');
    runOk('mcopy', ['-i', img, host, '::/From mtools.txt']);
    const after = new MemoryDisk(new Uint8Array(readFileSync(img)));
    const reread = await FatVolume.open(after);
    await reread.verify();
    expect(new TextDecoder().decode(await reread.readFile('From mtools.txt'))).toBe('written by mtools\n');
    expect(run('fsck.fat', ['-n', img]).status).toBe(0);
  });
});
