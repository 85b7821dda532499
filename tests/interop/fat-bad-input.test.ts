/**
 * FatVolume refuses what it cannot trust and reports misuse with stable codes: damaged chains
 * (crafted by editing FAT bytes of mkfs.vfat volumes), dirty volumes, non-FAT bytes, a full
 * partition (leaving every byte as it was) and a full FAT16 root directory.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';
import { rejectionOf } from '../helpers/core-errors.ts';
import { parseBootSector } from '../../src/core/fat/boot-sector.ts';
import { FatVolume } from '../../src/core/fat/index.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { FAT_TOOLS, fsck, loadDisk, loadDiskInto, makeImage, mcopyIn, mmd, saveDisk, scratch, type FatKind } from '../helpers/fat-model.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const ok = hasTools(...FAT_TOOLS);
const t = tempDir('fat-bad-', { memory: true });
const seeds = new Map<FatKind, Uint8Array>();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(() => {
  if (!ok) return;
  writeFileSync(t.path('a'), new Uint8Array(5000).fill(1));
  writeFileSync(t.path('b'), new Uint8Array(5000).fill(2));
  for (const kind of ['fat12', 'fat16', 'fat32'] as FatKind[]) {
    const img = makeImage(t.path(`${kind}.img`), kind);
    mcopyIn(img, t.path('a'), 'a.bin');
    mcopyIn(img, t.path('b'), 'b.bin');
    mmd(img, 'dir');
    mcopyIn(img, t.path('a'), 'dir/inner.bin');
    seeds.set(kind, loadDisk(img).bytes);
  }
});
afterAll(() => t.cleanup());

let copies = 0;
beforeEach(() => {
  copies = 0;
});

/**
 * A copy of `bytes` in one of four reused buffers (fat-model.ts scratch()), taken in turn from the
 * first at each test: no test holds more than four copies at once. A fresh 64 MiB copy cost ~0.3 s
 * of page faults on the test VM, a copy into a buffer already touched ~5 ms.
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  const to = scratch(`copy${copies++ % 4}`, bytes.length);
  to.set(bytes);
  return to;
}

function disk(kind: FatKind): MemoryDisk {
  return new MemoryDisk(copyOf(seeds.get(kind)!));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CoreError) {
      expect(e.message).toMatch(/^[A-Z"].*\.$/); // a complete sentence
      return e.code;
    }
    throw e;
  }
  return 'no error';
}

/** Sets a FAT entry in every copy (so the copies still agree). */
function setFat(bytes: Uint8Array, cluster: number, value: number): void {
  const g = parseBootSector(bytes.subarray(0, 512), bytes.length);
  for (let i = 0; i < g.numFats; i++) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + g.fatOffset + i * g.fatBytes, g.fatBytes);
    if (g.fatType === 32) v.setUint32(cluster * 4, value, true);
    else if (g.fatType === 16) v.setUint16(cluster * 2, value, true);
    else {
      const off = (cluster * 3) >> 1;
      const w = v.getUint16(off, true);
      v.setUint16(off, cluster & 1 ? (w & 0xf) | (value << 4) : (w & 0xf000) | value, true);
    }
  }
}

async function chainOf(d: MemoryDisk, path: string): Promise<number[]> {
  const vol = await FatVolume.open(new MemoryDisk(copyOf(d.bytes)));
  const s = (await vol.stat(path))!;
  return vol.fat.chain(s.firstCluster, path);
}

