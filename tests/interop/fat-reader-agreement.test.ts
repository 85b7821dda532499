/**
 * Issue 7 §5, fuzzer seed 1202 (cases 352, 821, 1904): images whose entries or BPB make Preflash's
 * reading of a folder disagree with Linux, mtools and fsck.fat. Each input is made with
 * sfdisk/mkfs.vfat/mtools, damaged explicitly, shown to be read differently by the real tools, and
 * then refused with FAT_CORRUPT naming the problem (nothing written); damage off the written paths
 * leaves an output fsck.fat finds no worse, with every written file reading back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBootSector } from '../../src/core/fat/boot-sector.ts';
import { FatVolume } from '../../src/core/fat/volume.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { subrangeStore } from '../../src/core/io/subrange.ts';
import { planConfiguration } from '../../src/core/pipeline/configure-image.ts';
import type { Settings } from '../../src/core/settings/types.ts';
import { rejectionOf } from '../helpers/core-errors.ts';
import { balenaBootFiles, makeImage } from '../helpers/make-image.ts';
import { hasTools, run, tempDir } from '../helpers/tools.ts';

const ok = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'mmd', 'mtype', 'mdir', 'fsck.fat');
const t = tempDir('preflash-agree-');
const MiB = 1024 * 1024;
const SETTINGS = { version: 1, hostname: 'agree-1', network: { wifi: [{ ssid: 'Home', security: 'wpa-psk', passphrase: 'password123' }] } } as Settings;
const images = new Map<string, { bytes: Uint8Array; boot: number; bootSize: number }>();

beforeAll(() => {
  if (!ok) return;
  const files = { ...balenaBootFiles('raspberrypi4-64', 'aarch64'), 'splash/Some Long Picture Name.png': new Uint8Array(700).fill(7) };
  const fat16 = makeImage(t.path('fat16.img'), {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [{ sizeMiB: 8, type: 'e', bootable: true, fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '2', '-R', '4'], files } }],
  });
  images.set('fat16', { bytes: new Uint8Array(readFileSync(fat16.path)), boot: fat16.offsets[0], bootSize: 8 * MiB });
  const fat32 = makeImage(t.path('fat32.img'), {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [{ sizeMiB: 34, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '1'], files } }],
  });
  images.set('fat32', { bytes: new Uint8Array(readFileSync(fat32.path)), boot: fat32.offsets[0], bootSize: 34 * MiB });
});
afterAll(() => t.cleanup());

async function prepared(name: string) {
  const i = images.get(name)!;
  const bytes = i.bytes.slice();
  const vol = await FatVolume.open(subrangeStore(new MemoryDisk(bytes.slice()), i.boot, i.bootSize));
  return { ...i, bytes, vol, root: await vol.directory(vol.rootCluster, '') };
}

/** The boot filesystem of `bytes` as a file the tools can read. */
function fsFile(bytes: Uint8Array, boot: number, size: number, name: string): string {
  const path = t.path(`${name}.fat`);
  writeFileSync(path, bytes.subarray(boot, boot + size));
  return path;
}

async function refused(bytes: Uint8Array) {
  const before = bytes.slice();
  const e = await rejectionOf(planConfiguration(new MemoryDisk(bytes), SETTINGS));
  expect(Buffer.compare(bytes, before)).toBe(0);
  expect(e.message).not.toMatch(/\n/);
  return e;
}

const fsckProblems = (file: string) =>
  new Set(run('fsck.fat', ['-n', file]).stdout.split('\n').slice(1).filter((l) => !/^\s*$|files?, \d+\/\d+ clusters|Leaving/.test(l)).map((l) => l.replace(/\d+/g, 'N')));

