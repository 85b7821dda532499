/**
 * Test helpers for the FAT layer: fixtures made with mkfs.vfat + mtools, independent checks with
 * fsck.fat and mtools, FAT-copy / FSInfo checks, and a tiny in-memory model of a file tree.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { expect } from 'vitest';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { parseBootSector } from '../../src/core/fat/boot-sector.ts';
import { parseFsInfo } from '../../src/core/fat/fs-info.ts';
import { run, runBytes, runOk } from './tools.ts';
import { xorshift32 } from './xorshift.ts';

export type FatKind = 'fat12' | 'fat16' | 'fat32' | 'fat16-4k' | 'fat12-tiny';

/** mkfs.vfat arguments and size in KiB; fat16 is shaped like a balenaOS resin-boot. */
export const FAT_KINDS: Record<FatKind, { args: string[]; kib: number }> = {
  fat12: { args: ['-F', '12', '-n', 'SMALL'], kib: 2048 },
  fat16: { args: ['-F', '16', '-S', '512', '-s', '4', '-R', '4', '-n', 'resin-boot'], kib: 40960 },
  fat32: { args: ['-F', '32', '-n', 'RESIN-BOOT'], kib: 65536 },
  'fat16-4k': { args: ['-F', '16', '-S', '4096', '-s', '1'], kib: 40960 },
  /** 256 KiB, 64 root entries: fills up, so space errors happen in randomized runs. */
  'fat12-tiny': { args: ['-F', '12', '-r', '64'], kib: 256 },
};

export const FAT_TOOLS = ['mkfs.vfat', 'fsck.fat', 'mcopy', 'mmd', 'mtype', 'mdir'];

/** Makes an image file with a fixed volume id (so runs are comparable). */
export function makeImage(path: string, kind: FatKind, extraArgs: string[] = []): string {
  const { args, kib } = FAT_KINDS[kind];
  runOk('mkfs.vfat', ['-C', '-i', '12345678', ...args, ...extraArgs, path, String(kib)]);
  return path;
}

export function mcopyIn(image: string, hostFile: string, target: string): void {
  runOk('mcopy', ['-i', image, hostFile, `::/${target}`]);
}

export function mmd(image: string, target: string): void {
  runOk('mmd', ['-i', image, `::/${target}`]);
}

export function loadDisk(path: string): MemoryDisk {
  return new MemoryDisk(new Uint8Array(readFileSync(path)));
}

const BLOCK = 64 * 1024;

const slots = new Map<string, Uint8Array>();

/**
 * A buffer of `size` bytes that is reused by every later call with the same `slot` (it only grows).
 * Why: a fresh buffer pays a page fault per 4 KiB page the first time it is touched, which on the
 * 2-core test VM is ~4.5 ms of CPU per MiB (a 64 MiB `slice()`: 0.3 s; loading a 300 MiB image:
 * 1.4 s), while copying into a buffer already touched costs ~0.1 ms per MiB. The bytes are the
 * caller's until the next call with the same slot; what is in them on return is undefined.
 */
export function scratch(slot: string, size: number): Uint8Array {
  let buffer = slots.get(slot);
  if (!buffer || buffer.length < size) slots.set(slot, (buffer = new Uint8Array(size)));
  return buffer.subarray(0, size);
}

/** loadDisk into a reused buffer (scratch): the disk is valid until the slot's next use. */
export function loadDiskInto(path: string, slot: string): MemoryDisk {
  const fd = openSync(path, 'r');
  try {
    const bytes = scratch(slot, fstatSync(fd).size);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, Math.min(bytes.length - at, 2 ** 30), at);
      if (n === 0) throw new Error(`${path} ended at byte ${at} of ${bytes.length}`);
      at += n;
    }
    return new MemoryDisk(bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the disk's bytes to `path`, sparsely: the file is cut to the disk's size and only the
 * 64 KiB blocks that are not all zero are written (the rest read back as zeros, so the file's
 * content is the same as a full write). A FAT volume is mostly free space: a 300 MiB FAT32 that
 * was written whole cost its test ~1 s of kernel time; sparse it is the few MiB of FAT and files.
 */
export function saveDisk(disk: MemoryDisk | Uint8Array, path: string): void {
  const bytes = disk instanceof Uint8Array ? disk : disk.bytes;
  const zero = new Uint8Array(BLOCK);
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes.length);
    for (let at = 0; at < bytes.length; at += BLOCK) {
      const block = bytes.subarray(at, at + BLOCK);
      // Buffer.compare is a memcmp: far cheaper than looking at each byte in JS.
      if (Buffer.compare(block, zero.subarray(0, block.length)) !== 0) writeSync(fd, block, 0, block.length, at);
    }
  } finally {
    closeSync(fd);
  }
}

/** Every path mtools lists, folders with a trailing '/', sorted. */
export function mtoolsPaths(image: string): string[] {
  return runOk('mdir', ['-/', '-b', '-a', '-i', image, '::'])
    .split('\n')
    .filter((l) => l.startsWith('::/'))
    .map((l) => l.slice(3))
    .sort();
}

