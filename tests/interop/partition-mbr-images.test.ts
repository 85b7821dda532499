/**
 * balenaOS-shaped MBR images (balenaos.md §3.1, §3.4, §3.5) and the Edison whole-disk FAT, made
 * at test time with sfdisk + mkfs.vfat + mcopy. sfdisk --json is the oracle for the table; the
 * chosen config partition is checked against what each layout is known to need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigPartition } from '../../src/core/partition/find-config-partition.ts';
import { readPartitionTable } from '../../src/core/partition/read-table.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';
import { copyFiles, expectSameAsSfdisk, fileSource, formatFat, MiB, mtoolsProbe, sfdiskImage, sfdiskJson } from './partition-helpers.ts';

const ok = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'minfo', 'mdir', 'truncate');
const mb = (n: number) => n * 2048; // MiB → 512-byte sectors
const tmp = tempDir('preflash-partition-mbr-');
afterAll(() => tmp.cleanup());

async function analyse(image: string) {
  const source = fileSource(image);
  try {
    const table = await readPartitionTable(source);
    const probe = mtoolsProbe(image);
    const choice = await findConfigPartition(source, table, probe);
    return { table, choice, probe };
  } finally {
    source.close();
  }
}

/** p1 boot · p2 rootA · p3 rootB · p4 extended · p5 state · p6 data, with 4 MiB gaps (§3.1). */
function balenaMbrScript(bootType: string, bootMiB: number, totalMiB: number, stateType = '83'): string {
  const rootA = 4 + bootMiB;
  const ext = rootA + 32;
  return [
    'label: dos',
    'unit: sectors',
    `start=${mb(4)}, size=${mb(bootMiB)}, type=${bootType}, bootable`,
    `start=${mb(rootA)}, size=${mb(16)}, type=83`,
    `start=${mb(rootA + 16)}, size=${mb(16)}, type=83`,
    `start=${mb(ext)}, size=${mb(totalMiB - ext)}, type=f`,
    `start=${mb(ext + 4)}, size=${mb(8)}, type=${stateType}`,
    `start=${mb(ext + 16)}, size=${mb(totalMiB - ext - 16)}, type=83`,
    '',
  ].join('\n');
}

describe.skipIf(!ok)('balenaOS MBR images vs sfdisk', () => {
  const images: Record<string, string> = {};
  beforeAll(() => {
    images.pi = tmp.path('raspberrypi4-64.img');
    sfdiskImage(images.pi, 160, balenaMbrScript('c', 40, 160));
    formatFat(images.pi, mb(4), mb(40), { label: 'resin-boot', fat: 32, files: { '/config.json': '{"deviceType":"raspberrypi4-64"}', '/device-type.json': '{}' } }, tmp.path);
    runOk('mkfs.ext4', ['-q', '-F', '-L', 'resin-rootA', '-E', `offset=${mb(44) * 512}`, images.pi, '16M']);

    images.nuc = tmp.path('intel-nuc-flasher.img');
    sfdiskImage(images.nuc, 160, balenaMbrScript('e', 40, 160));
    formatFat(images.nuc, mb(4), mb(40), { label: 'flash-boot', fat: 16, files: { '/config.json': '{}', '/balena-image-flasher': '', '/device-type.json': '{}' } }, tmp.path);

    images.v1 = tmp.path('resinos-1x.img');
    sfdiskImage(images.v1, 160, balenaMbrScript('c', 40, 160, 'c'));
    formatFat(images.v1, mb(4), mb(40), { label: 'resin-boot', files: { '/device-type.json': '{}' } }, tmp.path);
    formatFat(images.v1, mb(80), mb(8), { label: 'resin-conf', files: { '/config.json': '{"applicationId":"1"}' } }, tmp.path);

    // partitioninfo mbr/disk2.img shape: the extended partition is p2, a primary p3 lies after it.
    images.disk2 = tmp.path('disk2.img');
    sfdiskImage(images.disk2, 24, [
      'label: dos',
      'unit: sectors',
      `${images.disk2}1 : start=2048, size=16384, type=e`,
      `${images.disk2}2 : start=18432, size=16384, type=5`,
      `${images.disk2}3 : start=36864, size=8192, type=83`,
      `${images.disk2}5 : start=20480, size=4096, type=83`,
      `${images.disk2}6 : start=26624, size=4096, type=b`,
      '',
    ].join('\n'));
    formatFat(images.disk2, 2048, 16384, { label: 'RESIN-BOOT', files: { '/config.json': '{}' } }, tmp.path);
    formatFat(images.disk2, 26624, 4096, { label: 'other' }, tmp.path);
  });

  it('Raspberry Pi: p1 FAT32 resin-boot at 4 MiB, logicals p5/p6', async () => {
    const { table, choice } = await analyse(images.pi);
    expectSameAsSfdisk(table, sfdiskJson(images.pi));
    expect(table.partitions.map((p) => p.index)).toEqual([1, 2, 3, 5, 6]);
    expect(table.partitions[0]).toMatchObject({ typeName: 'FAT32 (LBA)', bootable: true });
    expect(choice).toMatchObject({ rule: 'fat-label', start: 4 * MiB, size: 40 * MiB, warnings: [] });
    expect(choice.reason).toBe('partition 1 holds a FAT filesystem labelled resin-boot');
  });

  it('Intel NUC installer: FAT16 flash-boot', async () => {
    const { table, choice } = await analyse(images.nuc);
    expectSameAsSfdisk(table, sfdiskJson(images.nuc));
    expect(table.partitions[0].typeName).toBe('FAT16 (LBA)');
    expect(choice).toMatchObject({ rule: 'fat-label', partition: { index: 1 }, reason: 'partition 1 holds a FAT filesystem labelled flash-boot' });
  });

  it('resinOS 1.x: config.json goes to logical p5 labelled resin-conf, not p1', async () => {
    const { table, choice } = await analyse(images.v1);
    expectSameAsSfdisk(table, sfdiskJson(images.v1));
    expect(choice).toMatchObject({ rule: 'resin-conf', partition: { index: 5, logical: true, type: '0x0c' }, start: 80 * MiB, size: 8 * MiB, warnings: [] });
  });

  it('extended partition as p2 with a primary p3 after it (partitioninfo disk2 shape)', async () => {
    const { table, choice, probe } = await analyse(images.disk2);
    expectSameAsSfdisk(table, sfdiskJson(images.disk2));
    expect(table.partitions.map((p) => p.index)).toEqual([1, 3, 5, 6]);
    expect(choice).toMatchObject({ rule: 'fat-label', partition: { index: 1 } });
    expect(probe.calls).toEqual([2048 * 512, 26624 * 512]); // only the FAT-typed partitions were opened
  });
});

describe.skipIf(!ok)('Intel Edison: whole-disk FAT32, no partition table', () => {
  it('is read as kind none and the whole disk is the config filesystem', async () => {
    const image = tmp.path('edison.hddimg');
    runOk('mkfs.vfat', ['-F', '32', '-s', '1', '-C', image, String(40 * 1024)]);
    copyFiles(image, { '/config.json': '{}' }, tmp.path);
    const oracle = sfdiskJson(image);
    expect(oracle.partitions ?? []).toEqual([]); // sfdisk sees no partitions either
    const { table, choice } = await analyse(image);
    expect(table).toEqual({ kind: 'none', sectorSize: 512, partitions: [], warnings: [] });
    expect(choice).toEqual({
      partition: null,
      start: 0,
      size: 40 * MiB,
      rule: 'whole-disk',
      reason: 'the image has no partition table: the whole disk is a FAT filesystem',
      warnings: [],
    });
  });
});
