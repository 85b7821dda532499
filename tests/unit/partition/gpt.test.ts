import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { readPartitionTable } from '../../../src/core/partition/read-table.ts';
import { BASIC_DATA, buildGptDisk, ESP, LINUX_FS, recordingSource, type GptSpec } from './disk-builder.ts';
import { rejectionOf } from '../../helpers/core-errors.ts';

const DISK_GUID = '5A6B7C8D-1234-4ABC-9DEF-0123456789AB';

function spec(sectorSize: number): GptSpec {
  // Offsets in bytes are the same for every sector size; LBAs scale.
  const lba = (bytes: number) => bytes / sectorSize;
  return {
    sectorSize,
    totalSectors: lba(4 * 1024 * 1024),
    diskGuid: DISK_GUID,
    entries: [
      { type: BASIC_DATA, guid: '11111111-2222-3333-4444-555555555555', first: lba(65536), last: lba(131072) - 1, name: 'nvfw' },
      { slot: 3, type: ESP, guid: 'AABBCCDD-EEFF-0011-2233-445566778899', first: lba(1048576), last: lba(2097152) - 1, name: 'resin-boot' },
      { slot: 4, type: LINUX_FS, guid: '01020304-0506-0708-090A-0B0C0D0E0F10', first: lba(2097152), last: lba(3145728) - 1, name: 'résin-rootA ✓' },
    ],
  };
}

/** Flips a byte inside a region and, when asked, fixes the header CRC so only the array CRC fails. */
function corruptEntries(disk: Uint8Array, s: GptSpec, headerLba: number): void {
  const ss = s.sectorSize;
  const dv = new DataView(disk.buffer);
  const entriesLba = Number(dv.getBigUint64(headerLba * ss + 0x48, true));
  disk[entriesLba * ss + 128 * 3 + 60] ^= 0xff; // inside entry 4's name
}

function corruptHeader(disk: Uint8Array, s: GptSpec, headerLba: number): void {
  disk[headerLba * s.sectorSize + 0x28] ^= 0x01; // FirstUsableLBA: covered by the header CRC
}

function setAlternateLba(disk: Uint8Array, s: GptSpec, value: number): void {
  const h = disk.subarray(s.sectorSize, s.sectorSize + 92);
  const dv = new DataView(h.buffer, h.byteOffset);
  dv.setBigUint64(0x20, BigInt(value), true);
  dv.setUint32(0x10, 0, true);
  dv.setUint32(0x10, crc32(h), true);
}

