/**
 * The built-in demo image (buildSampleImage) and the core's disk-image builder, checked with the
 * field's tools: sfdisk reads the MBR (with its EBR chain) and the GPT (both CRCs, backup) as
 * laid out, fsck.fat finds the boot FAT clean before and after configuring, and mtools lists and
 * reads its files.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSampleImage, sampleBootFiles } from '../../src/core/image-builder/sample-image.ts';
import type { SparseDisk } from '../../src/core/image-builder/sparse-disk.ts';
import { configureFile } from '../../src/core/pipeline/configure-file.ts';
import { parseSettings } from '../../src/core/settings/validate.ts';
import { expectFsckClean, extract, mdirNames, mtype } from '../helpers/image-checks.ts';
import { hasTools, run, runOk, tempDir } from '../helpers/tools.ts';

const ok = hasTools('sfdisk', 'fsck.fat', 'mdir', 'mtype');
const t = tempDir('preflash-sample-');
afterAll(() => t.cleanup());
const MiB = 1024 * 1024;
const BOOT = 4 * MiB;

/** Writes a SparseDisk to a sparse file: only its allocated chunks. */
function save(disk: SparseDisk, path: string): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, disk.size);
  for (const { offset, bytes } of disk.extents()) writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
  return path;
}

describe.skipIf(!ok).each(['mbr', 'gpt'] as const)('the %s sample image', (table) => {
  it('sfdisk reads the table as built and finds nothing wrong', async () => {
    const img = save((await buildSampleImage({ table })).disk, t.path(`sample-${table}.img`));
    const verify = run('sfdisk', ['--verify', img]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/No errors detected/);
    const pt = JSON.parse(runOk('sfdisk', ['--json', img])).partitiontable;
    const rows = pt.partitions.map((p: Record<string, unknown>) => [p.start, p.size, p.type, p.name ?? p.bootable ?? null]);
    if (table === 'mbr') {
      expect(pt).toMatchObject({ label: 'dos', id: '0x5a4d0001', sectorsize: 512 });
      expect(rows).toEqual([
        [8192, 81920, 'c', true],
        [90112, 32768, '83', null],
        [122880, 32768, '83', null],
        [155648, 49152, 'f', null],
        [163840, 16384, '83', null],
        [188416, 16384, '83', null],
      ]);
    } else {
      expect(pt).toMatchObject({ label: 'gpt', id: '5A4D0001-0000-4000-8000-505245464C53', firstlba: 34, lastlba: 93 * 2048 - 34 });
      expect(rows.map((r: unknown[]) => r[3])).toEqual(['resin-boot', 'resin-rootA', 'resin-rootB', 'resin-state', 'resin-data']);
      expect(rows[0].slice(0, 3)).toEqual([8192, 81920, 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B']);
      expect(verify.stdout).toMatch(/Using 5 out of 128 partitions/);
    }
  });

  it('fsck.fat finds resin-boot clean; mtools lists and reads the boot files', async () => {
    const img = save((await buildSampleImage({ table })).disk, t.path(`files-${table}.img`));
    expectFsckClean(extract(img, BOOT, 40 * MiB, t.path(`boot-${table}.img`)));
    expect(runOk('minfo', ['-i', `${img}@@${BOOT}`, '::'])).toMatch(/disk label="resin-boot "/);
    const expected = Object.keys(sampleBootFiles());
    const listed = runOk('mdir', ['-/', '-b', '-i', `${img}@@${BOOT}`, '::'])
      .split('\n')
      .filter((l) => l.startsWith('::/') && !l.endsWith('/'))
      .map((l) => l.slice(3));
    expect(listed.sort()).toEqual([...expected].sort());
    for (const path of expected) {
      const content = sampleBootFiles()[path];
      expect(mtype(img, BOOT, path)).toBe(typeof content === 'string' ? content : new TextDecoder().decode(content));
    }
  });

  it('configured by the core, stays clean for fsck.fat and shows the new files to mtools', async () => {
    const { disk } = await buildSampleImage({ table });
    const settings = parseSettings(JSON.stringify({ version: 1, hostname: 'demo-device', network: { wifi: [{ ssid: 'Home Net', passphrase: 'correct horse battery' }] } }));
    const r = await configureFile(disk, settings, { fileName: 'sample.img' });
    for (const c of r.plan.changes) await disk.write(c.offset, c.bytes);
    const img = save(disk, t.path(`configured-${table}.img`));
    expectFsckClean(extract(img, BOOT, 40 * MiB, t.path(`configured-boot-${table}.img`)));
    expect(JSON.parse(mtype(img, BOOT, 'config.json'))).toMatchObject({ deviceType: 'raspberrypi4-64', hostname: 'demo-device' });
    expect(mdirNames(img, BOOT, 'system-connections').length).toBe(2);
    expect(run('sfdisk', ['--verify', img]).status).toBe(0);
  });
});
