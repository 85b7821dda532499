/**
 * Bad input to `preflash configure` (issue 2): each gets exit 1, one line on stderr naming the
 * problem, no output file, and an untouched input.
 */
import { existsSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { sha256 } from '../helpers/image-checks.ts';
import { makeBalenaImage, makeImage } from '../helpers/make-image.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mcopy');
const tmp = tempDir('preflash-bad-');
let settings = '';

beforeAll(() => {
  settings = tmp.path('settings.json');
  writeFileSync(settings, JSON.stringify({ version: 1, hostname: 'unit-1', network: { wifi: [{ ssid: 'Net', passphrase: 'password123' }] } }));
});
afterAll(() => tmp.cleanup());

function patch(path: string, offset: number, bytes: number[]) {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset);
  closeSync(fd);
}

async function expectRefused(input: string, pattern: RegExp) {
  const before = sha256(input);
  const out = tmp.path(`out-${Math.random().toString(36).slice(2)}.img`);
  const r = await cli(['configure', input, '--settings', settings, '-o', out]);
  expect(r.code, r.stdout).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(existsSync(out)).toBe(false);
  expect(sha256(input)).toBe(before);
}

describe.skipIf(!tools)('configure refuses bad input clearly', () => {
  it('a truncated image', async () => {
    const p = tmp.path('trunc.img');
    makeBalenaImage(p, 'raspberrypi');
    truncateSync(p, 300);
    await expectRefused(p, /truncated|ends at byte|too short/i);
  });

  it('random bytes', async () => {
    const p = tmp.path('random.img');
    let x = 12345;
    const bytes = new Uint8Array(4 * 1024 * 1024).map(() => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
    writeFileSync(p, bytes);
    await expectRefused(p, /no MBR|partition table|not recogni[sz]ed|FAT/i);
  });

  it('a GPT whose header CRC is wrong (primary and backup)', async () => {
    const p = tmp.path('gpt-crc.img');
    const made = makeBalenaImage(p, 'jetson-nano');
    patch(p, 512 + 0x10, [0xde, 0xad, 0xbe, 0xef]);
    patch(p, made.size - 512 + 0x10, [0xde, 0xad, 0xbe, 0xef]);
    await expectRefused(p, /CRC/i);
  });

  it('overlapping partitions', async () => {
    const p = tmp.path('overlap.img');
    makeBalenaImage(p, 'raspberrypi');
    // Make MBR entry 2 start inside partition 1 (LBA 8192 + 100).
    patch(p, 0x1be + 16 + 8, [0x64, 0x20, 0x00, 0x00]);
    await expectRefused(p, /overlap/i);
  });

  it('a partition that lies past the end of the file', async () => {
    const p = tmp.path('past-end.img');
    const made = makeBalenaImage(p, 'raspberrypi');
    truncateSync(p, made.offsets[1] + 1024 * 1024);
    await expectRefused(p, /past the end|beyond the end|ends at byte/i);
  });

  it('a FAT with a looping cluster chain', async () => {
    const p = tmp.path('loop.img');
    const made = makeImage(p, { table: 'mbr', partitions: [{ sizeMiB: 40, type: 'e', fs: { fat: 16, label: 'resin-boot', files: { 'config.json': '{"deviceType":"x"}', 'big.bin': new Uint8Array(20000).fill(1) } } }] });
    // Find big.bin's first cluster with mtools, then point its second cluster back at the first.
    const info = runOk('mshowfat', ['-i', `${p}@@${made.offsets[0]}`, '::/big.bin']);
    const first = Number(/<(\d+)/.exec(info)![1]);
    const bpb = readFileSync(p).subarray(made.offsets[0], made.offsets[0] + 512);
    const reserved = bpb.readUInt16LE(14);
    const sectorsPerFat = bpb.readUInt16LE(22);
    for (let copy = 0; copy < 2; copy++) {
      const fatStart = made.offsets[0] + (reserved + copy * sectorsPerFat) * 512;
      patch(p, fatStart + (first + 1) * 2, [first & 0xff, first >> 8]);
    }
    // The file must be read or rewritten to notice; overwrite it through settings.files.
    writeFileSync(settings + '.loop', JSON.stringify({ version: 1, files: { 'big.bin': 'x' } }));
    const before = sha256(p);
    const out = tmp.path('loop-out.img');
    const r = await cli(['configure', p, '--settings', settings + '.loop', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/loop|chain|corrupt/i);
    expect(existsSync(out)).toBe(false);
    expect(sha256(p)).toBe(before);
  });

  it('a full boot partition', async () => {
    const p = tmp.path('full.img');
    const made = makeImage(p, { table: 'mbr', partitions: [{ sizeMiB: 8, type: 'e', fs: { fat: 16, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: { 'config.json': '{}' } } }] });
    // Fill it up to 100 KB short of full.
    const free = Number(/([\d ]+) bytes free/.exec(runOk('mdir', ['-i', `${p}@@${made.offsets[0]}`, '::']))![1].replace(/ /g, ''));
    const filler = tmp.path('filler.bin');
    writeFileSync(filler, new Uint8Array(free - 100_000));
    runOk('mcopy', ['-i', `${p}@@${made.offsets[0]}`, filler, '::/filler.bin']);
    const big = tmp.path('big-settings.json');
    writeFileSync(big, JSON.stringify({ version: 1, files: { 'system-connections/huge': 'x'.repeat(600_000) } }));
    const before = sha256(p);
    const out = tmp.path('full-out.img');
    const r = await cli(['configure', p, '--settings', big, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/full|space/i);
    expect(existsSync(out)).toBe(false);
    expect(sha256(p)).toBe(before);
  });

  it('an output folder that does not exist: named in the message, not blamed on the input', async () => {
    const p = tmp.path('ok.img');
    makeBalenaImage(p, 'raspberrypi');
    const r = await cli(['configure', p, '--settings', settings, '-o', tmp.path('no/such/folder/out.img')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*no\/such\/folder\/out\.img/);
    expect(r.stderr).not.toContain('ok.img');
  });
});
