/**
 * The decision logic of findConfigPartition on hand-built tables. The "filesystems" are BPB
 * sectors plus a list of files per partition; real FAT images are covered by the interop tests.
 */
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/core/errors.ts';
import { findConfigPartition, type FatProbe } from '../../../src/core/partition/find-config-partition.ts';
import { looksLikeFatBootSector, readBpbLabel } from '../../../src/core/partition/fat-label.ts';
import { readPartitionTable } from '../../../src/core/partition/read-table.ts';
import { BASIC_DATA, buildGptDisk, ESP, fatBootSector, LINUX_FS, recordingSource, writeTableSector, type MbrEntrySpec } from './disk-builder.ts';

const MiB = 1024 * 1024;
const S = 512;

interface FsSpec {
  label?: string;
  files?: string[];
}

/** An MBR disk with one MiB per partition; `fs[i]` formats partition slot i (or a logical). */
function mbrDisk(entries: MbrEntrySpec[], fs: Record<number, FsSpec>, logicals: { type: number; fs?: FsSpec }[] = []) {
  const disk = new Uint8Array(16 * MiB);
  const files = new Map<number, Set<string>>();
  const format = (start: number, spec: FsSpec) => {
    disk.set(fatBootSector({ label: spec.label, totalSectors: 2048 }), start);
    files.set(start, new Set(spec.files ?? []));
  };
  const table = [...entries];
  if (logicals.length) table.push({ type: 0x0f, start: 8 * 2048, sectors: 8 * 2048 });
  writeTableSector(disk, 0, table);
  entries.forEach((e, i) => fs[i + 1] && format(e.start * S, fs[i + 1]));
  logicals.forEach((l, i) => {
    const ebr = (8 + 2 * i) * MiB;
    writeTableSector(disk, ebr, [{ type: l.type, start: 2048, sectors: 2048 }, i + 1 < logicals.length ? { type: 0x05, start: (2 * i + 2) * 2048, sectors: 4096 } : null]);
    if (l.fs) format(ebr + MiB, l.fs);
  });
  return { disk, files };
}

function probeFor(disk: Uint8Array, files: Map<number, Set<string>>, probed: number[] = []): FatProbe {
  return async (start) => {
    probed.push(start);
    const sector0 = disk.subarray(start, start + 512);
    if (!looksLikeFatBootSector(sector0)) return null;
    return { label: readBpbLabel(sector0), hasFile: async (p) => files.get(start)?.has(p) ?? false };
  };
}

async function choose(disk: Uint8Array, files: Map<number, Set<string>>) {
  const source = recordingSource(disk);
  const table = await readPartitionTable(source);
  source.reads.length = 0;
  const choice = await findConfigPartition(source, table, probeFor(disk, files));
  return { choice, reads: source.reads };
}

const p = (slot: number) => ({ start: slot * 2048, sectors: 2048 });

