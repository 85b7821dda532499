/** Checks on configured images with the real tools, shared by the interop tests. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { run } from './tools.ts';

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Copies [offset, offset+size) of an image into its own file, for fsck.fat (which takes no offset). */
export function extract(image: string, offset: number, size: number, to: string): string {
  const fd = openSync(image, 'r');
  const buf = Buffer.alloc(size);
  readSync(fd, buf, 0, size, offset);
  closeSync(fd);
  writeFileSync(to, buf);
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

/** Byte offsets where two equally long files differ, as [first, last] sector ranges. */
export function differingSectors(a: string, b: string): number[] {
  const x = readFileSync(a);
  const y = readFileSync(b);
  expect(y.length).toBe(x.length);
  const out: number[] = [];
  for (let s = 0; s * 512 < x.length; s++) {
    const o = s * 512;
    if (Buffer.compare(x.subarray(o, o + 512), y.subarray(o, o + 512)) !== 0) out.push(s);
  }
  return out;
}
