/**
 * `preflash configure` on compressed images (issue 4), end to end through the CLI: every path's
 * decompressed output equals what the raw-image path produces for the same settings, and the
 * outputs pass the native integrity checks.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { makeCompressedImages } from '../helpers/compressed-fixtures.ts';
import { expectDecodesTo, sameFile, sha256 } from '../helpers/image-checks.ts';
import { makeBalenaImage } from '../helpers/make-image.ts';
import { hasTools, run, runBytes, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'gzip', 'zip', 'unzip', 'xz', 'cmp');
// Outputs of 111 MiB are written and read back once: /dev/shm when it has room, no disk writeback.
const tmp = tempDir('preflash-compressed-', { memory: true });
let settings = '';
let rawOut = '';

// Tools run from the spawn broker (tests/helpers/spawn-broker.ts): this process holds images, and forking it is dear.
const sh = (cmd: string) => runBytes('sh', ['-c', cmd], { cwd: tmp.dir });
const decodedHash = (cmd: string) => sh(`${cmd} | sha256sum`).toString().split(' ')[0];
/** The decoded output must be the raw path's output, byte for byte (cmp, not two hashes). */
const expectDecodesToRaw = (decode: string) => expectDecodesTo(decode, 'raw-out.img', tmp.dir);
/** A plain output must be the raw path's output; it is then removed (111 MiB each, in memory). */
const expectRawOut = (path: string) => {
  expect(sameFile(path, rawOut), `${path} differs from raw-out.img`).toBe(true);
  rmSync(path);
};

