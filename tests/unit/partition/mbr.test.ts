import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { readPartitionTable } from '../../../src/core/partition/read-table.ts';
import { fatBootSector, recordingSource, writeTableSector } from './disk-builder.ts';
import { rejectionOf } from '../../helpers/core-errors.ts';

const MiB = 1024 * 1024;
const S = 512;

/** Raspberry Pi shaped MBR: p1 FAT32 at 4 MiB, p2/p3 Linux, p4 extended with logical p5/p6. */
function raspberryPiLike(): Uint8Array {
  const disk = new Uint8Array(64 * MiB);
  const mib = (n: number) => (n * MiB) / S;
  writeTableSector(
    disk,
    0,
    [
      { type: 0x0c, start: mib(4), sectors: mib(8), active: true },
      { type: 0x83, start: mib(12), sectors: mib(8) },
      { type: 0x83, start: mib(20), sectors: mib(8) },
      { type: 0x0f, start: mib(28), sectors: mib(36) },
    ],
    0xa1b2c3d4,
  );
  // EBR 1 at the start of the extended partition: logical at +1 MiB, next EBR at ext+16 MiB.
  writeTableSector(disk, 28 * MiB, [
    { type: 0x83, start: mib(1), sectors: mib(8) },
    { type: 0x05, start: mib(16), sectors: mib(20) },
  ]);
  writeTableSector(disk, 44 * MiB, [{ type: 0x83, start: mib(1), sectors: mib(19) }]);
  return disk;
}