describe('findConfigPartition', () => {
  it('picks the FAT partition labelled resin-boot, reading only typed FAT partitions', async () => {
    const { disk, files } = mbrDisk(
      [{ type: 0x0c, ...p(1), active: true }, { type: 0x83, ...p(2) }, { type: 0x83, ...p(3) }],
      { 1: { label: 'resin-boot', files: ['/config.json'] }, 2: { label: 'resin-boot' } },
    );
    const { choice, reads } = await choose(disk, files);
    expect(choice).toMatchObject({ rule: 'fat-label', start: MiB, size: MiB, warnings: [] });
    expect(choice.partition?.index).toBe(1);
    expect(choice.reason).toBe('partition 1 holds a FAT filesystem labelled resin-boot');
    expect(reads.every(([o]) => o < 2 * MiB)).toBe(true); // p2/p3 never touched
  });

  it('matches labels case-insensitively and, among several, prefers the one holding /config.json', async () => {
    const { disk, files } = mbrDisk(
      [{ type: 0x0e, ...p(1) }, { type: 0x0c, ...p(2) }],
      { 1: { label: 'FLASH-BOOT' }, 2: { label: 'balena-boot', files: ['/config.json'] } },
    );
    const { choice } = await choose(disk, files);
    expect(choice.partition?.index).toBe(2);
    expect(choice.rule).toBe('fat-label');
    expect(choice.warnings).toEqual(['Partitions 1, 2 are all labelled or named like a boot partition; chose partition 2 because it holds /config.json.']);
  });

  it('chooses resin-conf (resinOS 1.x) even when it is a logical partition typed Linux', async () => {
    const { disk, files } = mbrDisk(
      [{ type: 0x0c, ...p(1) }, { type: 0x83, ...p(2) }],
      { 1: { label: 'resin-boot' } },
      [{ type: 0x83, fs: { label: 'resin-conf', files: ['/config.json'] } }, { type: 0x83 }],
    );
    const { choice } = await choose(disk, files);
    expect(choice.partition).toMatchObject({ index: 5, logical: true });
    expect(choice.rule).toBe('resin-conf');
    expect(choice.warnings).toEqual([]);
  });

  it('finds an untyped FAT partition by label, and else by /device-type.json', async () => {
    const labelled = mbrDisk([{ type: 0x83, ...p(1) }, { type: 0xda, ...p(2) }], { 2: { label: 'resin-boot', files: ['/config.json'] } });
    expect((await choose(labelled.disk, labelled.files)).choice).toMatchObject({ rule: 'fat-label', partition: { index: 2 } });
    const unlabelled = mbrDisk([{ type: 0x0c, ...p(1) }, { type: 0x0c, ...p(2) }], { 1: {}, 2: { files: ['/device-type.json'] } });
    const { choice } = await choose(unlabelled.disk, unlabelled.files);
    expect(choice).toMatchObject({ rule: 'device-type-json', partition: { index: 2 } });
    expect(choice.reason).toMatch(/partition 2 holds \/device-type.json/);
    expect(choice.warnings).toEqual(['There is no /config.json in partition 2; a new one will be created.']);
  });

  it('falls back to a FAT partition 1 loudly, and refuses when partition 1 is not FAT', async () => {
    const fat = mbrDisk([{ type: 0x0c, ...p(1) }], { 1: { label: 'boot', files: ['/config.json'] } });
    const { choice } = await choose(fat.disk, fat.files);
    expect(choice.rule).toBe('fallback-first-partition');
    expect(choice.warnings[0]).toMatch(/^WARNING: could not identify the boot partition/);
    const ext4 = mbrDisk([{ type: 0x83, ...p(1) }, { type: 0x0c, ...p(2) }], { 2: { label: 'boot' } });
    await expect(choose(ext4.disk, ext4.files)).rejects.toSatisfy(
      (e: unknown) => e instanceof CoreError && e.code === 'BOOT_PARTITION_NOT_FOUND' && /partition 1 is not a FAT filesystem/.test(e.message),
    );
  });

  it('uses the GPT name, ignoring a resin-boot name on a non-FAT partition with a warning', async () => {
    const mb = 1024 * 1024 / 512;
    const disk = buildGptDisk({
      sectorSize: 512,
      totalSectors: 16 * mb,
      diskGuid: '00000000-0000-4000-8000-000000000001',
      entries: [
        { type: LINUX_FS, guid: '00000000-0000-4000-8000-000000000002', first: 1 * mb, last: 2 * mb - 1, name: 'resin-boot' },
        { type: BASIC_DATA, guid: '00000000-0000-4000-8000-000000000003', first: 2 * mb, last: 3 * mb - 1, name: 'TOS' },
        { type: ESP, guid: '00000000-0000-4000-8000-000000000004', first: 3 * mb, last: 4 * mb - 1, name: 'RESIN-BOOT' },
      ],
    });
    disk.set(fatBootSector({ label: 'firmware', totalSectors: 2048 }), 2 * MiB);
    disk.set(fatBootSector({ totalSectors: 2048 }), 3 * MiB);
    const files = new Map([[3 * MiB, new Set(['/config.json'])]]);
    const { choice } = await choose(disk, files);
    expect(choice).toMatchObject({ rule: 'gpt-name', partition: { index: 3 }, reason: 'partition 3 is named RESIN-BOOT in the GPT' });
    expect(choice.warnings).toEqual(['Partition 1 is named resin-boot in the GPT but does not hold a FAT filesystem; it was ignored.']);
  });

  it('takes the whole disk when there is no table, sized by the BPB even on a stream', async () => {
    const disk = new Uint8Array(2 * MiB);
    disk.set(fatBootSector({ fat32: true, totalSectors: 3000 }));
    const source = recordingSource(disk, { unknownSize: true });
    const table = await readPartitionTable(source);
    const probed: number[] = [];
    const choice = await findConfigPartition(source, table, probeFor(disk, new Map([[0, new Set(['/config.json'])]]), probed));
    expect(choice).toEqual({
      partition: null,
      start: 0,
      size: 3000 * 512,
      rule: 'whole-disk',
      reason: 'the image has no partition table: the whole disk is a FAT filesystem',
      warnings: [],
    });
  });
});