beforeAll(async () => {
  if (!tools) return;
  settings = tmp.path('settings.json');
  writeFileSync(settings, JSON.stringify({ version: 1, hostname: 'zipped-unit', network: { wifi: [{ ssid: 'Field', passphrase: 'field-passphrase' }], country: 'DE' } }));
  makeCompressedImages(tmp.dir, 'rpi.img', 'raspberrypi', [
    ['rpi.img.gz', 'gzip -6 -k rpi.img'],
    ['rpi.img.zip', 'zip -q -6 rpi.img.zip rpi.img'],
    ['rpi.img.xz', 'xz -T2 -1 --block-size=8MiB -k rpi.img'],
  ]);
  rawOut = tmp.path('raw-out.img');
  const r = await cli(['configure', tmp.path('rpi.img'), '--settings', settings, '-o', rawOut]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => tmp.cleanup());

describe.skipIf(!tools)('configure compressed images', () => {
  it.each([
    ['rpi.img.gz', 'out.img.gz', 'gzip -t out.img.gz', 'gzip -dc out.img.gz'],
    ['rpi.img.zip', 'out.img.zip', 'unzip -tq out.img.zip', 'unzip -p out.img.zip'],
    ['rpi.img.xz', 'out.img.xz', 'xz -t out.img.xz', 'xz -dc out.img.xz'],
  ])('%s → %s is spliced: same format, checks pass, decodes to the raw path’s result', async (input, output, check, decode) => {
    const before = sha256(tmp.path(input));
    const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output)]);
    expect(r.code, r.stderr).toBe(0);
    sh(check);
    expectDecodesToRaw(decode);
    expect(sha256(tmp.path(input))).toBe(before);
    // A splice changes a few KB of compressed bytes, not the whole file.
    const grown = statSync(tmp.path(output)).size - statSync(tmp.path(input)).size;
    expect(Math.abs(grown)).toBeLessThan(input.endsWith('.xz') ? 20 * 1024 * 1024 : 256 * 1024);
  });

  it.each([
    ['rpi.img.gz', 'plain.img'],
    ['rpi.img.xz', 'plain2.img'],
    ['rpi.img.zip', 'plain3.img'],
  ])('%s → %s writes the plain image', async (input, output) => {
    const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output)]);
    expect(r.code, r.stderr).toBe(0);
    expectRawOut(tmp.path(output));
  });

  it.each([
    ['rpi.img.zip', 'from-zip.img.gz'],
    ['rpi.img.xz', 'from-xz.img.gz'],
    ['rpi.img', 'from-raw.img.gz'],
  ])('%s → %s re-encodes as gzip', async (input, output) => {
    const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output)]);
    expect(r.code, r.stderr).toBe(0);
    sh(`gzip -t ${output}`);
    expectDecodesToRaw(`gzip -dc ${output}`);
  });

  it('an Edison-style zip: the .hddimg member is configured, every other member is kept byte for byte', async () => {
    makeBalenaImage(tmp.path('edison-image-edison.hddimg'), 'edison');
    writeFileSync(tmp.path('flashall.sh'), '#!/bin/sh\necho flashing\n');
    writeFileSync(tmp.path('u-boot-edison.bin'), new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff));
    sh('zip -q -6 edison.zip flashall.sh edison-image-edison.hddimg u-boot-edison.bin');
    const r = await cli(['configure', tmp.path('edison.zip'), '--settings', settings, '-o', tmp.path('edison-out.zip')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('edison-image-edison.hddimg');
    sh('unzip -tq edison-out.zip');
    for (const member of ['flashall.sh', 'u-boot-edison.bin']) {
      expect(decodedHash(`unzip -p edison-out.zip ${member}`)).toBe(decodedHash(`unzip -p edison.zip ${member}`));
    }
    const config = JSON.parse(runOk('sh', ['-c', `cd ${tmp.dir} && unzip -p edison-out.zip edison-image-edison.hddimg > e.img && mtype -i e.img ::/config.json`]));
    expect(config.hostname).toBe('zipped-unit');
    expect(config.country).toBe('DE');
  });

  it('the bundled binary (bin/preflash.js) configures an .xz like the in-process CLI', () => {
    const r = run(process.execPath, ['bin/preflash.js', 'configure', tmp.path('rpi.img.xz'), '--settings', settings, '-o', tmp.path('bin-out.img.xz')], { cwd: process.cwd() });
    expect(r.status, r.stderr).toBe(0);
    expectDecodesToRaw('xz -dc bin-out.img.xz');
  });

  it('a single-block .xz cannot be spliced: a clear error naming the alternatives, no output', async () => {
    sh('xz -T1 -0 -c rpi.img > single.img.xz');
    const r = await cli(['configure', tmp.path('single.img.xz'), '--settings', settings, '-o', tmp.path('single-out.img.xz')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/single block/);
    expect(r.stderr).toMatch(/\.img\.gz/);
    expect(existsSync(tmp.path('single-out.img.xz'))).toBe(false);
    const alt = await cli(['configure', tmp.path('single.img.xz'), '--settings', settings, '-o', tmp.path('single-out.img.gz')]);
    expect(alt.code, alt.stderr).toBe(0);
    expectDecodesToRaw('gzip -dc single-out.img.gz');
  });

  it('a zip with two images: refused naming both and --member; --member picks one', async () => {
    sh('cp rpi.img second.img && rm -f two.zip && zip -q -1 two.zip rpi.img second.img');
    const refused = await cli(['configure', tmp.path('two.zip'), '--settings', settings, '-o', tmp.path('two-out.zip')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/rpi\.img, second\.img.*--member/);
    expect(existsSync(tmp.path('two-out.zip'))).toBe(false);
    const picked = await cli(['configure', tmp.path('two.zip'), '--settings', settings, '-o', tmp.path('two-out.zip'), '--member', 'second.img']);
    expect(picked.code, picked.stderr).toBe(0);
    expectDecodesToRaw('unzip -p two-out.zip second.img');
    expectDecodesTo('unzip -p two-out.zip rpi.img', 'rpi.img', tmp.dir); // the other member: still the input image
    const inspected = await cli(['inspect', tmp.path('two.zip'), '--member', 'second.img', '--json']);
    expect(JSON.parse(inspected.stdout).member).toBe('second.img');
  });

  it('--in-place refuses a compressed image and leaves it untouched', async () => {
    const before = sha256(tmp.path('rpi.img.gz'));
    const r = await cli(['configure', tmp.path('rpi.img.gz'), '--settings', settings, '--in-place']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--in-place/);
    expect(sha256(tmp.path('rpi.img.gz'))).toBe(before);
  });

  it('a truncated archive fails with no output file', async () => {
    const gz = readFileSync(tmp.path('rpi.img.gz'));
    writeFileSync(tmp.path('cut.img.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await cli(['configure', tmp.path('cut.img.gz'), '--settings', settings, '-o', tmp.path('cut-out.img.gz'), '--verify-input']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(tmp.path('cut-out.img.gz'))).toBe(false);
    expect(runBytes('ls', ['-a', tmp.dir]).toString()).not.toMatch(/preflash-\d+\.tmp/);
  });
});
