/**
 * Shared by the partition interop tests: images laid out by sfdisk and formatted by mkfs.vfat /
 * mtools, a file-backed ByteSource, an mtools-backed FatProbe, and sfdisk's JSON as the oracle.
 */
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';
import type { ByteSource } from '../../src/core/io/byte-source.ts';
import type { FatProbe } from '../../src/core/partition/find-config-partition.ts';
import type { PartitionTable } from '../../src/core/partition/types.ts';
import { run, runOk } from '../helpers/tools.ts';

export const MiB = 1024 * 1024;

/** Reads the image file on demand, like the CLI will: never the whole (sparse) file. */
export function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = statSync(path).size;
  return {
    size,
    async read(offset, length) {
      if (offset < 0 || offset + length > size) {
        throw new CoreError('IO_TRUNCATED', `The image ends at byte ${size}, but ${length} bytes at offset ${offset} were needed.`);
      }
      const buf = new Uint8Array(length);
      readSync(fd, buf, 0, length, offset);
      return buf;
    },
    close: () => closeSync(fd),
  };
}

/** A sparse image of `mib` MiB partitioned by an sfdisk script. */
export function sfdiskImage(path: string, mib: number, script: string): void {
  runOk('truncate', ['-s', `${mib}M`, path]);
  runOk('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', path], { input: script });
}

export interface FatSpec {
  label?: string;
  fat?: 12 | 16 | 32;
  files?: Record<string, string>;
}

/** mkfs.vfat at a 512-byte sector offset of the image, then files copied in with mcopy. */
export function formatFat(image: string, startSector: number, sectors: number, spec: FatSpec, tmp: (name: string) => string): void {
  const args = [`--offset=${startSector}`];
  if (spec.label) args.push('-n', spec.label);
  if (spec.fat) args.push('-F', String(spec.fat));
  if (spec.fat === 32) args.push('-s', '1');
  runOk('mkfs.vfat', [...args, image, String(sectors / 2)]);
  copyFiles(`${image}@@${startSector * 512}`, spec.files ?? {}, tmp);
}

export function copyFiles(target: string, files: Record<string, string>, tmp: (name: string) => string): void {
  for (const [path, content] of Object.entries(files)) {
    const local = tmp('file-' + path.replace(/\W/g, '_'));
    writeFileSync(local, content);
    runOk('mcopy', ['-o', '-i', target, local, '::' + path]);
  }
}

/** A FatProbe over mtools: minfo for the BPB label, mdir for file existence. */
export function mtoolsProbe(image: string): FatProbe & { calls: number[] } {
  const calls: number[] = [];
  const probe = async (start: number) => {
    calls.push(start);
    const target = `${image}@@${start}`;
    const info = run('minfo', ['-i', target]);
    if (info.status !== 0) return null;
    const label = /disk label="(.*)"/.exec(info.stdout)?.[1].trimEnd() ?? null;
    return {
      label: label === '' || label === 'NO NAME' ? null : label,
      hasFile: async (path: string) => run('mdir', ['-b', '-i', target, '::' + path]).status === 0,
    };
  };
  return Object.assign(probe, { calls });
}

interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  name?: string;
  uuid?: string;
  bootable?: boolean;
}

export interface SfdiskTable {
  label: 'dos' | 'gpt';
  id: string;
  sectorsize: number;
  partitions?: SfdiskPartition[];
}

export function sfdiskJson(image: string): SfdiskTable {
  return JSON.parse(runOk('sfdisk', ['--json', image])).partitiontable;
}

const EXTENDED = new Set(['5', 'f', '85']);

/** Asserts that every partition (not the extended container) matches sfdisk's view of the image. */
export function expectSameAsSfdisk(table: PartitionTable, oracle: SfdiskTable): void {
  const ss = oracle.sectorsize;
  const expected = (oracle.partitions ?? [])
    .filter((p) => oracle.label === 'gpt' || !EXTENDED.has(p.type))
    .map((p) => ({
      index: Number(/(\d+)$/.exec(p.node)![1]),
      start: p.start * ss,
      size: p.size * ss,
      type: oracle.label === 'gpt' ? p.type : '0x' + p.type.padStart(2, '0'),
      ...(oracle.label === 'gpt' ? { name: p.name ?? '', guid: p.uuid } : { bootable: p.bootable === true }),
    }));
  const ours = table.partitions.map((p) => ({
    index: p.index,
    start: p.start,
    size: p.size,
    type: p.type,
    ...(oracle.label === 'gpt' ? { name: p.name, guid: p.guid } : { bootable: p.bootable }),
  }));
  expect(ours).toEqual(expected);
  expect(table.kind).toBe(oracle.label === 'dos' ? 'mbr' : 'gpt');
  expect(table.diskId).toBe(oracle.id);
}
