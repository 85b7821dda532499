/**
 * The app's built-in demo image (src/core/image-builder/sample-image.ts), checked with the core
 * alone; tests/interop/mkfs-sample-image.test.ts checks the same image with sfdisk, fsck.fat and
 * mtools.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FatVolume } from '../../../src/core/fat/volume.ts';
import { buildSampleImage, SAMPLE_IMAGE_NAME, type SampleImage } from '../../../src/core/image-builder/sample-image.ts';
import { SparseDisk, SPARSE_CHUNK } from '../../../src/core/image-builder/sparse-disk.ts';
import { subrangeStore } from '../../../src/core/io/subrange.ts';
import { inspectImage } from '../../../src/core/pipeline/inspect-image.ts';
import { readPartitionTable } from '../../../src/core/partition/read-table.ts';

const MiB = 1024 * 1024;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(['mbr', 'gpt'] as const)('the %s sample image', (table) => {
  let sample: SampleImage;
  beforeAll(async () => {
    sample = await buildSampleImage({ table });
  });

  it('is laid out like a balenaOS image: resin-boot FAT32 at 4 MiB, root A/B, state, data', async () => {
    const t = await readPartitionTable(sample.disk);
    expect(t.kind).toBe(table);
    expect(t.warnings).toEqual([]);
    const rows = t.partitions.map((p) => [p.index, p.start / MiB, p.size / MiB, p.name ?? null, p.logical ?? false]);
    expect(rows).toEqual(
      table === 'mbr'
        ? [[1, 4, 40, null, false], [2, 44, 16, null, false], [3, 60, 16, null, false], [5, 80, 8, null, true], [6, 92, 8, null, true]]
        : [[1, 4, 40, 'resin-boot', false], [2, 44, 16, 'resin-rootA', false], [3, 60, 16, 'resin-rootB', false], [4, 76, 8, 'resin-state', false], [5, 84, 8, 'resin-data', false]],
    );
    expect(sample.disk.size).toBe((table === 'mbr' ? 100 : 92) * MiB + MiB);
    // Sparse: the whole image costs under a MiB of memory.
    expect(sample.disk.allocatedBytes).toBeLessThan(MiB);
  });

  it('is found by name by the core inspect, unconfigured, and says it is a demo', async () => {
    const report = await inspectImage(sample.disk);
    expect(report.configPartition).toMatchObject({ index: 1, rule: table === 'gpt' ? 'gpt-name' : 'fat-label' });
    expect(report).toMatchObject({ fatType: 32, label: 'resin-boot', deviceType: 'raspberrypi4-64', installer: false, systemConnections: ['balena-sample.ignore'], warnings: [] });
    expect(report.configJson).toEqual({ deviceType: 'raspberrypi4-64', persistentLogging: false });
    expect(report.osVersion).toMatch(/demo/);
    const volume = await FatVolume.open(subrangeStore(sample.disk, 4 * MiB, 40 * MiB));
    await volume.verify();
    expect(new TextDecoder().decode(await volume.readFile('PREFLASH-DEMO.txt'))).toMatch(/demo image .* will not boot/s);
    expect(sample.name).toBe(SAMPLE_IMAGE_NAME);
  });

  it('is the same bytes on every build', async () => {
    const again = await buildSampleImage({ table });
    expect(again.disk.extents().map((e) => [e.offset, hex(e.bytes)])).toEqual(sample.disk.extents().map((e) => [e.offset, hex(e.bytes)]));
  });
});

describe('SparseDisk', () => {
  it('holds only chunks that are not zero, reads zeros elsewhere, streams and clones', async () => {
    const disk = new SparseDisk(3 * SPARSE_CHUNK + 100);
    await disk.write(SPARSE_CHUNK - 2, Uint8Array.of(1, 2, 3, 4)); // straddles chunks 0 and 1
    await disk.write(2 * SPARSE_CHUNK, new Uint8Array(SPARSE_CHUNK)); // zeros: nothing allocated
    await disk.write(3 * SPARSE_CHUNK + 99, Uint8Array.of(9)); // the short last chunk
    expect(disk.extents().map((e) => [e.offset / SPARSE_CHUNK, e.bytes.length])).toEqual([[0, SPARSE_CHUNK], [1, SPARSE_CHUNK], [3, 100]]);
    expect([...(await disk.read(SPARSE_CHUNK - 3, 6))]).toEqual([0, 1, 2, 3, 4, 0]);
    const bytes = disk.toBytes();
    expect([bytes.length, bytes[3 * SPARSE_CHUNK + 99], bytes.reduce((a, b) => a + b, 0)]).toEqual([disk.size, 9, 19]);
    const streamed: Uint8Array[] = [];
    for await (const chunk of disk.stream() as unknown as AsyncIterable<Uint8Array>) streamed.push(chunk);
    expect(Buffer.compare(Buffer.concat(streamed), bytes)).toBe(0);
    const copy = disk.clone();
    await copy.write(0, Uint8Array.of(7));
    expect([(await disk.read(0, 1))[0], (await copy.read(0, 1))[0]]).toEqual([0, 7]);
    await expect(disk.write(disk.size - 1, Uint8Array.of(1, 2))).rejects.toMatchObject({ code: 'IO_TRUNCATED' });
  });
});
