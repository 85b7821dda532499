import { runOk } from './tools.ts';

/**
 * One block of an .xz file as `xz -lvv --robot` lists it (xz(1), "Robot mode", the `block` line:
 * stream, block in stream, block in file, compressed offset, uncompressed offset, total size,
 * uncompressed size, ratio, check name, check value, header size, …).
 */
export interface XzListedBlock {
  /** Block number in the file, from 1. */
  number: number;
  compressedOffset: number;
  uncompressedOffset: number;
  /** Header, compressed data, padding and check. */
  totalSize: number;
  uncompressedSize: number;
  checkValue: string;
  headerSize: number;
}

/** The blocks of the .xz file at `path`, in file order, as xz itself reads them. */
export function xzListBlocks(path: string): XzListedBlock[] {
  return runOk('xz', ['-lvv', '--robot', path])
    .split('\n')
    .filter((l) => l.startsWith('block\t'))
    .map((l) => l.split('\t'))
    .map((f) => ({
      number: Number(f[3]),
      compressedOffset: Number(f[4]),
      uncompressedOffset: Number(f[5]),
      totalSize: Number(f[6]),
      uncompressedSize: Number(f[7]),
      checkValue: f[10],
      headerSize: Number(f[11]),
    }));
}