describe.skipIf(!ok).each(['fat12', 'fat16', 'fat32'] as FatKind[])('%s: damaged structures', (kind) => {
  it('a chain looping back to its own head: reads, writes and verify refuse with FAT_CORRUPT', async () => {
    const d = disk(kind);
    const chain = await chainOf(d, 'a.bin');
    setFat(d.bytes, chain[chain.length - 1], chain[0]);
    const vol = await FatVolume.open(d);
    expect(await codeOf(vol.readFile('a.bin'))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.writeFile('a.bin', enc('x')))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.remove('a.bin'))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.verify())).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.readFile('b.bin'))).toBe('no error'); // the rest stays readable
  });

  it('a chain looping into its middle, and two chains merging: open refuses with FAT_CORRUPT', async () => {
    const d = disk(kind);
    const a = await chainOf(d, 'a.bin');
    const b = await chainOf(d, 'b.bin');
    setFat(d.bytes, a[a.length - 1], a[1]);
    expect(await codeOf(FatVolume.open(d))).toBe('FAT_CORRUPT');
    const e = disk(kind);
    setFat(e.bytes, b[0], a[1]); // b runs into a's second cluster
    expect(await codeOf(FatVolume.open(e))).toBe('FAT_CORRUPT');
  });

  it('one chain running into another file: touching either refuses', async () => {
    const d = disk(kind);
    const a = await chainOf(d, 'a.bin');
    const b = await chainOf(d, 'b.bin');
    setFat(d.bytes, a[a.length - 1], b[0]);
    const vol = await FatVolume.open(d);
    expect(await codeOf(vol.writeFile('b.bin', enc('x')))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.remove('a.bin'))).toBe('FAT_CORRUPT');
    expect(['FAT_CORRUPT', 'SELF_CHECK_FAILED']).toContain(await codeOf(vol.verify()));
  });

  it('two directory entries sharing one chain: changing one refuses, verify fails', async () => {
    const d = disk(kind);
    const vol0 = await FatVolume.open(new MemoryDisk(copyOf(d.bytes)));
    const root = await vol0.directory(vol0.rootCluster, '');
    const a = root.find('a.bin')!;
    const b = root.find('b.bin')!;
    const bOffset = root.slotOffset(b.slot);
    d.bytes.set(root.slot(a.slot).subarray(20, 32), bOffset + 20); // b.bin now claims a.bin's clusters
    const vol = await FatVolume.open(d);
    expect(await codeOf(vol.remove('a.bin'))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.writeFile('b.bin', enc('x')))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.verify())).toBe('SELF_CHECK_FAILED');
  });

  it('clusters out of range, in the FAT or in a directory entry', async () => {
    const d = disk(kind);
    const a = await chainOf(d, 'a.bin');
    const g = parseBootSector(d.bytes.subarray(0, 512), d.bytes.length);
    setFat(d.bytes, a[0], g.maxCluster + 3);
    expect(await codeOf(FatVolume.open(d))).toBe('FAT_CORRUPT');

    const e = disk(kind);
    const vol0 = await FatVolume.open(new MemoryDisk(copyOf(e.bytes)));
    const root = await vol0.directory(vol0.rootCluster, '');
    const off = root.slotOffset(root.find('b.bin')!.slot);
    new DataView(e.bytes.buffer).setUint16(off + 26, (g.maxCluster + 1) & 0xffff, true);
    if (g.fatType === 32) new DataView(e.bytes.buffer).setUint16(off + 20, (g.maxCluster + 1) >>> 16, true);
    const vol = await FatVolume.open(e);
    expect(await codeOf(vol.readFile('b.bin'))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.writeFile('b.bin', enc('x')))).toBe('FAT_CORRUPT');
  });

  it('a file size that does not match its chain', async () => {
    const d = disk(kind);
    const vol0 = await FatVolume.open(new MemoryDisk(copyOf(d.bytes)));
    const dir = await vol0.directory((await vol0.stat('dir'))!.firstCluster, 'dir');
    const off = dir.slotOffset(dir.find('inner.bin')!.slot);
    new DataView(d.bytes.buffer).setUint32(off + 28, 50_000, true);
    const vol = await FatVolume.open(d);
    expect(await codeOf(vol.readFile('dir/inner.bin'))).toBe('FAT_CORRUPT');
    expect(await codeOf(vol.writeFile('dir/inner.bin', enc('x')))).toBe('FAT_CORRUPT');
    expect(['FAT_CORRUPT', 'SELF_CHECK_FAILED']).toContain(await codeOf(vol.verify()));
  });

  it('FAT copies that differ', async () => {
    const d = disk(kind);
    const g = parseBootSector(d.bytes.subarray(0, 512), d.bytes.length);
    d.bytes[g.fatOffset + g.fatBytes + 100] ^= 0x10;
    expect(await codeOf(FatVolume.open(d))).toBe('FAT_CORRUPT');
  });
});

