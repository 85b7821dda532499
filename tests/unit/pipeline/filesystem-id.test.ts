/** Filesystem identification from a few bytes (pipeline/filesystem-id.ts), on synthetic sectors. */
import { describe, expect, it } from 'vitest';
import { identifyExt, identifyFilesystem } from '../../../src/core/pipeline/filesystem-id.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';

/** 136 bytes of an ext superblock: magic, feature words, volume name. */
function superblock(opts: { compat?: number; incompat?: number; roCompat?: number; name?: string; magic?: number }): Uint8Array {
  const sb = new Uint8Array(136);
  const view = new DataView(sb.buffer);
  view.setUint16(56, opts.magic ?? 0xef53, true);
  view.setUint32(92, opts.compat ?? 0, true);
  view.setUint32(96, opts.incompat ?? 0, true);
  view.setUint32(100, opts.roCompat ?? 0, true);
  sb.set(new TextEncoder().encode(opts.name ?? ''), 120);
  return sb;
}

describe('identifyExt', () => {
  it('ext2, ext3 and ext4 as blkid tells them apart', () => {
    expect(identifyExt(superblock({}))).toEqual({ filesystem: 'ext2' });
    expect(identifyExt(superblock({ compat: 0x4, incompat: 0x2, roCompat: 0x3 }))).toEqual({ filesystem: 'ext3' });
    expect(identifyExt(superblock({ compat: 0x4, incompat: 0x2 | 0x40 }))).toEqual({ filesystem: 'ext4' }); // extents
    expect(identifyExt(superblock({ compat: 0x4, roCompat: 0x400 }))).toEqual({ filesystem: 'ext4' }); // metadata_csum
  });

  it('the volume name: 16 bytes, NUL-terminated, UTF-8', () => {
    expect(identifyExt(superblock({ incompat: 0x40, name: 'resin-rootA' }))?.label).toBe('resin-rootA');
    expect(identifyExt(superblock({ incompat: 0x40, name: 'sixteen-chars-ok' }))?.label).toBe('sixteen-chars-ok');
  });

  it('no magic, no filesystem', () => {
    expect(identifyExt(superblock({ magic: 0x1234 }))).toBeNull();
    expect(identifyExt(new Uint8Array(10))).toBeNull();
  });
});

describe('identifyFilesystem', () => {
  it('reads only the boot sector and 136 superblock bytes', async () => {
    const disk = new MemoryDisk(new Uint8Array(8192));
    disk.bytes.set(superblock({ incompat: 0x40, name: 'data' }), 1024);
    const reads: [number, number][] = [];
    const source = { size: disk.size, read: (o: number, n: number) => (reads.push([o, n]), disk.read(o, n)) };
    expect(await identifyFilesystem(source, 0, 8192)).toEqual({ filesystem: 'ext4', label: 'data' });
    expect(reads).toEqual([[0, 512], [1024, 136]]);
  });

  it('zeros are unknown; a partition past the end of a truncated image is unknown, not an error', async () => {
    const disk = new MemoryDisk(new Uint8Array(4096));
    expect(await identifyFilesystem(disk, 0, 4096)).toEqual({ filesystem: 'unknown' });
    expect(await identifyFilesystem(disk, 8192, 4096)).toEqual({ filesystem: 'unknown' });
  });
});