describe('readPartitionTable — GPT', () => {
  it('reads entries, names (UTF-16LE), mixed-endian GUIDs and the disk GUID, without reading the end', async () => {
    const s = spec(512);
    const source = recordingSource(buildGptDisk(s));
    const t = await readPartitionTable(source);
    expect(t.kind).toBe('gpt');
    expect(t.sectorSize).toBe(512);
    expect(t.diskId).toBe(DISK_GUID);
    expect(t.warnings).toEqual([]);
    expect(t.partitions).toEqual([
      { index: 1, start: 65536, size: 65536, type: BASIC_DATA, typeName: 'Microsoft basic data', name: 'nvfw', guid: '11111111-2222-3333-4444-555555555555' },
      { index: 4, start: 1048576, size: 1048576, type: ESP, typeName: 'EFI System', name: 'resin-boot', guid: 'AABBCCDD-EEFF-0011-2233-445566778899' },
      { index: 5, start: 2097152, size: 1048576, type: LINUX_FS, typeName: 'Linux filesystem', name: 'résin-rootA ✓', guid: '01020304-0506-0708-090A-0B0C0D0E0F10' },
    ]);
    const furthest = Math.max(...source.reads.map(([o, n]) => o + n));
    expect(furthest).toBeLessThanOrEqual(2 * 512 + 128 * 128);
  });

  it.each([1024, 2048, 4096])('detects %i-byte logical sectors', async (ss) => {
    const t = await readPartitionTable(new MemoryDisk(buildGptDisk(spec(ss))));
    expect(t.sectorSize).toBe(ss);
    expect(t.partitions.map((p) => [p.index, p.start, p.size, p.name])).toEqual([
      [1, 65536, 65536, 'nvfw'],
      [4, 1048576, 1048576, 'resin-boot'],
      [5, 2097152, 1048576, 'résin-rootA ✓'],
    ]);
  });

  it('works on a source of unknown size', async () => {
    const t = await readPartitionTable(recordingSource(buildGptDisk(spec(4096)), { unknownSize: true }));
    expect(t.partitions).toHaveLength(3);
  });

  it('falls back to the backup in the last sector when the primary header CRC is wrong', async () => {
    const s = spec(512);
    const disk = buildGptDisk(s);
    corruptHeader(disk, s, 1);
    const t = await readPartitionTable(new MemoryDisk(disk));
    expect(t.partitions.map((p) => p.name)).toEqual(['nvfw', 'resin-boot', 'résin-rootA ✓']);
    expect(t.warnings).toEqual([expect.stringMatching(/primary GPT is damaged \(header CRC32 mismatch .*\); used the backup header at LBA 8191/)]);
  });

  it('follows AlternateLBA when only the primary entry array is damaged (backup not in the last sector)', async () => {
    const s = spec(4096);
    const built = buildGptDisk(s);
    const disk = new Uint8Array(built.length + 64 * 4096); // the image grew after the table was written
    disk.set(built);
    corruptEntries(disk, s, 1);
    const source = recordingSource(disk);
    const t = await readPartitionTable(source);
    expect(t.partitions).toHaveLength(3);
    expect(t.warnings[0]).toMatch(/entry-array CRC32 mismatch.*used the backup header at LBA 1023\./);
    expect(source.reads.some(([o]) => o === (disk.length / 4096 - 1) * 4096)).toBe(false); // the last sector was not read
  });

  it('reports GPT_CRC_MISMATCH naming each failed CRC when both copies are bad', async () => {
    const s = spec(512);
    const disk = buildGptDisk(s);
    corruptEntries(disk, s, 1);
    corruptHeader(disk, s, 8191);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('GPT_CRC_MISMATCH');
    expect(e.message).toMatch(/primary header at LBA 1: entry-array CRC32 mismatch .*; backup header at LBA 8191: header CRC32 mismatch/);
  });

  it('does not look at the end of an unknown-size source except where the damaged header points', async () => {
    const s = spec(512);
    const disk = buildGptDisk(s);
    corruptHeader(disk, s, 1);
    setAlternateLba(disk, s, 4000); // after the CRC fix below the header is valid again…
    corruptHeader(disk, s, 1); // …and broken again, so AlternateLBA 4000 is only a hint
    const source = recordingSource(disk, { unknownSize: true });
    const e = await rejectionOf(readPartitionTable(source));
    expect(e.code).toBe('GPT_CRC_MISMATCH');
    expect(e.message).toMatch(/backup header at LBA 4000: no "EFI PART" signature/);
    expect(source.reads.some(([o]) => o >= 8191 * 512)).toBe(false);
  });

  it('refuses a protective MBR without any GPT header', async () => {
    const s = spec(512);
    const disk = buildGptDisk(s);
    disk.fill(0, 512, 1024);
    disk.fill(0, disk.length - 512);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_TABLE_INVALID');
    expect(e.message).toMatch(/protective MBR but no valid GPT/);
  });

  it('rejects overlapping GPT entries and entries that end before they start', async () => {
    const s = spec(512);
    s.entries[2].first = 2097152 / 512 - 8;
    const overlap = await rejectionOf(readPartitionTable(new MemoryDisk(buildGptDisk(s))));
    expect(overlap.code).toBe('PARTITION_OVERLAP');
    expect(overlap.message).toMatch(/Partition 4 .* overlaps partition 5/);
    const t = spec(512);
    t.entries[0].last = t.entries[0].first - 1;
    const backwards = await rejectionOf(readPartitionTable(new MemoryDisk(buildGptDisk(t))));
    expect(backwards.code).toBe('PARTITION_TABLE_INVALID');
    expect(backwards.message).toMatch(/GPT partition 1 ends/);
  });

  it('rejects a GPT partition past the end of a truncated image', async () => {
    const disk = buildGptDisk(spec(512)).slice(0, 2.5 * 1024 * 1024);
    const e = await rejectionOf(readPartitionTable(new MemoryDisk(disk)));
    expect(e.code).toBe('PARTITION_PAST_END');
    expect(e.message).toMatch(/^Partition 5 ends at byte 3145728 but the image is only 2621440 bytes long/);
  });
});
