/** Checks on configured images with the real tools, shared by the interop tests. */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { expect } from 'vitest';
import { run } from './tools.ts';

/**
 * Files are read in 4 MiB chunks through these reused buffers: reading a 100+ MiB image whole put
 * it in fresh memory each time, and on the test VM the page faults alone cost ~4.5 ms per MiB.
 */
const CHUNK = 4 * 1024 * 1024;
const CHUNK_A = Buffer.alloc(CHUNK);
const CHUNK_B = Buffer.alloc(CHUNK);
const ZERO_CHUNK = Buffer.alloc(CHUNK);

/** The file's SHA-256 (read in chunks). */
export function sha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, CHUNK_A, 0, CHUNK, null)) > 0; ) hash.update(CHUNK_A.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Copies [offset, offset+size) of an image into its own file, for fsck.fat (which takes no offset).
 * In 4 MiB chunks through a reused buffer, skipping all-zero chunks (the file is cut to its size
 * first, so they read back as zeros): a whole-partition buffer was fresh memory each call.
 */
export function extract(image: string, offset: number, size: number, to: string): string {
  const from = openSync(image, 'r');
  const out = openSync(to, 'w');
  try {
    ftruncateSync(out, size);
    for (let at = 0; at < size; ) {
      const n = readSync(from, CHUNK_A, 0, Math.min(CHUNK, size - at), offset + at);
      if (n === 0) break; // the image ends early: the rest stays zero, as a short read left it before
      const bytes = CHUNK_A.subarray(0, n);
      if (!bytes.equals(ZERO_CHUNK.subarray(0, n))) writeSync(out, bytes, 0, n, at);
      at += n;
    }
  } finally {
    closeSync(from);
    closeSync(out);
  }
  return to;
}

/** fsck.fat -n must exit 0 and report nothing it would fix. */
export function expectFsckClean(fsImage: string): void {
  const r = run('fsck.fat', ['-n', '-V', fsImage]);
  expect(r.stdout + r.stderr).not.toMatch(/differ|wrong|Invalid|corrupt|Free cluster summary/i);
  expect(r.status, r.stdout + r.stderr).toBe(0);
}

/** mtools' view of a file in a FAT at a byte offset of an image. */
export function mtype(image: string, offset: number, path: string): string {
  const r = run('mtype', ['-i', `${image}@@${offset}`, `::/${path}`]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

export function mdirNames(image: string, offset: number, dir: string): string[] {
  const r = run('mdir', ['-b', '-i', `${image}@@${offset}`, `::/${dir}`]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/^::\/?/, '').split('/').pop()!);
}

/** Indexes of the 512-byte sectors where two equally long files differ (chunked: memcmp first, sectors only where a chunk differs). */
export function differingSectors(a: string, b: string): number[] {
  const out: number[] = [];
  const x = openSync(a, 'r');
  const y = openSync(b, 'r');
  try {
    expect(fstatSync(y).size).toBe(fstatSync(x).size);
    for (let at = 0; ; ) {
      const n = readFull(x, CHUNK_A, at);
      const m = readFull(y, CHUNK_B, at);
      expect(m).toBe(n);
      if (n === 0) break;
      const p = CHUNK_A.subarray(0, n);
      const q = CHUNK_B.subarray(0, n);
      if (!p.equals(q)) {
        for (let o = 0; o < n; o += 512) {
          if (Buffer.compare(p.subarray(o, o + 512), q.subarray(o, o + 512)) !== 0) out.push((at + o) / 512);
        }
      }
      at += n;
    }
  } finally {
    closeSync(x);
    closeSync(y);
  }
  return out;
}

/** Whether two files hold the same bytes: a chunked memcmp, cheaper than hashing both (and exact). */
export function sameFile(a: string, b: string): boolean {
  const x = openSync(a, 'r');
  const y = openSync(b, 'r');
  try {
    if (fstatSync(x).size !== fstatSync(y).size) return false;
    for (let at = 0; ; ) {
      const n = readFull(x, CHUNK_A, at);
      if (readFull(y, CHUNK_B, at) !== n || !CHUNK_A.subarray(0, n).equals(CHUNK_B.subarray(0, n))) return false;
      if (n === 0) return true;
      at += n;
    }
  } finally {
    closeSync(x);
    closeSync(y);
  }
}

/** Whether `bytes` are exactly the file's content (the file read in chunks: no second big buffer). */
export function sameBytesAsFile(bytes: Uint8Array, path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size !== bytes.length) return false;
    for (let at = 0; at < bytes.length; ) {
      const n = readFull(fd, CHUNK_A, at);
      if (n === 0 || !CHUNK_A.subarray(0, n).equals(bytes.subarray(at, at + n))) return false;
      at += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * `decode` (a shell command writing a decoded image to standard output, run in `cwd`) must succeed
 * and write exactly the bytes of `expected`: `decode | cmp - expected` under bash's pipefail, so a
 * decoder that fails is caught too. Cheaper than hashing the decoded stream (cmp is a memcmp).
 */
export function expectDecodesTo(decode: string, expected: string, cwd: string): void {
  const r = run('bash', ['-o', 'pipefail', '-c', `${decode} | cmp - ${JSON.stringify(expected)}`], { cwd });
  expect(r.status, `${decode} differs from ${expected}: ${r.stdout}${r.stderr}`).toBe(0);
}

function readFull(fd: number, into: Buffer, at: number): number {
  let n = 0;
  while (n < into.length) {
    const got = readSync(fd, into, n, into.length - n, at + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}
