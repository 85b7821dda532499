/**
 * Issue 7 §5, one test per finding: images made with sfdisk/mkfs.vfat/mtools, then damaged the way
 * a hostile user or a bad shutdown would. Each ends in a clear error naming the problem, or in an
 * output that passes `fsck.fat -n` and reads back with mtools (and a warning saying what was found).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';
import { parseBootSector, type FatGeometry } from '../../src/core/fat/boot-sector.ts';
import { FatVolume } from '../../src/core/fat/volume.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { subrangeStore } from '../../src/core/io/subrange.ts';
import { planConfiguration } from '../../src/core/pipeline/configure-image.ts';
import { inspectImage } from '../../src/core/pipeline/inspect-image.ts';
import type { Settings } from '../../src/core/settings/types.ts';
import { rejectionOf } from '../helpers/core-errors.ts';
import { balenaBootFiles, makeImage } from '../helpers/make-image.ts';
import { hasTools, run, tempDir } from '../helpers/tools.ts';

const ok = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'mmd', 'mtype', 'fsck.fat');
const t = tempDir('preflash-robust-');
const MiB = 1024 * 1024;
const SETTINGS = { version: 1, hostname: 'robust-1', network: { wifi: [{ ssid: 'Home', security: 'wpa-psk', passphrase: 'password123' }] } } as Settings;
const images = new Map<string, { bytes: Uint8Array; boot: number; bootSize: number }>();

beforeAll(() => {
  if (!ok) return;
  const rpi = makeImage(t.path('rpi.img'), {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [
      { sizeMiB: 34, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-S', '512', '-s', '1'], files: {
        ...balenaBootFiles('raspberrypi4-64', 'aarch64'), 'system-connections/My Home WiFi network': '[connection]\nid=home\n',
      } } },
      { sizeMiB: 1, type: '83' },
    ],
  });
  images.set('fat32', { bytes: new Uint8Array(readFileSync(rpi.path)), boot: rpi.offsets[0], bootSize: 34 * MiB });
  const fat16 = makeImage(t.path('fat16.img'), {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [{ sizeMiB: 8, type: 'e', bootable: true, fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '2', '-R', '4'], files: {
      ...balenaBootFiles('raspberrypi3', 'armv7hf'), 'a.bin': new Uint8Array(3000).fill(1),
    } } }],
  });
  images.set('fat16', { bytes: new Uint8Array(readFileSync(fat16.path)), boot: fat16.offsets[0], bootSize: 8 * MiB });
  const r1 = makeImage(t.path('resinos1.img'), {
    table: 'mbr', firstMiB: 1, tailMiB: 0,
    partitions: [
      { sizeMiB: 4, type: 'c', bootable: true, fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: {
        'device-type.json': JSON.stringify({ slug: 'raspberry-pi', configuration: { config: { partition: { primary: 4, logical: 1 } } } }),
      } } },
      { sizeMiB: 1, type: '83' },
      { sizeMiB: 1, type: '83' },
      { sizeMiB: 4, type: 'c', logical: true, fs: { fat: 16, label: 'resin-conf', mkfsArgs: ['-s', '1'], files: {
        'config.json': JSON.stringify({ applicationId: 1, deviceType: 'raspberry-pi' }), 'a.bin': new Uint8Array(3000).fill(1),
      } } },
    ],
  });
  images.set('resinos1', { bytes: new Uint8Array(readFileSync(r1.path)), boot: r1.offsets[3], bootSize: 4 * MiB });
});
afterAll(() => t.cleanup());

function image(name: string) {
  const i = images.get(name)!;
  return { ...i, bytes: i.bytes.slice(), g: parseBootSector(i.bytes.subarray(i.boot, i.boot + 512), i.bootSize) };
}

const le = (bytes: Uint8Array, at: number, value: number, width: number) => {
  for (let k = 0; k < width; k++) bytes[at + k] = Math.floor(value / 256 ** k) & 0xff;
};

/** Sets FAT entry `cluster` in every copy of the FAT at `boot`. */
function setFat(bytes: Uint8Array, boot: number, g: FatGeometry, cluster: number, value: number): void {
  for (let copy = 0; copy < g.numFats; copy++) le(bytes, boot + g.fatOffset + copy * g.fatBytes + cluster * (g.fatType / 8), value, g.fatType / 8);
}

