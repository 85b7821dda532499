/**
 * The partition picture of `inspect` (issue 7 §4) against independent tools: every partition
 * (logical ones and the extended container included) where `sfdisk --json` puts it, and the
 * filesystem type and label `blkid` (and `e2label`) read there. A compressed input gives the same
 * picture for what it has decoded, and says what it has not.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImage, openImageFile, MemoryDisk, type InspectReport } from '../../src/core/index.ts';
import { NodeFile } from '../../src/cli/node-io.ts';
import { makeBalenaImage, type LayoutName } from '../helpers/make-image.ts';
import { hasTools, run, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mkfs.ext4', 'mcopy', 'blkid');
const tmp = tempDir('preflash-inspect-');
afterAll(() => tmp.cleanup());

interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  name?: string;
}

function sfdisk(path: string): { label: string; sectorsize: number; partitions: SfdiskPartition[] } {
  return JSON.parse(execFileSync('sfdisk', ['--json', path], { encoding: 'utf8' })).partitiontable;
}

/** blkid's view of the filesystem at a byte offset: { TYPE, LABEL, VERSION } or {} when it finds none. */
function blkid(path: string, offset: number, size: number): Record<string, string> {
  const r = run('blkid', ['-p', '-O', String(offset), '-S', String(size), '-o', 'export', path]);
  return Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** Our filesystem name for what blkid reports. */
function expectedKind(b: Record<string, string>): string {
  if (b.TYPE === 'vfat') return b.VERSION.toLowerCase(); // FAT12/FAT16/FAT32
  return b.TYPE ?? 'unknown';
}

const images = new Map<LayoutName, string>();
beforeAll(() => {
  if (!tools) return;
  for (const layout of ['raspberrypi', 'jetson-nano', 'resinos1', 'edison'] as const) images.set(layout, makeBalenaImage(tmp.path(`${layout}.img`), layout).path);
});

const reports = new Map<string, Promise<InspectReport>>();
/** Inspects an image file through a Node file handle (random access, as the CLI does), once. */
function inspectFile(path: string): Promise<InspectReport> {
  let report = reports.get(path);
  if (!report) {
    report = NodeFile.open(path).then(async (file) => {
      try {
        return await inspectImage(file);
      } finally {
        await file.close();
      }
    });
    reports.set(path, report);
  }
  return report;
}

describe.skipIf(!tools)('inspect: the partition picture matches sfdisk and blkid', () => {
  it.each(['raspberrypi', 'jetson-nano', 'resinos1'] as const)('%s', async (layout) => {
    const path = images.get(layout)!;
    const report = await inspectFile(path);
    const table = sfdisk(path);
    expect(report.table.kind).toBe(table.label === 'dos' ? 'mbr' : 'gpt');
    expect(report.partitions.map((p) => p.index)).toEqual(table.partitions.map((p) => Number(/(\d+)$/.exec(p.node)![1])));
    for (const [i, p] of report.partitions.entries()) {
      const s = table.partitions[i];
      expect({ start: p.start, size: p.size }).toEqual({ start: s.start * table.sectorsize, size: s.size * table.sectorsize });
      if (table.label === 'dos') expect(Number.parseInt(p.type, 16)).toBe(Number.parseInt(s.type, 16));
      else expect(p.type).toBe(s.type.toUpperCase());
      if (s.name) expect(p.name).toBe(s.name);
      if (p.extended) {
        expect(['5', 'f', '85']).toContain(s.type);
        expect(p.filesystem).toBeUndefined();
        continue;
      }
      const b = blkid(path, p.start, p.size);
      expect(p.filesystem, `partition ${p.index}`).toBe(expectedKind(b));
      expect(p.label, `partition ${p.index}`).toBe(b.LABEL);
    }
    expect(report.partitions.filter((p) => p.config).map((p) => p.index)).toEqual([report.configPartition.index]);
    expect(report.disk).toEqual({ size: statSync(path).size, minimumSize: expect.any(Number) });
    expect(report.disk.minimumSize).toBeLessThanOrEqual(report.disk.size!);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('raspberrypi: logicals and the extended container are all there, labelled', async () => {
    const report = await inspectFile(images.get('raspberrypi')!);
    const rows = report.partitions.map((p) => [p.index, p.extended ? 'extended' : p.filesystem, p.label ?? null, p.config]);
    expect(rows).toEqual([
      [1, 'fat32', 'resin-boot', true],
      [2, 'ext4', 'resin-rootA', false],
      [3, 'unknown', null, false],
      [4, 'extended', null, false],
      [5, 'ext4', 'resin-state', false],
      [6, 'unknown', null, false],
    ]);
    expect(report.configPartition).toMatchObject({ index: 1, rule: 'fat-label', reason: expect.stringContaining('resin-boot') });
    expect(report).toMatchObject({ deviceType: 'raspberrypi4-64', osVersion: '6.5.17', installer: false, fatType: 32 });
  });

  it('edison: no partition table, the whole disk is the FAT', async () => {
    const path = images.get('edison')!;
    const report = await inspectFile(path);
    expect(report.table.kind).toBe('none');
    expect(report.partitions).toEqual([]);
    expect(report.configPartition).toMatchObject({ index: null, start: 0, rule: 'whole-disk' });
    expect(report.disk.size).toBe(statSync(path).size);
    expect({ fatType: report.fatType, label: report.label }).toEqual({ fatType: 32, label: blkid(path, 0, statSync(path).size).LABEL });
  });

  it.skipIf(!hasTools('e2label'))('the ext4 volume name is what e2label reads', async () => {
    const path = images.get('raspberrypi')!;
    const report = await inspectFile(path);
    const rootA = report.partitions.find((p) => p.index === 2)!;
    const copy = tmp.path('rootA.ext4');
    execFileSync('dd', [`if=${path}`, `of=${copy}`, 'bs=1M', `skip=${rootA.start / 2 ** 20}`, `count=${rootA.size / 2 ** 20}`, 'status=none']);
    expect(execFileSync('e2label', [copy], { encoding: 'utf8' }).trim()).toBe(rootA.label);
  });

  it('a gzip input: the decoded part is pictured, the rest is said to be unread', async () => {
    const path = images.get('raspberrypi')!;
    const gz = gzipSync(readFileSync(path), { level: 1 });
    const opened = await openImageFile(new MemoryDisk(new Uint8Array(gz)), { fileName: 'rpi.img.gz' });
    let report: InspectReport;
    try {
      report = await inspectImage(opened.image, { deferLogicalPartitions: true });
    } finally {
      await opened.close();
    }
    expect(report.table.logicalsDeferred).toBe(true);
    const rows = report.partitions.map((p) => [p.index, p.extended ? 'extended' : (p.filesystem ?? 'not read'), p.label ?? null]);
    expect(rows).toEqual([
      [1, 'fat32', 'resin-boot'],
      [2, 'ext4', 'resin-rootA'],
      [3, 'not read', null],
      [4, 'extended', null],
    ]);
    // gzip does not state the size (only modulo 2^32, at its end): unknown until decoded there.
    expect(report.disk.size === null || report.disk.size === statSync(path).size).toBe(true);
    expect(report.disk.minimumSize).toBe(sfdisk(path).partitions.reduce((end, p) => Math.max(end, (p.start + p.size) * 512), 0));
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
