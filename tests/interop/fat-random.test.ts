/**
 * Randomized sequences (seeded, so reproducible) of mkdir / write / overwrite / delete on FAT12,
 * FAT16 and FAT32 volumes made by mkfs.vfat, checked against a Map-based model after every
 * operation, by verify() along the way, and at the end by fsck.fat, mtools (full listing and every
 * file's bytes), FAT #1 == FAT #2 and FSInfo == recount. A failed operation must write nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FatVolume } from '../../src/core/fat/index.ts';
import type { ByteStore } from '../../src/core/io/byte-source.ts';
import type { MemoryDisk } from '../../src/core/io/memory.ts';
import { expectToolsHappy, FAT_TOOLS, FsModel, loadDisk, makeImage, mcopyIn, mmd, mtoolsPaths, mtype, prng, type FatKind } from '../helpers/fat-model.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';
import { codeOrNull } from '../helpers/core-errors.ts';

const ok = hasTools(...FAT_TOOLS);
const t = tempDir('fat-random-');
afterAll(() => t.cleanup());

/** Counts writes, so a failed operation can be shown to have written nothing. */
class CountingStore implements ByteStore {
  writes = 0;
  constructor(readonly inner: MemoryDisk) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return this.inner.read(offset, length);
  }
  write(offset: number, bytes: Uint8Array): Promise<void> {
    this.writes++;
    return this.inner.write(offset, bytes);
  }
}

type Rng = ReturnType<typeof prng>;

function randomName(r: Rng): string {
  const n = r.int(25);
  switch (r.int(7)) {
    case 0: return `FILE${n}.TXT`;
    case 1: return `note${n}.txt`;
    case 2: return `Mixed${n}.Cfg`;
    case 3: return `long file name number ${n}.txt`;
    case 4: return r.int(2) ? `Café ${n} Ü.txt` : `Ωmega ${n}.bin`;
    case 5: return `${'A very long name that needs several long-name entries '.repeat(1 + r.int(3))}${n}.nmconnection`;
    default: return `d${n}`;
  }
}

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

function randomData(r: Rng, bpc: number): Uint8Array {
  const sizes = [0, 1, 37, bpc - 1, bpc, bpc + 1, 2 * bpc, 3 * bpc + 7, r.int(20_000), r.int(40_000), r.int(3000)];
  const out = new Uint8Array(r.pick(sizes));
  for (let i = 0; i < out.length; i += 97) out[i] = r.int(256);
  return out;
}