export function mtype(image: string, path: string): Uint8Array {
  return new Uint8Array(runBytes('mtype', ['-i', image, `::/${path}`]));
}

/** fsck.fat -n -V: clean means exit 0 and no complaint in the output. */
export function fsck(image: string): { clean: boolean; output: string } {
  const r = run('fsck.fat', ['-n', '-V', image]);
  const output = r.stdout + r.stderr;
  return { clean: r.status === 0 && !/differ|wrong|invalid|lost|orphan|reclaim|free cluster summary/i.test(output), output };
}

/** FAT #1 == FAT #2 … bytewise. */
export function fatCopiesEqual(bytes: Uint8Array): boolean {
  const g = parseBootSector(bytes.subarray(0, 512), bytes.length);
  const first = bytes.subarray(g.fatOffset, g.fatOffset + g.fatBytes);
  for (let i = 1; i < g.numFats; i++) {
    const other = bytes.subarray(g.fatOffset + i * g.fatBytes, g.fatOffset + (i + 1) * g.fatBytes);
    if (Buffer.compare(first, other) !== 0) return false;
  }
  return true;
}

/** Free clusters counted in FAT #1, and what FSInfo says (null when not FAT32). */
export function freeCounts(bytes: Uint8Array): { recount: number; fsInfo: number | null } {
  const g = parseBootSector(bytes.subarray(0, 512), bytes.length);
  const v = new DataView(bytes.buffer, bytes.byteOffset + g.fatOffset, g.fatBytes);
  let recount = 0;
  for (let c = 2; c <= g.maxCluster; c++) {
    const value = g.fatType === 32 ? v.getUint32(c * 4, true) & 0x0fffffff : g.fatType === 16 ? v.getUint16(c * 2, true) : (c & 1 ? v.getUint16((c * 3) >> 1, true) >> 4 : v.getUint16((c * 3) >> 1, true) & 0xfff);
    if (value === 0) recount++;
  }
  const off = g.fsInfoSector * g.bytesPerSector;
  const info = g.fsInfoSector ? parseFsInfo(bytes.subarray(off, off + 512)) : null;
  return { recount, fsInfo: info ? info.freeCount : null };
}

/** Sector indexes (of `sectorSize`) where two images differ. */
export function changedSectors(a: Uint8Array, b: Uint8Array, sectorSize = 512): number[] {
  const out: number[] = [];
  for (let s = 0; s * sectorSize < a.length; s++) {
    const x = a.subarray(s * sectorSize, (s + 1) * sectorSize);
    const y = b.subarray(s * sectorSize, (s + 1) * sectorSize);
    if (Buffer.compare(x, y) !== 0) out.push(s);
  }
  return out;
}

/** A deterministic PRNG (xorshift32) for randomized tests. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T } {
  const u32 = xorshift32(seed);
  const next = (): number => u32() / 0x100000000;
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

/** The expected tree: case-insensitive keys, remembering each entry's displayed (first) name. */
export class FsModel {
  readonly entries = new Map<string, { path: string; data: Uint8Array | null }>();

  static key(path: string): string {
    return path.toUpperCase();
  }

  get(path: string): { path: string; data: Uint8Array | null } | undefined {
    return this.entries.get(FsModel.key(path));
  }

  parentOf(path: string): string {
    return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  }

  /** The path as the volume shows it: existing folders keep the spelling they were made with. */
  canonical(path: string): string {
    const parent = this.parentOf(path);
    const name = path.slice(parent ? parent.length + 1 : 0);
    return parent ? `${this.get(parent)?.path ?? parent}/${name}` : name;
  }

  /** Writes keep the name the entry was created with (FAT overwrites in place). */
  write(path: string, data: Uint8Array): void {
    const old = this.get(path);
    this.entries.set(FsModel.key(path), { path: old?.path ?? this.canonical(path), data });
  }

  mkdir(path: string): void {
    this.entries.set(FsModel.key(path), { path: this.canonical(path), data: null });
  }

  remove(path: string): void {
    this.entries.delete(FsModel.key(path));
  }

  children(dir: string): string[] {
    const prefix = dir ? FsModel.key(dir) + '/' : '';
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'));
  }

  /** Paths as mtools lists them (folders end in '/'), sorted. */
  listing(): string[] {
    return [...this.entries.values()].map((e) => (e.data ? e.path : e.path + '/')).sort();
  }
}

/** Writes the volume out and checks it as the tools do: fsck.fat clean, FAT copies equal, FSInfo = recount. */
export function expectToolsHappy(img: string, disk: MemoryDisk): void {
  saveDisk(disk, img);
  const f = fsck(img);
  expect(f.clean, f.output).toBe(true);
  expect(fatCopiesEqual(disk.bytes)).toBe(true);
  const counts = freeCounts(disk.bytes);
  if (counts.fsInfo !== null) expect(counts.fsInfo).toBe(counts.recount);
}
