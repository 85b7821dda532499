/**
 * The core's mkfs without any external tool: geometry as mkfs.fat 4.2 chooses it (the expected
 * rows were read from `mkfs.vfat --invariant -C img KiB` output; tests/interop/mkfs-tools.test.ts
 * compares whole volumes byte for byte), the on-disk structures, and that FatVolume opens, writes
 * and verifies every kind of volume it makes.
 */
import { describe, expect, it } from 'vitest';
import { formatFat, planFatFormat, type FatFormatOptions } from '../../../src/core/fat/mkfs.ts';
import { parseBootSector } from '../../../src/core/fat/boot-sector.ts';
import { parseFsInfo } from '../../../src/core/fat/fs-info.ts';
import { FatVolume } from '../../../src/core/fat/volume.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { CoreError } from '../../../src/core/errors.ts';

const KiB = 1024;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function expectCoreError(f: () => unknown, code: string, message: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe(code);
    expect((e as CoreError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a CoreError ${code}`);
}

/** Byte equality without vitest's element-by-element diffing (slow on FAT-sized arrays). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

async function format(kib: number, options: FatFormatOptions = {}) {
  const disk = new MemoryDisk(new Uint8Array(kib * KiB));
  const plan = await formatFat(disk, options);
  return { disk, plan };
}

// [KiB, options, FAT type, sectors/cluster, reserved, sectors/FAT, clusters, root entries] — mkfs.vfat 4.2.
const MKFS_FAT_ROWS: [number, FatFormatOptions, number, number, number, number, number, number][] = [
  [300, {}, 12, 4, 1, 1, 139, 512],
  [2048, {}, 12, 4, 1, 3, 1014, 512],
  [8192, {}, 12, 4, 4, 12, 4081, 512],
  [16384, {}, 16, 4, 4, 32, 8167, 512],
  [40960, {}, 16, 4, 4, 80, 20431, 512],
  [131072, {}, 16, 4, 4, 256, 65399, 512],
  [140000, {}, 16, 8, 8, 144, 34959, 512],
  [300000, {}, 16, 16, 16, 160, 37473, 512],
  [40960, { fatType: 32 }, 32, 1, 32, 630, 80628, 0],
  [102400, { fatType: 32 }, 32, 1, 32, 1576, 201616, 0],
  [300000, { fatType: 32 }, 32, 8, 32, 592, 74841, 0],
  [600000, {}, 32, 8, 32, 1176, 149697, 0],
  [40960, { fatType: 16, sectorsPerCluster: 4, reservedSectors: 4, rootEntries: 512 }, 16, 4, 4, 80, 20431, 512],
];

describe('planFatFormat chooses what mkfs.fat 4.2 chooses', () => {
  it.each(MKFS_FAT_ROWS)('%i KiB %o → FAT%i, %i sectors/cluster, %i reserved, %i sectors/FAT, %i clusters, %i root entries', (kib, options, type, spc, reserved, spf, clusters, root) => {
    const p = planFatFormat(kib * KiB, options);
    expect([p.fatType, p.sectorsPerCluster, p.reservedSectors, p.sectorsPerFat, p.clusterCount, p.rootEntries]).toEqual([type, spc, reserved, spf, clusters, root]);
  });

  it('uses SD-card CHS below 256 MiB and LBA-assist above, and rounds the sector count down to whole tracks', () => {
    expect(planFatFormat(40960 * KiB)).toMatchObject({ heads: 8, sectorsPerTrack: 32, totalSectors: 81920 });
    expect(planFatFormat(600000 * KiB)).toMatchObject({ heads: 32, sectorsPerTrack: 63, totalSectors: Math.floor(1200000 / 63) * 63 });
  });

  it('refuses what cannot be formatted, naming the problem, before writing anything', async () => {
    expectCoreError(() => planFatFormat(32 * 1024 * KiB, { fatType: 32 }), 'FAT_UNSUPPORTED', /FAT32 would have 64496 clusters with 1 sector per cluster and needs 65525/);
    expectCoreError(() => planFatFormat(2048 * KiB, { fatType: 16 }), 'FAT_UNSUPPORTED', /FAT16 would have 1013 clusters/);
    expectCoreError(() => planFatFormat(2048 * KiB, { sectorsPerCluster: 3 }), 'FAT_UNSUPPORTED', /power of two/);
    expectCoreError(() => planFatFormat(2048 * KiB, { label: 'TWELVE CHARS' }), 'FAT_BAD_NAME', /11 characters/);
    expectCoreError(() => planFatFormat(2048 * KiB, { label: 'a.b' }), 'FAT_BAD_NAME', /\./);
    expectCoreError(() => planFatFormat(2048 * KiB, { label: ' lead' }), 'FAT_BAD_NAME', /space/);
    const before = new Uint8Array(1024 * KiB).fill(0xaa);
    const disk = new MemoryDisk(before.slice());
    await expect(formatFat(disk, { fatType: 32 })).rejects.toMatchObject({ code: 'FAT_UNSUPPORTED' });
    expect(same(disk.bytes, before)).toBe(true);
  });
});

describe('formatFat writes a volume the core opens, fills and verifies', () => {
  const kinds: [string, number, FatFormatOptions][] = [
    ['FAT12 2 MiB', 2048, {}],
    ['FAT16 40 MiB (balenaOS resin-boot)', 40960, { fatType: 16, sectorsPerCluster: 4, reservedSectors: 4 }],
    ['FAT32 40 MiB (Raspberry Pi resin-boot)', 40960, { fatType: 32 }],
    ['FAT16 with 4096-byte sectors', 40960, { bytesPerSector: 4096, sectorsPerCluster: 1, fatType: 16 }],
    ['FAT12 unaligned floppy size', 1440, { align: false, rootEntries: 224 }],
  ];

  it.each(kinds)('%s', async (_, kib, options) => {
    const { disk, plan } = await format(kib, { ...options, label: 'resin-boot', volumeId: 0xcafe0001 });
    const vol = await FatVolume.open(disk, { timestamp: new Date('2024-01-02T03:04:06Z') });
    expect(vol.fatType).toBe(plan.fatType);
    expect(vol.label).toBe('resin-boot');
    expect(vol.geometry.clusterCount).toBe(plan.clusterCount);
    // Everything but the root directory's cluster (FAT32) is free.
    expect(vol.freeBytes()).toBe((plan.clusterCount - (plan.fatType === 32 ? 1 : 0)) * plan.sectorsPerCluster * plan.bytesPerSector);
    expect((await vol.readdir('')).length).toBe(0); // the volume-label entry is not a file
    await vol.verify();

    await vol.writeFile('config.json', enc('{"deviceType":"raspberrypi4-64"}\n'));
    await vol.mkdir('system-connections/nested', { recursive: true });
    await vol.writeFile('system-connections/My Home WiFi', enc('[connection]\nid=home\n'));
    await vol.writeFile('big.bin', new Uint8Array(100_000).fill(7));
    await vol.verify();

    const again = await FatVolume.open(disk);
    expect(dec(await again.readFile('config.json'))).toBe('{"deviceType":"raspberrypi4-64"}\n');
    expect(dec(await again.readFile('system-connections/My Home WiFi'))).toBe('[connection]\nid=home\n');
    expect((await again.readFile('big.bin')).length).toBe(100_000);
  });

  it('writes the BPB, the FSInfo sector, the backups and the label entry as the spec lays them out', async () => {
    const { disk, plan } = await format(40960, { fatType: 32, label: 'resin-boot', volumeId: 0x12345678, timestamp: new Date('2015-03-14T09:26:53Z') });
    const b = disk.bytes;
    const v = new DataView(b.buffer);
    const g = parseBootSector(b.subarray(0, 512), b.length);
    expect(g).toMatchObject({ fatType: 32, reservedSectors: 32, numFats: 2, rootCluster: 2, fsInfoSector: 1, label: 'resin-boot', bpbDirty: false });
    expect([b[0], b[1], b[2]]).toEqual([0xeb, 0x58, 0x90]);
    expect(b[0x15]).toBe(0xf8);
    expect(v.getUint32(0x43, true)).toBe(0x12345678);
    expect(dec(b.subarray(0x52, 0x5a))).toBe('FAT32   ');
    expect(same(b.subarray(6 * 512, 7 * 512), b.subarray(0, 512))).toBe(true); // backup boot sector
    expect(same(b.subarray(7 * 512, 8 * 512), b.subarray(512, 1024))).toBe(true); // backup FSInfo
    expect(parseFsInfo(b.subarray(512, 1024))).toEqual({ freeCount: plan.clusterCount - 1, nextFree: 2 });
    const fat0 = g.fatOffset;
    expect([...b.subarray(fat0, fat0 + 12)]).toEqual([0xf8, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0x0f, 0xf8, 0xff, 0xff, 0x0f]);
    expect(same(b.subarray(fat0, fat0 + g.fatBytes), b.subarray(fat0 + g.fatBytes, fat0 + 2 * g.fatBytes))).toBe(true);
    const label = b.subarray(g.dataOffset, g.dataOffset + 32);
    expect(dec(label.subarray(0, 11))).toBe('resin-boot ');
    expect(label[11]).toBe(0x08);
    expect(new DataView(label.buffer, label.byteOffset).getUint16(24, true)).toBe(((2015 - 1980) << 9) | (3 << 5) | 14);
  });

  it('is deterministic and overwrites whatever the store held before', async () => {
    const a = await format(8192, { label: 'X' });
    const dirty = new MemoryDisk(new Uint8Array(8192 * KiB).fill(0x5a));
    await formatFat(dirty, { label: 'X' });
    const g = parseBootSector(a.disk.bytes.subarray(0, 512), a.disk.size);
    expect(same(dirty.bytes.subarray(0, g.dataOffset), a.disk.bytes.subarray(0, g.dataOffset))).toBe(true);
    await (await FatVolume.open(dirty)).verify();
  });

  it('without a label writes "NO NAME" in the BPB and no label entry', async () => {
    const { disk } = await format(2048);
    const g = parseBootSector(disk.bytes.subarray(0, 512), disk.size);
    expect(g.label).toBeNull();
    expect(dec(disk.bytes.subarray(0x2b, 0x36))).toBe('NO NAME    ');
    expect(disk.bytes[g.rootDirOffset]).toBe(0);
  });
});
