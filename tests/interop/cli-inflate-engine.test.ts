/**
 * The CLI's raw-deflate engine (Node's zlib, src/cli/node-inflate.ts) against the core's pako
 * (PREFLASH_INFLATE=pako): for .gz and .zip inputs from GNU gzip, pigz and Info-ZIP, configure
 * writes byte-identical outputs with either — spliced or plain — that pass gzip -t / unzip -t,
 * and whose boot filesystem fsck.fat -n and mtools accept; inspect reports the same.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { expectFsckClean, extract, mtype, sameFile } from '../helpers/image-checks.ts';
import { makeBalenaImage, type MadeImage } from '../helpers/make-image.ts';
import { hasTools, runBytes, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'gzip', 'pigz', 'zip', 'unzip', 'fsck.fat', 'mtype');
// Decoded images of 111 MiB are written and read back at once: /dev/shm when it has room.
const tmp = tempDir('preflash-inflate-engine-', { memory: true });
// Through the spawn broker (tests/helpers/spawn-broker.ts): no fork of this image-holding process.
const sh = (cmd: string) => runBytes('sh', ['-c', cmd], { cwd: tmp.dir }).toString();
const env = { SOURCE_DATE_EPOCH: '1700000000' };
const pako = { ...env, PREFLASH_INFLATE: 'pako' };
let settings = '';
let made: MadeImage;

beforeAll(() => {
  if (!tools) return;
  settings = tmp.path('settings.json');
  writeFileSync(settings, JSON.stringify({ version: 1, hostname: 'engine-unit', network: { wifi: [{ ssid: 'Field', passphrase: 'field-passphrase' }], country: 'DE' } }));
  made = makeBalenaImage(tmp.path('rpi.img'), 'raspberrypi');
  sh('gzip -1 -c rpi.img > gnu1.img.gz && gzip -9 -c rpi.img > gnu9.img.gz && pigz -6 -c rpi.img > pigz.img.gz');
  sh('cp rpi.img z.img && zip -q -1 zip1.img.zip z.img && zip -q -9 zip9.img.zip z.img');
}, 180_000);
afterAll(() => tmp.cleanup());

/** Configures `input` into `output` with the engine `e` selects; returns the output's path. */
async function configure(input: string, output: string, e: Record<string, string>): Promise<string> {
  const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output)], e);
  expect(r.code, r.stderr).toBe(0);
  return tmp.path(output);
}

/** Byte-identical files (a memcmp: cheaper than hashing two 111 MiB plain images). */
const expectSame = (a: string, b: string) => expect(sameFile(a, b), `${a} differs from ${b}`).toBe(true);

/** The decoded output's boot partition passes fsck.fat -n and holds the configured hostname. */
function checkBoot(plainImage: string): void {
  const boot = made.offsets[0];
  expectFsckClean(extract(tmp.path(plainImage), boot, 40 << 20, tmp.path(`${plainImage}.boot`)));
  expect(mtype(tmp.path(plainImage), boot, 'config.json')).toContain('engine-unit');
}

describe.skipIf(!tools)('CLI: Node zlib engine vs pako', () => {
  // The full decode (plain output) is the same code path for every producer: two of them suffice.
  it.each([
    ['gnu1.img.gz', 'gzip -t', 'gzip -dc', false],
    ['gnu9.img.gz', 'gzip -t', 'gzip -dc', true],
    ['pigz.img.gz', 'gzip -t', 'gzip -dc', false],
    ['zip1.img.zip', 'unzip -tq', 'unzip -p', true],
    ['zip9.img.zip', 'unzip -tq', 'unzip -p', false],
  ])('%s: identical spliced outputs (plain ones too for one gzip and one zip), checks pass', async (input, check, decode, plainToo) => {
    const ext = input.endsWith('.zip') ? '.img.zip' : '.img.gz';
    const node = await configure(input, `${input}.node${ext}`, env);
    expectSame(await configure(input, `${input}.pako${ext}`, pako), node);
    sh(`${check} ${input}.node${ext}`);
    sh(`${decode} ${input}.node${ext} > ${input}.decoded.img`);
    checkBoot(`${input}.decoded.img`);
    if (!plainToo) return;
    // The plain image: a full decode with each engine (writeDecoded), equal to the spliced output decoded.
    const plain = await configure(input, `${input}.node.img`, env);
    expectSame(await configure(input, `${input}.pako.img`, pako), plain);
    expectSame(tmp.path(`${input}.decoded.img`), plain);
  });

  it('inspect --json says the same with either engine', async () => {
    for (const input of ['gnu9.img.gz', 'zip1.img.zip']) {
      const a = await cli(['inspect', tmp.path(input), '--json'], env);
      const b = await cli(['inspect', tmp.path(input), '--json'], pako);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('a truncated .gz fails the same way with either engine', async () => {
    sh('head -c $(( $(stat -c %s gnu9.img.gz) / 2 )) gnu9.img.gz > cut.img.gz');
    // The plain output decodes everything, so it reaches the cut (a splice trusts what it copies).
    const a = await cli(['configure', tmp.path('cut.img.gz'), '--settings', settings, '-o', tmp.path('cut-out.img')], env);
    const b = await cli(['configure', tmp.path('cut.img.gz'), '--settings', settings, '-o', tmp.path('cut-out.img')], pako);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe(b.stderr);
    expect(a.stderr).toMatch(/truncated/);
  });
});
