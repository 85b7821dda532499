/**
 * Images made by the real tools are built once per test run and copied after that: the same
 * balenaOS layout is made by a dozen test files, each build a score of sfdisk/mkfs/mtools
 * processes. The cache lives in a folder that tests/helpers/global-setup.ts creates for one run
 * and removes at its end (PREFLASH_FIXTURE_CACHE), so a changed tool or helper can never serve a
 * stale image; without it (a helper run by hand) nothing is cached. Copies are sparse: only the
 * 64 KiB blocks that are not zero are written.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 64 * 1024;
const ZERO = Buffer.alloc(BLOCK);
const extentsInMemory = new Map<string, { size: number; extents: [number, Buffer][] }>();

function key(kind: string, spec: unknown): string {
  const json = JSON.stringify(spec, (_, v: unknown) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('base64')}` : v));
  return createHash('sha256').update(kind).update('\0').update(json).digest('hex').slice(0, 32);
}

/** The non-zero 64 KiB blocks of a (sparse) file. */
function readExtents(path: string): { size: number; extents: [number, Buffer][] } {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(BLOCK);
  const extents: [number, Buffer][] = [];
  let size = 0;
  try {
    for (let at = 0; ; at += BLOCK) {
      const n = readSync(fd, buf, 0, BLOCK, at);
      size = at + n;
      if (n === 0) break;
      // Buffer.equals is a memcmp: `.some((b) => b !== 0)` took ~5 s per 100 MiB image, paid by
      // every process that copied one.
      if (!buf.subarray(0, n).equals(ZERO.subarray(0, n))) extents.push([at, Buffer.from(buf.subarray(0, n))]);
      if (n < BLOCK) break;
    }
  } finally {
    closeSync(fd);
  }
  return { size, extents };
}

function writeSparse(path: string, image: { size: number; extents: [number, Buffer][] }): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, image.size);
    for (const [at, bytes] of image.extents) writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * While another process holds `base`'s build lock, waits (up to 5 minutes) for its image; true
 * when the image is there. `force`: wait even if the lock is not (yet) seen.
 */
function waitForOtherBuilder(base: string, force = false): boolean {
  const until = Date.now() + 300_000;
  while (!existsSync(`${base}.json`)) {
    if ((!force && !existsSync(`${base}.lock`)) || Date.now() > until) return false;
    force = false;
    Atomics.wait(sleeper, 0, 0, 50);
  }
  return true;
}

/**
 * `build(path)` makes the image at `path` and returns what describes it (JSON-serialisable);
 * with a cache folder, a second call with the same `kind` and `spec` copies the first result.
 */
export function cachedImage<T>(kind: string, spec: unknown, path: string, build: (path: string) => T): T {
  const folder = process.env.PREFLASH_FIXTURE_CACHE;
  if (!folder || !existsSync(folder)) return build(path);
  const base = join(folder, key(kind, spec));
  if (!existsSync(`${base}.json`) && !waitForOtherBuilder(base)) {
    // Only the process holding the lock builds: two test files starting together used to build the
    // same image twice, and tools such as mkfs.vfat and mtools stamp the time, so the run then had
    // two different images under one key (a file compressing one and another configuring its
    // cached copy would compare different images).
    let lock: number | null = null;
    try {
      lock = openSync(`${base}.lock`, 'wx');
    } catch {
      if (waitForOtherBuilder(base, true)) return cachedImage(kind, spec, path, build);
    }
    try {
      const made = build(path);
      const tmp = `${base}.${process.pid}`;
      writeSparse(`${tmp}.img`, readExtents(path));
      writeFileSync(`${tmp}.json`, JSON.stringify(made));
      renameSync(`${tmp}.img`, `${base}.img`);
      renameSync(`${tmp}.json`, `${base}.json`); // last: its presence means the image is complete
      return made;
    } finally {
      if (lock !== null) {
        closeSync(lock);
        rmSync(`${base}.lock`, { force: true });
      }
    }
  }
  let image = extentsInMemory.get(base);
  if (!image) extentsInMemory.set(base, (image = readExtents(`${base}.img`)));
  writeSparse(path, image);
  return JSON.parse(readFileSync(`${base}.json`, 'utf8')) as T;
}