async function chainOf(bytes: Uint8Array, boot: number, size: number, path: string): Promise<number[]> {
  const vol = await FatVolume.open(subrangeStore(new MemoryDisk(bytes.slice()), boot, size));
  return vol.fileChain((await vol.directory(vol.rootCluster, '')).find(path)!, path);
}

async function refused(bytes: Uint8Array): Promise<CoreError> {
  const before = bytes.slice();
  const e = await rejectionOf(planConfiguration(new MemoryDisk(bytes), SETTINGS));
  expect(e.code).not.toBe('INTERNAL');
  expect(e.message).not.toMatch(/\n/);
  expect(Buffer.compare(bytes, before)).toBe(0);
  return e;
}

/** Configures, writes the boot filesystem of the result to a file, and checks it with fsck.fat -n and mtools. */
async function configuredCleanly(bytes: Uint8Array, name: string) {
  const before = bytes.slice();
  const plan = await planConfiguration(new MemoryDisk(bytes), SETTINGS);
  expect(Buffer.compare(bytes, before)).toBe(0);
  const out = bytes.slice();
  for (const c of plan.changes) out.set(c.bytes, c.offset);
  const fs = t.path(`${name}.fat`);
  writeFileSync(fs, out.subarray(plan.choice.start, plan.choice.start + plan.choice.size));
  const f = run('fsck.fat', ['-n', fs]);
  expect(f.status, f.stdout + f.stderr).toBe(0);
  expect(JSON.parse(run('mtype', ['-i', fs, '::/config.json']).stdout)).toMatchObject({ hostname: 'robust-1' });
  expect(run('mtype', ['-i', fs, '::/system-connections/wifi-home']).stdout).toMatch(/ssid=Home/);
  return { plan, out, fs };
}

async function volumeOf(bytes: Uint8Array, boot: number, size: number) {
  return FatVolume.open(subrangeStore(new MemoryDisk(bytes), boot, size));
}