describe('readPartitionTable — MBR', () => {
  it('numbers primaries 1–4 and logicals from 5 in chain order, without the extended container', async () => {
    const t = await readPartitionTable(new MemoryDisk(raspberryPiLike()));
    expect(t.kind).toBe('mbr');
    expect(t.sectorSize).toBe(512);
    expect(t.diskId).toBe('0xa1b2c3d4');
    expect(t.warnings).toEqual([]);
    expect(t.partitions.map((p) => [p.index, p.start / MiB, p.size / MiB, p.type, p.logical ?? false])).toEqual([
      [1, 4, 8, '0x0c', false],
      [2, 12, 8, '0x83', false],
      [3, 20, 8, '0x83', false],
      [5, 29, 8, '0x83', true],
      [6, 45, 19, '0x83', true],
    ]);
    expect(t.partitions[0]).toMatchObject({ typeName: 'FAT32 (LBA)', bootable: true });
    expect(t.partitions[1]).toMatchObject({ typeName: 'Linux', bootable: false });
  });

  it('keeps table order when the extended partition is p2 and a primary p3 follows it', async () => {
    const disk = new Uint8Array(8 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0e, start: 2048, sectors: 2048 },
      { type: 0x05, start: 4096, sectors: 4096 },
      { type: 0x83, start: 8192, sectors: 4096 },
    ]);
    writeTableSector(disk, 4096 * S, [{ type: 0x83, start: 63, sectors: 2000 }]);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => [p.index, p.start / S, p.size / S])).toEqual([
      [1, 2048, 2048],
      [3, 8192, 4096],
      [5, 4096 + 63, 2000],
    ]);
  });

  it('stops an EBR chain that loops back on itself, with a warning', async () => {
    const disk = new Uint8Array(8 * MiB);
    writeTableSector(disk, 0, [{ type: 0x0f, start: 2048, sectors: 8192 }]);
    writeTableSector(disk, 2048 * S, [
      { type: 0x83, start: 1, sectors: 100 },
      { type: 0x05, start: 1000, sectors: 200 },
    ]);
    // The second EBR links back to the first one (relative offset 0 from the extended start).
    writeTableSector(disk, 3048 * S, [
      { type: 0x83, start: 1, sectors: 100 },
      { type: 0x05, start: 0, sectors: 200 },
    ]);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => [p.index, p.start / S])).toEqual([
      [5, 2049],
      [6, 3049],
    ]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/loops back to sector 2048/);
  });

  it('cuts a chain whose next EBR points outside the extended partition', async () => {
    const disk = new Uint8Array(8 * MiB);
    writeTableSector(disk, 0, [{ type: 0x85, start: 2048, sectors: 2048 }]);
    writeTableSector(disk, 2048 * S, [
      { type: 0x83, start: 1, sectors: 100 },
      { type: 0x05, start: 5000, sectors: 200 },
    ]);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => p.index)).toEqual([5]);
    expect(t.warnings[0]).toMatch(/outside the extended partition/);
  });

  it('reads an extended partition whose first sector is blank as holding no logicals, silently', async () => {
    const disk = new Uint8Array(4 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0c, start: 2048, sectors: 1024 },
      { type: 0x0f, start: 4096, sectors: 2048 },
    ]);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => p.index)).toEqual([1]);
    expect(t.warnings).toEqual([]);
  });

  it('ignores zero-size and type-0 entries but keeps slot numbering', async () => {
    const disk = new Uint8Array(4 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0c, start: 2048, sectors: 0 },
      { type: 0x00, start: 2048, sectors: 100 },
      { type: 0x83, start: 4096, sectors: 100 },
    ]);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => p.index)).toEqual([3]);
  });

  it('rejects overlapping partitions, naming both', async () => {
    const disk = new Uint8Array(4 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0c, start: 2048, sectors: 2048 },
      { type: 0x83, start: 4000, sectors: 100 },
    ]);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_OVERLAP');
    expect(e.message).toMatch(/Partition 1 .* overlaps partition 2/);
    expect(e.detail.indexes).toEqual([1, 2]);
  });

  it('rejects a primary overlapping the extended container, but not the logicals inside it', async () => {
    const disk = new Uint8Array(4 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0f, start: 2048, sectors: 2048 },
      { type: 0x83, start: 3000, sectors: 100 },
    ]);
    writeTableSector(disk, 2048 * S, [{ type: 0x83, start: 1, sectors: 100 }]);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_OVERLAP');
    expect(e.message).toMatch(/extended partition 1 .* overlaps partition 2/i);
  });

  it('rejects a partition past the end of the image, naming it and both sizes', async () => {
    const disk = new Uint8Array(2 * MiB);
    writeTableSector(disk, 0, [
      { type: 0x0c, start: 2048, sectors: 1024 },
      { type: 0x83, start: 3072, sectors: 2048 },
    ]);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_PAST_END');
    expect(e.message).toBe(
      `Partition 2 ends at byte ${(3072 + 2048) * S} but the image is only ${2 * MiB} bytes long: the image is truncated or its partition table is wrong.`,
    );
  });

  it('does not check the end when the size is unknown (a stream still being decoded)', async () => {
    const disk = new Uint8Array(2 * MiB);
    writeTableSector(disk, 0, [{ type: 0x0c, start: 2048, sectors: 1 << 20 }]);
    const t = await readPartitionTable(recordingSource(disk, { unknownSize: true }));
    expect(t.partitions[0].size).toBe(MiB * 512);
  });

  it('refuses random bytes with a clear message', async () => {
    const disk = new Uint8Array(64 * 1024);
    let x = 12345;
    for (let i = 0; i < disk.length; i++) disk[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    disk[510] = 0; // make sure the 1-in-65536 chance of a 55 AA signature does not apply
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_TABLE_INVALID');
    expect(e.message).toMatch(/no MBR or GPT signature and no FAT filesystem at sector 0/);
  });

  it('refuses a signed sector 0 whose entries have impossible status bytes', async () => {
    const disk = new Uint8Array(4096);
    writeTableSector(disk, 0, [{ type: 0x83, start: 1, sectors: 2, status: 0x45 }]);
    expect((await rejectionOf(readPartitionTable(new MemoryDisk(disk)))).code).toBe('PARTITION_TABLE_INVALID');
  });

  it('reports a 300-byte file as truncated', async () => {
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(new Uint8Array(300))));
    expect(e.code).toBe('IO_TRUNCATED');
    expect(e.message).toMatch(/only 300 bytes long/);
  });

  it('recognises a whole-disk FAT before reading 0x1BE as partition entries', async () => {
    const disk = new Uint8Array(MiB);
    const boot = fatBootSector({ fat32: true, label: 'resin-boot', totalSectors: 2048 });
    // Make 0x1BE look like a partition entry: a naive MBR reader would report it.
    boot.set([0x80, 0, 0, 0, 0x83, 0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 0], 0x1be);
    disk.set(boot, 0);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t).toEqual({ kind: 'none', sectorSize: 512, partitions: [], warnings: [] });
  });
});