describe.skipIf(!ok)('dirty volumes and non-FAT bytes', () => {
  it('opens a dirty volume whose structures are sound, with a FAT_REPAIRED warning, and marks it clean when it writes', async () => {
    const cases: [FatKind, (b: Uint8Array) => void][] = [
      ['fat16', (b) => setFat(b, 1, 0x7fff)],
      ['fat32', (b) => setFat(b, 1, 0x07ffffff)],
      ['fat16', (b) => (b[0x25] |= 1)],
      ['fat12', (b) => (b[0x25] |= 1)],
      ['fat32', (b) => (b[0x41] |= 1)],
    ];
    for (const [kind, damage] of cases) {
      const d = disk(kind);
      damage(d.bytes);
      const vol = await FatVolume.open(d);
      expect(vol.warnings.map((w) => w.code)).toEqual(['FAT_REPAIRED']);
      expect(vol.warnings[0].message).toMatch(/not cleanly unmounted/);
      await vol.writeFile('new.txt', enc('hello'));
      await vol.verify();
      const img = t.path(`dirty-${kind}.img`);
      saveDisk(d, img);
      expect(fsck(img).clean, fsck(img).output).toBe(true);
      expect((await FatVolume.open(new MemoryDisk(copyOf(d.bytes)))).warnings).toEqual([]);
    }
  });

  it('refuses FAT_DIRTY, naming the damage, when a dirty volume is also damaged', async () => {
    const d = disk('fat16');
    d.bytes[0x25] |= 1;
    const a = await chainOf(disk('fat16'), 'a.bin');
    setFat(d.bytes, a[0], 0xffff); // a.bin now one cluster long: its size says two
    const e = await rejectionOf(FatVolume.open(d));
    expect(e.code).toBe('FAT_DIRTY');
    expect(e.message).toMatch(/not cleanly unmounted.*"a\.bin" is 5000 bytes long but has 1 clusters/);
  });

  it('refuses random bytes, zeros and a truncated volume with FAT_INVALID', async () => {
    let x = 1;
    const random = Uint8Array.from({ length: 1 << 20 }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
    expect(await codeOf(FatVolume.open(new MemoryDisk(random)))).toBe('FAT_INVALID');
    expect(await codeOf(FatVolume.open(new MemoryDisk(new Uint8Array(1 << 20))))).toBe('FAT_INVALID');
    expect(await codeOf(FatVolume.open(new MemoryDisk(new Uint8Array(100))))).toBe('FAT_INVALID');
    expect(await codeOf(FatVolume.open(new MemoryDisk(copyOf(seeds.get('fat16')!.subarray(0, 20 << 20)))))).toBe('FAT_INVALID');
  });
});

describe.skipIf(!ok)('layouts read differently by different systems', () => {
  it('refuses a FAT32-formatted volume with FAT16 cluster counts (mkfs.vfat -F 32 -S 4096, 64 MiB) with FAT_UNSUPPORTED', async () => {
    const img = t.path('fat32-too-few.img');
    runOk('mkfs.vfat', ['-C', '-F', '32', '-S', '4096', img, String(64 * 1024)]);
    expect(await codeOf(FatVolume.open(loadDiskInto(img, 'too-few')))).toBe('FAT_UNSUPPORTED');
  });
});

describe.skipIf(!ok)('space', () => {
  it('a full partition: FAT_NO_SPACE before anything changes', async () => {
    const d = disk('fat12');
    const vol = await FatVolume.open(d);
    const before = d.bytes.slice();
    const free = vol.freeBytes();
    let err: unknown;
    try {
      await vol.writeFile('huge.bin', new Uint8Array(free + 1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('FAT_NO_SPACE');
    expect((err as CoreError).message).toBe(`The boot partition is full: ${free + vol.bytesPerCluster} bytes needed, ${free} free.`);
    const own = Math.ceil(5000 / vol.bytesPerCluster) * vol.bytesPerCluster; // a.bin's clusters
    expect(await codeOf(vol.writeFile('a.bin', new Uint8Array(free + own + 1)))).toBe('FAT_NO_SPACE');
    await vol.flush();
    expect(Buffer.compare(before, d.bytes)).toBe(0);

    await vol.writeFile('a.bin', new Uint8Array(free + own)); // exactly fills it, reusing a.bin's clusters
    expect(vol.freeBytes()).toBe(0);
    expect(await codeOf(vol.writeFile('one.bin', enc('1')))).toBe('FAT_NO_SPACE');
    expect(await codeOf(vol.mkdir('new-dir'))).toBe('FAT_NO_SPACE');
    await vol.writeFile('empty.txt', new Uint8Array(0)); // needs no cluster
    await vol.remove('b.bin');
    await vol.writeFile('one.bin', enc('1'));
    await vol.verify();
    saveDisk(d, t.path('full.img'));
    const f = fsck(t.path('full.img'));
    expect(f.clean, f.output).toBe(true);
  });

  it('a full FAT16 root directory: FAT_ROOT_FULL with the entry count, volume still clean', async () => {
    const d = disk('fat16');
    const vol = await FatVolume.open(d);
    let written = 0;
    let err: unknown;
    for (let i = 0; i < 600 && !err; i++) {
      try {
        await vol.writeFile(`F${i}.TXT`, new Uint8Array(0));
        written++;
      } catch (e) {
        err = e;
      }
    }
    expect((err as CoreError).code).toBe('FAT_ROOT_FULL');
    expect((err as CoreError).message).toMatch(/root directory of this FAT16 filesystem is full \(512 entries\)/);
    // label + a.bin + b.bin + dir (mtools gave "dir" an 8.3 entry) already used 4 slots.
    expect(written).toBe(512 - 4);
    expect(await codeOf(vol.mkdir('A long folder name'))).toBe('FAT_ROOT_FULL');
    await vol.writeFile('dir/still fine in a subfolder.txt', enc('ok'));
    await vol.verify();
    saveDisk(d, t.path('rootfull.img'));
    const f = fsck(t.path('rootfull.img'));
    expect(f.clean, f.output).toBe(true);
  });
});

describe.skipIf(!ok)('misuse', () => {
  it('reports each misuse with its code', async () => {
    const vol = await FatVolume.open(disk('fat16'));
    expect(await codeOf(vol.writeFile('missing/x.txt', enc('x')))).toBe('FAT_NOT_FOUND');
    expect(await codeOf(vol.writeFile('a.bin/x.txt', enc('x')))).toBe('FAT_NOT_A_DIRECTORY');
    expect(await codeOf(vol.writeFile('DIR', enc('x')))).toBe('FAT_IS_A_DIRECTORY');
    expect(await codeOf(vol.writeFile('/', enc('x')))).toBe('FAT_IS_A_DIRECTORY');
    expect(await codeOf(vol.readFile('dir'))).toBe('FAT_IS_A_DIRECTORY');
    expect(await codeOf(vol.readFile('nothing.txt'))).toBe('FAT_NOT_FOUND');
    expect(await codeOf(vol.mkdir('dir'))).toBe('FAT_EXISTS');
    expect(await codeOf(vol.mkdir('a.bin'))).toBe('FAT_EXISTS');
    expect(await codeOf(vol.mkdir('/'))).toBe('FAT_EXISTS');
    expect(await codeOf(vol.mkdir('x/y'))).toBe('FAT_NOT_FOUND');
    expect(await codeOf(vol.mkdir('a.bin/y', { recursive: true }))).toBe('FAT_NOT_A_DIRECTORY');
    expect(await codeOf(vol.remove('dir'))).toBe('FAT_DIRECTORY_NOT_EMPTY');
    expect(await codeOf(vol.remove('nothing'))).toBe('FAT_NOT_FOUND');
    expect(await codeOf(vol.writeFile('a\\b.txt', enc('x')))).toBe('FAT_BAD_NAME');
    expect(await codeOf(vol.writeFile('what?.txt', enc('x')))).toBe('FAT_BAD_NAME');
    expect(await codeOf(vol.exists('bad|name'))).toBe('FAT_BAD_NAME');
    expect(await codeOf(vol.mkdir('dir', { recursive: true }))).toBe('no error');
  });
});

describe.skipIf(!ok)('lost clusters', () => {
  it('a cluster already lost in the input does not stop a write; one this write loses fails the self-check', async () => {
    const d = disk('fat16');
    const g = parseBootSector(d.bytes.subarray(0, 512), d.bytes.length);
    // Mark a high free cluster end-of-chain in both FAT copies: allocated, owned by no file.
    const lostCluster = g.maxCluster - 3;
    for (let copy = 0; copy < g.numFats; copy++) {
      const at = g.fatOffset + copy * g.fatBytes + lostCluster * 2;
      d.bytes[at] = 0xff;
      d.bytes[at + 1] = 0xff;
    }
    const vol = await FatVolume.open(d);
    await vol.writeFile('config.json', enc('{"hostname":"x"}'));
    await vol.verify(); // the pre-existing lost cluster is not ours to judge

    // Now lose a cluster ourselves: allocate one through the FAT and attach it to nothing.
    vol.fat.allocate(1);
    expect(await codeOf(vol.verify())).toBe('SELF_CHECK_FAILED');
  });
});