describe.skipIf(!ok)('hostile and damaged images (issue 7 §5)', () => {
  it('replaces a config.json nested 100,000 deep (jq cannot read it either) with a warning, instead of overflowing the stack', async () => {
    const img = image('fat16');
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const disk = new MemoryDisk(img.bytes);
    const vol = await volumeOf(img.bytes, img.boot, img.bootSize);
    await vol.writeFile('config.json', new TextEncoder().encode(deep));
    await vol.verify();
    const report = await inspectImage(new MemoryDisk(disk.bytes.slice()));
    expect(report.configJson).toMatch(/nests more than 256 levels deep/);
    const { plan } = await configuredCleanly(disk.bytes, 'deep-json');
    expect(plan.warnings.join(' ')).toMatch(/config\.json is not a JSON object; it was replaced/);
  });

  it('refuses FAT layouts no formatter makes: 65,535 reserved sectors, FATs reaching into the data area, a media byte FAT[0] contradicts', async () => {
    for (const name of ['fat16', 'fat32']) {
      const reserved = image(name);
      le(reserved.bytes, reserved.boot + 14, 65535, 2);
      expect((await refused(reserved.bytes)).message).toMatch(/^Partition 1 is labelled resin-boot .*cannot be used: .*(no formatter makes|leave no room|claims)/);

      const bigFat = image(name);
      const fatSizeAt = bigFat.g.fatType === 32 ? 36 : 22;
      le(bigFat.bytes, bigFat.boot + fatSizeAt, bigFat.g.sectorsPerFat * 8, bigFat.g.fatType === 32 ? 4 : 2);
      expect((await refused(bigFat.bytes)).message).toMatch(/no formatter makes \(a FAT of \d+ sectors for \d+ clusters/);

      if (name === 'fat16') {
        const root = image(name);
        le(root.bytes, root.boot + 17, 511, 2); // found by the fuzzer: mtools and we disagreed on the last root sector
        expect((await refused(root.bytes)).message).toMatch(/511 root directory entries, which do not fill whole sectors/);
      }

      const media = image(name);
      media.bytes[media.boot + 21] = 0xf0;
      const e = await refused(media.bytes);
      expect(e.code).toBe('FAT_INVALID');
      expect(e.message).toMatch(/first FAT entry is 0x\w+ where the boot sector's media byte 0xF0 says/);
    }
  });

  it('on a resinOS 1.x image whose resin-conf is damaged, refuses instead of writing config.json into resin-boot', async () => {
    const loop = image('resinos1');
    const chain = await chainOf(loop.bytes, loop.boot, loop.bootSize, 'a.bin');
    setFat(loop.bytes, loop.boot, loop.g, chain[chain.length - 1], chain[0]);
    const e1 = await refused(loop.bytes);
    expect(e1.code).toBe('FAT_CORRUPT');
    expect(e1.message).toMatch(/damaged: the chain of "a\.bin" loops|"a\.bin" starts at cluster \d+, which is also inside another chain/);
    const midLoop = image('resinos1');
    setFat(midLoop.bytes, midLoop.boot, midLoop.g, chain[chain.length - 1], chain[1]); // caught when the FAT is loaded
    expect((await refused(midLoop.bytes)).message).toMatch(/^Partition 5 is labelled resin-conf, where resinOS 1.x keeps config.json, but its filesystem cannot be used: The FAT filesystem is damaged: cluster \d+ is claimed by two chains/);

    const geometry = image('resinos1');
    geometry.bytes[geometry.boot + 13] = 3; // sectors per cluster: the label survives, the BPB does not
    expect((await refused(geometry.bytes)).message).toMatch(/^Partition 5 is labelled resin-conf.*sectors per cluster is 3/);

    const wiped = image('resinos1');
    wiped.bytes.fill(0, wiped.boot, wiped.boot + 512); // nothing left to recognise: device-type.json still says p5
    const e3 = await refused(wiped.bytes);
    expect(e3.code).toBe('BOOT_PARTITION_NOT_FOUND');
    expect(e3.message).toMatch(/resinOS 1\.x image: its device-type\.json keeps config\.json on partition 5.*would go unread/);
  });

  it('says what is wrong with a resin-boot whose FAT has a loop or a bad link, instead of "no boot partition"', async () => {
    const loop = image('fat16');
    const chain = await chainOf(loop.bytes, loop.boot, loop.bootSize, 'device-type.json');
    setFat(loop.bytes, loop.boot, loop.g, chain[0], chain[0]);
    const e1 = await refused(loop.bytes);
    expect(e1.code).toBe('FAT_CORRUPT');
    expect(e1.message).toMatch(/^Partition 1 is labelled resin-boot \(the boot partition\), but its filesystem cannot be used: The FAT filesystem is damaged: cluster \d+ links to itself/);
    expect((await rejectionOf(inspectImage(new MemoryDisk(loop.bytes)))).message).toBe(e1.message);

    const bad = image('fat32');
    const c2 = await chainOf(bad.bytes, bad.boot, bad.bootSize, 'device-type.json');
    setFat(bad.bytes, bad.boot, bad.g, c2[0], bad.g.maxCluster + 10);
    expect((await refused(bad.bytes)).message).toMatch(/resin-boot.*links to cluster \d+, which does not exist/);
  });

  it('uses a volume whose only flaw is the dirty bit, warns, and marks it clean', async () => {
    for (const name of ['fat16', 'fat32']) {
      const dirty = image(name);
      dirty.bytes[dirty.boot + (dirty.g.fatType === 32 ? 0x41 : 0x25)] |= 1;
      const vol = await volumeOf(dirty.bytes.slice(), dirty.boot, dirty.bootSize);
      expect(vol.warnings).toMatchObject([{ code: 'FAT_REPAIRED', message: expect.stringMatching(/not cleanly unmounted \(the dirty flag in the boot sector is set\); its structures check out sound/) }]);
      expect((await inspectImage(new MemoryDisk(dirty.bytes.slice()))).warnings).toContainEqual(vol.warnings[0]);
      const { out, plan } = await configuredCleanly(dirty.bytes, `dirty-${name}`);
      expect(plan.warnings).toContainEqual(vol.warnings[0]);
      const after = await volumeOf(out, plan.choice.start, plan.choice.size);
      expect(after.warnings).toEqual([]);
    }
    const damaged = image('fat16');
    damaged.bytes[damaged.boot + 0x25] |= 1;
    const chain = await chainOf(damaged.bytes, damaged.boot, damaged.bootSize, 'a.bin');
    setFat(damaged.bytes, damaged.boot, damaged.g, chain[0], 0xffff);
    const e = await refused(damaged.bytes);
    expect(e.code).toBe('FAT_DIRTY');
    expect(e.message).toMatch(/not cleanly unmounted \(the dirty flag in the boot sector is set\) and is damaged: "a.bin" is 3000 bytes long but has 1 clusters/);
  });

  it('with FAT32 mirroring turned off, updates every FAT copy (Linux reads FAT #1)', async () => {
    const img = image('fat32');
    for (const sector of [0, 6]) img.bytes[img.boot + sector * 512 + 40] = 0x81; // ExtFlags: mirroring off, FAT #2 active
    const { out, plan } = await configuredCleanly(img.bytes, 'mirror');
    const { fatOffset, fatBytes } = img.g;
    const at = plan.choice.start + fatOffset;
    expect(Buffer.compare(out.subarray(at, at + fatBytes), out.subarray(at + fatBytes, at + 2 * fatBytes))).toBe(0);
    expect(Buffer.compare(out.subarray(at, at + fatBytes), img.bytes.subarray(at, at + fatBytes))).not.toBe(0);
  });

  it('rewrites an FSInfo sector with a wrong signature or free count correctly, and says so', async () => {
    for (const [what, offset, value] of [['signature', 0, 0x58585858], ['free count', 488, 12345]] as const) {
      const img = image('fat32');
      le(img.bytes, img.boot + 512 + offset, value, 4);
      const vol = await volumeOf(img.bytes.slice(), img.boot, img.bootSize);
      expect(vol.warnings.map((w) => w.code)).toEqual(['FAT_REPAIRED']);
      expect(vol.warnings[0].message).toMatch(what === 'signature' ? /FSInfo sector has a damaged signature/ : /FSInfo sector counts 12345 free clusters but \d+ are free/);
      await configuredCleanly(img.bytes, `fsinfo-${offset}`);
    }
  });

  it('reports orphaned long-name entries and a "." in the root, and leaves the output no worse', async () => {
    const img = image('fat16');
    const vol0 = await volumeOf(img.bytes.slice(), img.boot, img.bootSize);
    const root = await vol0.directory(0, '');
    const sub = await vol0.directory((await vol0.stat('system-connections'))!.firstCluster, 'system-connections');
    const dot = sub.dotRecords().find((r) => r.shortName === '.')!;
    // Root: a '.' entry in the first free slot. Folder: a long name whose short entry is deleted.
    const free = root.findFreeRun(1).slot;
    img.bytes.set(sub.slot(dot.slot), img.boot + root.slotOffset(free));
    const lfnOwner = sub.records().find((r) => r.firstSlot < r.slot)!;
    img.bytes[img.boot + sub.slotOffset(lfnOwner.slot)] = 0xe5;
    const vol = await volumeOf(img.bytes.slice(), img.boot, img.bootSize);
    await vol.writeFile('probe.txt', new Uint8Array(1));
    expect(vol.warnings.map((w) => [w.code, w.message])).toEqual([
      ['FAT_DAMAGE_IGNORED', "The boot filesystem is slightly damaged: the root folder holds a '.' or '..' entry, which only subfolders have; it is ignored."],
      ['FAT_DAMAGE_IGNORED', expect.stringMatching(/the folder "system-connections" holds \d+ long-name entr(y|ies) that belong to no file \(orphaned\)/)],
    ]);
    const inputFs = t.path('orphans-in.fat');
    writeFileSync(inputFs, img.bytes.subarray(img.boot, img.boot + img.bootSize));
    const plan = await planConfiguration(new MemoryDisk(img.bytes.slice()), SETTINGS);
    const out = img.bytes.slice();
    for (const c of plan.changes) out.set(c.bytes, c.offset);
    const outputFs = t.path('orphans-out.fat');
    writeFileSync(outputFs, out.subarray(img.boot, img.boot + img.bootSize));
    const problems = (file: string) => new Set(run('fsck.fat', ['-n', file]).stdout.split('\n').slice(1).filter((l) => !/^\s*$|files?, \d+\/\d+ clusters|Leaving/.test(l)).map((l) => l.replace(/\d+/g, 'N')));
    const before = problems(inputFs);
    expect(before.size).toBeGreaterThan(0); // fsck sees the damage too
    for (const p of problems(outputFs)) expect(before).toContain(p);
    expect(JSON.parse(run('mtype', ['-i', outputFs, '::/config.json']).stdout)).toMatchObject({ hostname: 'robust-1' });
  });
});
