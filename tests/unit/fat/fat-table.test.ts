import { describe, expect, it } from 'vitest';
import { parseBootSector, type FatGeometry } from '../../../src/core/fat/boot-sector.ts';
import { FatTable } from '../../../src/core/fat/fat-table.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';

/** A minimal FAT12/16 boot sector: 512-byte sectors, 1 sector per cluster, 2 FATs, 16 root entries. */
export function bootSector(totalSectors: number, sectorsPerFat: number): Uint8Array {
  const s = new Uint8Array(512);
  const v = new DataView(s.buffer);
  s[0] = 0xeb;
  v.setUint16(11, 512, true);
  s[13] = 1;
  v.setUint16(14, 1, true);
  s[16] = 2;
  v.setUint16(17, 16, true);
  v.setUint16(19, totalSectors, true);
  s[21] = 0xf8; // BPB_Media
  v.setUint16(22, sectorsPerFat, true);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

function fat12(): { g: FatGeometry; table: FatTable } {
  const g = parseBootSector(bootSector(1000, 3), 1000 * 512);
  const bytes = new Uint8Array(g.fatBytes);
  bytes.set([0xf8, 0xff, 0xff]);
  return { g, table: new FatTable(bytes, g) };
}

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CoreError ? e.code : String(e);
  }
  return undefined;
}

describe('FAT12 packing (FAT spec §4)', () => {
  it('is FAT12 by cluster count and packs two entries in three bytes', () => {
    const { g, table } = fat12();
    expect(g.fatType).toBe(12);
    expect(g.clusterCount).toBe(1000 - 1 - 6 - 1);
    table.set(2, 0x123);
    table.set(3, 0x456);
    expect([...table.bytes.subarray(3, 6)]).toEqual([0x23, 0x61, 0x45]);
    expect(table.get(2)).toBe(0x123);
    expect(table.get(3)).toBe(0x456);
    table.set(2, 0);
    expect(table.get(3)).toBe(0x456);
    expect([...table.bytes.subarray(3, 6)]).toEqual([0x00, 0x60, 0x45]);
  });

  it('handles an entry that straddles two FAT sectors', async () => {
    const { table } = fat12();
    // cluster 341 lives at bytes 511-512: half in sector 0, half in sector 1.
    table.set(341, 0xabc);
    expect(table.get(341)).toBe(0xabc);
    expect(table.get(340)).toBe(0);
    expect(table.get(342)).toBe(0);
    const disk = new MemoryDisk(new Uint8Array(4096));
    await table.flush(disk, [0, 2048]);
    expect([...disk.bytes.subarray(511, 513)]).toEqual([...table.bytes.subarray(511, 513)]);
    expect([...disk.bytes.subarray(2048 + 511, 2048 + 513)]).toEqual([...table.bytes.subarray(511, 513)]);
  });
});

describe('allocation and chains', () => {
  it('takes the lowest free clusters and reuses freed ones first', () => {
    const { table } = fat12();
    const free = table.freeCount;
    const a = table.allocate(3);
    expect(a).toEqual([2, 3, 4]);
    table.link(a);
    expect(table.chain(2, 'a')).toEqual([2, 3, 4]);
    const b = table.allocate(2);
    table.link(b);
    expect(b).toEqual([5, 6]);
    table.release(a);
    expect(table.freeCount).toBe(free - 2);
    expect(table.allocate(4)).toEqual([2, 3, 4, 7]);
  });

  it('refuses loops, cross-links and out-of-range links when loading', () => {
    const { g } = fat12();
    const make = (entries: Array<[number, number]>): FatTable => {
      const t = new FatTable(new Uint8Array(g.fatBytes), g);
      for (const [c, v] of entries) t.set(c, v);
      return new FatTable(t.bytes.slice(), g);
    };
    expect(errorCode(() => make([[2, 3], [3, 2]]))).toBeUndefined(); // a pure cycle has no head…
    expect(errorCode(() => make([[2, 3], [3, 2]]).chain(2, 'x'))).toBe('FAT_CORRUPT'); // …so touching it fails
    expect(errorCode(() => make([[2, 3], [3, 4], [4, 3]]))).toBe('FAT_CORRUPT'); // 3 is claimed twice
    expect(errorCode(() => make([[2, 4], [3, 4], [4, 0xfff]]))).toBe('FAT_CORRUPT'); // cross-linked
    expect(errorCode(() => make([[2, 2]]))).toBe('FAT_CORRUPT'); // self loop
    expect(errorCode(() => make([[2, 5000]]))).toBe('FAT_CORRUPT'); // out of range
    expect(errorCode(() => make([[2, 3], [3, 0xfff]]).chain(3, 'x'))).toBe('FAT_CORRUPT'); // head inside a chain
    expect(errorCode(() => make([[2, 3]]).chain(2, 'x'))).toBe('FAT_CORRUPT'); // runs into a free cluster
  });
});

describe('boot sector validation', () => {
  it('rejects random bytes and broken BPBs with FAT_INVALID', () => {
    let x = 99;
    const random = Uint8Array.from({ length: 4096 }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
    expect(errorCode(() => parseBootSector(random, 1 << 20))).toBe('FAT_INVALID');
    const ok = bootSector(1000, 3);
    for (const [offset, value] of [[11, 0x10], [13, 3], [16, 0], [14, 0], [22, 0]] as const) {
      const s = ok.slice();
      s[offset] = value;
      if (offset === 11) s[12] = 0;
      if (offset === 14) s[15] = 0;
      expect(errorCode(() => parseBootSector(s, 1 << 20)), `byte ${offset}`).toBe('FAT_INVALID');
    }
    expect(errorCode(() => parseBootSector(ok, 1000 * 512 - 1))).toBe('FAT_INVALID'); // partition too small
  });

  it('refuses a FAT32-shaped BPB whose cluster count makes it FAT16', () => {
    const s = bootSector(0, 0);
    const v = new DataView(s.buffer);
    v.setUint16(17, 0, true);
    v.setUint32(32, 100_000, true);
    v.setUint32(36, 400, true);
    v.setUint32(44, 2, true);
    s[13] = 2; // ~49,600 clusters: FAT16 by count
    expect(errorCode(() => parseBootSector(s, 100_000 * 512))).toBe('FAT_UNSUPPORTED');
  });
});
