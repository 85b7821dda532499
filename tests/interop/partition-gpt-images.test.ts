/**
 * GPT images: a Jetson Nano layout (firmware partitions first, resin-boot at p12, 48 MiB in),
 * primary/backup damage, and 4096-byte logical sectors. sfdisk --json is the oracle; this
 * util-linux (2.38) has no --sector-size, so the 4Kn image is the sfdisk-made 512-byte twin re-laid
 * out with 4096-byte LBAs and compared against the twin's sfdisk output (byte offsets are equal).
 */
import { closeSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';
import type { ByteSource } from '../../src/core/io/byte-source.ts';
import { findConfigPartition } from '../../src/core/partition/find-config-partition.ts';
import { readPartitionTable } from '../../src/core/partition/read-table.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';
import { buildGptDisk } from '../unit/partition/disk-builder.ts';
import { copyFiles, expectSameAsSfdisk, fileSource, formatFat, MiB, mtoolsProbe, sfdiskImage, sfdiskJson } from './partition-helpers.ts';

const ok = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'minfo', 'mdir', 'truncate');
const mb = (n: number) => n * 2048;
const BASIC = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';
const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const LINUX = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
const tmp = tempDir('preflash-partition-gpt-');
afterAll(() => tmp.cleanup());

function recording(source: ByteSource): ByteSource & { furthest: () => number } {
  let furthest = 0;
  return {
    size: source.size,
    read(offset, length) {
      furthest = Math.max(furthest, offset + length);
      return source.read(offset, length);
    },
    furthest: () => furthest,
  };
}

function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  const byte = new Uint8Array(1);
  readSync(fd, byte, 0, 1, offset);
  writeSync(fd, Uint8Array.of(byte[0] ^ 0x01), 0, 1, offset);
  closeSync(fd);
}

/** A sparse copy: the images are mostly holes. */
function copySparse(from: string, to: string): void {
  runOk('cp', ['--sparse=always', from, to]);
}

const FIRMWARE = ['TBC', 'RP1', 'EBT', 'WB0', 'BPF', 'BPF-DTB', 'FX', 'TOS', 'DTB', 'LNX', 'EKS'];

function jetsonNanoScript(): string {
  const lines = ['label: gpt', 'unit: sectors'];
  FIRMWARE.forEach((name, i) => lines.push(`start=${mb(1 + 4 * i)}, size=${mb(4)}, type=${i % 2 ? LINUX : BASIC}, name="${name}"`));
  lines.push(`start=${mb(48)}, size=${mb(80)}, type=${ESP}, name="resin-boot"`);
  lines.push(`start=${mb(128)}, size=${mb(32)}, type=${LINUX}, name="resin-rootA"`);
  lines.push(`start=${mb(160)}, size=${mb(32)}, type=${LINUX}, name="resin-rootB"`);
  lines.push(`start=${mb(192)}, size=${mb(16)}, type=${LINUX}, name="resin-state"`);
  lines.push(`start=${mb(208)}, type=${LINUX}, name="resin-data"`);
  return lines.join('\n') + '\n';
}

describe.skipIf(!ok)('GPT images vs sfdisk', () => {
  const jetson = tmp.path('jetson-nano.img');
  beforeAll(() => {
    sfdiskImage(jetson, 256, jetsonNanoScript());
    formatFat(jetson, mb(1 + 4 * 2), mb(4), { label: 'EBT' }, tmp.path); // a FAT firmware partition: not the boot one
    formatFat(jetson, mb(48), mb(80), { label: 'resin-boot', fat: 16, files: { '/config.json': '{}', '/device-type.json': '{}' } }, tmp.path);
  });

  it('Jetson Nano: finds resin-boot at p12 by GPT name, reading nothing past its first sector', async () => {
    const file = fileSource(jetson);
    const source = recording(file);
    const table = await readPartitionTable(source);
    const choice = await findConfigPartition(source, table, mtoolsProbe(jetson));
    file.close();
    expectSameAsSfdisk(table, sfdiskJson(jetson));
    expect(table.sectorSize).toBe(512);
    expect(table.partitions).toHaveLength(16);
    expect(choice).toMatchObject({ rule: 'gpt-name', partition: { index: 12, typeName: 'EFI System' }, start: 48 * MiB, size: 80 * MiB, warnings: [] });
    expect(choice.reason).toBe('partition 12 is named resin-boot in the GPT');
    expect(source.furthest()).toBeLessThanOrEqual(48 * MiB + 512);
  });

  it('uses the backup GPT when the primary header is damaged, like sfdisk does', async () => {
    const damaged = tmp.path('jetson-primary-damaged.img');
    copySparse(jetson, damaged);
    flipByte(damaged, 512 + 0x28);
    const file = fileSource(damaged);
    const table = await readPartitionTable(file);
    file.close();
    expectSameAsSfdisk(table, sfdiskJson(damaged));
    expect(table.warnings).toEqual([expect.stringMatching(/header CRC32 mismatch.*used the backup header at LBA 524287\./)]);
  });

  it('reports GPT_CRC_MISMATCH when the backup is damaged too', async () => {
    const damaged = tmp.path('jetson-both-damaged.img');
    copySparse(jetson, damaged);
    flipByte(damaged, 512 + 0x28);
    flipByte(damaged, 256 * MiB - 512 + 0x28);
    const file = fileSource(damaged);
    const error = await readPartitionTable(file).catch((e: unknown) => e);
    file.close();
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('GPT_CRC_MISMATCH');
    expect((error as CoreError).message).toMatch(/primary header at LBA 1: header CRC32 mismatch.*backup header at LBA 524287: header CRC32 mismatch/);
  });

  it('reads a GPT with 4096-byte logical sectors and a 4Kn FAT inside', async () => {
    const twin = tmp.path('twin-512.img');
    sfdiskImage(twin, 64, [
      'label: gpt',
      `start=${mb(1)}, size=${mb(4)}, type=${LINUX}, name="uboot"`,
      `start=${mb(8)}, size=${mb(32)}, type=${ESP}, name="resin-boot"`,
      `start=${mb(40)}, size=${mb(16)}, type=${LINUX}, name="resin-rootA"`,
      '',
    ].join('\n'));
    const oracle = sfdiskJson(twin);
    const disk = buildGptDisk({
      sectorSize: 4096,
      totalSectors: (64 * MiB) / 4096,
      diskGuid: oracle.id,
      entries: oracle.partitions!.map((p) => ({
        slot: Number(/(\d+)$/.exec(p.node)![1]) - 1,
        type: p.type,
        guid: p.uuid!,
        first: p.start / 8,
        last: (p.start + p.size) / 8 - 1,
        name: p.name!,
      })),
    });
    const fat = tmp.path('boot-4k.fat');
    runOk('mkfs.vfat', ['-S', '4096', '-n', 'resin-boot', '-C', fat, String(32 * 1024)]);
    copyFiles(fat, { '/config.json': '{}' }, tmp.path);
    disk.set(readFileSync(fat), 8 * MiB);
    const image = tmp.path('gpt-4kn.img');
    writeFileSync(image, disk);

    const file = fileSource(image);
    const table = await readPartitionTable(file);
    const choice = await findConfigPartition(file, table, mtoolsProbe(image));
    file.close();
    expect(table.sectorSize).toBe(4096);
    expectSameAsSfdisk(table, oracle);
    expect(choice).toMatchObject({ rule: 'gpt-name', partition: { index: 2 }, start: 8 * MiB, size: 32 * MiB, warnings: [] });
  });
});