describe.skipIf(!ok)('entries readers classify differently (fuzzer seed 1202)', () => {
  for (const attr of [0x8f, 0x4f]) {
    it(`refuses to write through a folder holding a long-name entry with attributes 0x${attr.toString(16).toUpperCase()} (case 352)`, async () => {
      const img = await prepared('fat16');
      const config = img.root.find('config.json')!;
      expect(config.firstSlot).toBeLessThan(config.slot); // "config.json" is a long name here
      img.bytes[img.boot + img.root.slotOffset(config.firstSlot) + 11] = attr; // reserved bit 7 or 6 of LDIR_Attr
      const input = fsFile(img.bytes, img.boot, img.bootSize, `lfn-${attr}`);
      // mtools compares LDIR_Attr with 0x0F exactly: to it there is no "config.json" any more.
      expect(run('mtype', ['-i', input, '::/config.json']).status).not.toBe(0);
      expect(run('mtype', ['-i', input, '::/CONFIG~1.JSO']).status).toBe(0);
      const e = await refused(img.bytes);
      expect(e.code).toBe('FAT_CORRUPT');
      expect(e.message).toMatch(new RegExp(`the root folder holds an entry \\(slot ${config.firstSlot}\\) with attributes 0x${attr.toString(16).toUpperCase()}, which Windows reads as part of a long name and Linux, mtools and fsck\\.fat as a file`));
    });
  }

  it('refuses to write next to a folder entry that is also a volume label (attributes 0x18), which mtools does not list (case 1904)', async () => {
    const img = await prepared('fat16');
    const sc = img.root.find('system-connections')!;
    expect(sc.isDirectory).toBe(true);
    img.bytes[img.boot + img.root.slotOffset(sc.slot) + 11] = 0x18;
    const input = fsFile(img.bytes, img.boot, img.bootSize, 'dir-label');
    expect(run('mdir', ['-i', input, '::/system-connections']).status).not.toBe(0); // mtools skips it
    const vol = await FatVolume.open(subrangeStore(new MemoryDisk(img.bytes.slice()), img.boot, img.bootSize));
    expect(await vol.stat('system-connections')).toBeNull(); // and so does Preflash's reader now
    const e = await refused(img.bytes);
    expect(e.code).toBe('FAT_CORRUPT');
    expect(e.message).toMatch(new RegExp(`the root folder holds an entry \\(slot ${sc.slot}\\) with attributes 0x18, folder and volume label at once, which the FAT specification calls invalid`));
  });

  it('writes where such an entry sits in a folder off the written paths, and leaves the output no worse', async () => {
    const img = await prepared('fat16');
    const splash = img.root.find('splash')!;
    const dir = await img.vol.directory(splash.firstCluster, 'splash');
    const pic = dir.find('Some Long Picture Name.png')!;
    img.bytes[img.boot + dir.slotOffset(pic.firstSlot) + 11] = 0x8f;
    const input = fsFile(img.bytes, img.boot, img.bootSize, 'off-path-in');
    const plan = await planConfiguration(new MemoryDisk(img.bytes.slice()), SETTINGS);
    const out = img.bytes.slice();
    for (const c of plan.changes) out.set(c.bytes, c.offset);
    const output = fsFile(out, img.boot, img.bootSize, 'off-path-out');
    const before = fsckProblems(input);
    for (const p of fsckProblems(output)) expect(before).toContain(p);
    expect(JSON.parse(run('mtype', ['-i', output, '::/config.json']).stdout)).toMatchObject({ hostname: 'agree-1' });
    expect(run('mtype', ['-i', output, '::/system-connections/wifi-home']).stdout).toMatch(/ssid=Home/);
  });

  it("refuses a FAT32 volume whose BPB_RootClus names a subfolder (its '.' entry points at itself) (case 821)", async () => {
    const img = await prepared('fat32');
    const sc = img.root.find('system-connections')!;
    const g = parseBootSector(img.bytes.subarray(img.boot, img.boot + 512), img.bootSize);
    expect(g.rootCluster).not.toBe(sc.firstCluster);
    new DataView(img.bytes.buffer).setUint32(img.boot + 44, sc.firstCluster, true); // BPB_RootClus
    const input = fsFile(img.bytes, img.boot, img.bootSize, 'rootclus');
    expect(run('fsck.fat', ['-n', input]).stdout).toMatch(/Bad short file name \(\.\)/); // fsck sees '.' in the "root"
    const e = await refused(img.bytes);
    expect(e.code).toBe('FAT_CORRUPT');
    expect(e.message).toContain(`the boot sector's root folder cluster (BPB_RootClus = ${sc.firstCluster}) holds a subfolder (its '.' entry names it), not the root`);
  });
});