function join2(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

async function checkPath(vol: FatVolume, model: FsModel, path: string): Promise<void> {
  const want = model.get(path);
  const got = await vol.stat(path);
  if (!want) return expect(got, path).toBeNull();
  expect(got, path).not.toBeNull();
  expect(got!.isDirectory, path).toBe(want.data === null);
  if (want.data) {
    expect(got!.size, path).toBe(want.data.length);
    expect(Buffer.compare(await vol.readFile(path), want.data), path).toBe(0);
  }
  const parent = model.parentOf(want.path);
  const listed = (await vol.readdir(parent)).map((e) => e.name).sort();
  const expected = model.children(parent).map((k) => model.entries.get(k)!.path.split('/').pop()!).sort();
  expect(listed, `listing of "${parent}"`).toEqual(expected);
}

async function runSequence(kind: FatKind, seed: number, ops: number, mustHappen: string[], rootShare = 0): Promise<void> {
  const img = t.path(`${kind}-${seed}.img`);
  makeImage(img, kind);
  writeFileSync(t.path('seed'), 'seeded by mtools\n');
  mcopyIn(img, t.path('seed'), 'seed.txt');
  mmd(img, 'Seed Dir');
  mcopyIn(img, t.path('seed'), 'Seed Dir/inner file.bin');
  const model = new FsModel();
  const seedBytes = new Uint8Array(readFileSync(t.path('seed')));
  model.write('seed.txt', seedBytes);
  model.mkdir('Seed Dir');
  model.write('Seed Dir/inner file.bin', seedBytes);

  const disk = loadDisk(img);
  const store = new CountingStore(disk);
  const vol = await FatVolume.open(store, { timestamp: new Date('2030-03-04T05:06:08Z') });
  const bpc = vol.bytesPerCluster;
  const r = prng(seed);
  const stats: Record<string, number> = {};
  const count = (k: string): void => void (stats[k] = (stats[k] ?? 0) + 1);

  for (let op = 0; op < ops; op++) {
    const dirs = ['', ...[...model.entries.values()].filter((e) => e.data === null).map((e) => e.path)];
    const files = [...model.entries.values()].filter((e) => e.data !== null).map((e) => e.path);
    const all = [...model.entries.values()].map((e) => e.path);
    const roll = r.int(100);
    await vol.flush();
    const writesBefore = store.writes;
    let path: string;
    let code: string | null;
    if (roll < 45 || (roll < 60 && files.length === 0)) {
      path = join2(r.next() < rootShare ? '' : r.pick(dirs), randomName(r));
      if (r.int(4) === 0) path = swapCase(path);
      const data = randomData(r, bpc);
      code = await codeOrNull(vol.writeFile(path, data));
      const existing = model.get(path);
      if (existing?.data === null) expect(code, path).toBe('FAT_IS_A_DIRECTORY');
      else if (code === null) model.write(path, data);
      else expect(['FAT_NO_SPACE', 'FAT_ROOT_FULL'], path).toContain(code);
      count(code ?? (existing ? 'overwrite' : 'create'));
    } else if (roll < 60) {
      path = r.pick(files);
      if (r.int(2)) path = swapCase(path);
      const data = randomData(r, bpc);
      code = await codeOrNull(vol.writeFile(path, data));
      if (code === null) model.write(path, data);
      else expect(code, path).toBe('FAT_NO_SPACE');
      count(code ?? 'overwrite');
    } else if (roll < 75) {
      path = r.int(4) === 0 && all.length > 0 ? swapCase(r.pick(all)) : join2(r.next() < rootShare ? '' : r.pick(dirs), randomName(r));
      code = await codeOrNull(vol.mkdir(path));
      if (model.get(path)) expect(code, path).toBe('FAT_EXISTS');
      else if (code === null) model.mkdir(path);
      else expect(['FAT_NO_SPACE', 'FAT_ROOT_FULL'], path).toContain(code);
      count(code ?? 'mkdir');
    } else {
      if (all.length === 0) continue;
      path = r.pick(all);
      if (r.int(3) === 0) path = swapCase(path);
      const entry = model.get(path)!;
      code = await codeOrNull(vol.remove(path));
      if (entry.data === null && model.children(entry.path).length > 0) expect(code, path).toBe('FAT_DIRECTORY_NOT_EMPTY');
      else {
        expect(code, path).toBeNull();
        model.remove(path);
      }
      count(code ?? 'remove');
    }
    if (code !== null) {
      await vol.flush();
      expect(store.writes, `failed ${path} must write nothing`).toBe(writesBefore);
    }
    await checkPath(vol, model, path);
    if (op % 50 === 49) await vol.verify();
  }

  await vol.verify();
  expectToolsHappy(img, disk);
  expect(mtoolsPaths(img)).toEqual(model.listing());
  const out = t.path(`${kind}-${seed}-out`);
  runOk('mkdir', ['-p', out]);
  if (model.children('').length > 0) runOk('mcopy', ['-s', '-n', '-i', img, '::/*', out]);
  for (const e of model.entries.values()) {
    if (e.data) expect(Buffer.compare(readFileSync(join(out, e.path)), e.data), e.path).toBe(0);
  }
  const someFile = [...model.entries.values()].find((e) => e.data && e.data.length > 0);
  if (someFile) expect(Buffer.compare(mtype(img, someFile.path), someFile.data!)).toBe(0);
  if (process.env.FAT_DEBUG) console.log(kind, seed, JSON.stringify(stats));
  // Every kind of outcome happened, so the sequence really exercised the writer.
  for (const k of ['create', 'overwrite', 'mkdir', 'remove', 'FAT_EXISTS', 'FAT_DIRECTORY_NOT_EMPTY', ...mustHappen]) expect(stats[k] ?? 0, k).toBeGreaterThan(0);
}

describe.skipIf(!ok)('randomized operation sequences against a model', () => {
  it.each([
    ['fat12', 11],
    ['fat12', 12],
    ['fat16', 21],
    ['fat32', 31],
    ['fat16-4k', 41],
  ] as Array<[FatKind, number]>)('%s, seed %i: 350 operations', async (kind, seed) => {
    await runSequence(kind, seed, 350, []);
  });

  it('fat12-tiny (256 KiB, 64 root entries), seed 51: 300 operations that run out of space and root slots', async () => {
    await runSequence('fat12-tiny', 51, 300, ['FAT_NO_SPACE', 'FAT_ROOT_FULL'], 0.6);
  });
});
