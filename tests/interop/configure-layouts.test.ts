/**
 * `preflash configure` on every layout kind balenaOS images come in (issue 2): the result is
 * checked with fsck.fat and mtools, and every byte outside the boot filesystem stays as it was.
 */
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { differingSectors, expectFsckClean, extract, mdirNames, mtype, sameFile } from '../helpers/image-checks.ts';
import { makeBalenaImage, type LayoutName } from '../helpers/make-image.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'fsck.fat', 'mtype', 'ssh-keygen');
// Images of up to 111 MiB are written and read back at once: /dev/shm when it has room, no disk writeback.
const tmp = tempDir('preflash-layouts-', { memory: true });
let settingsPath = '';
let sshKey = '';

beforeAll(() => {
  if (!tools) return;
  runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', tmp.path('id_ed25519')]);
  sshKey = readFileSync(tmp.path('id_ed25519.pub'), 'utf8').trim();
  settingsPath = tmp.path('settings.json');
  writeFileSync(
    settingsPath,
    JSON.stringify({
      version: 1,
      hostname: 'field-unit-7',
      ssh: { authorizedKeys: [sshKey] },
      network: { wifi: [{ ssid: 'Home Net', security: 'wpa-psk', passphrase: 'correct horse battery' }] },
    }),
  );
});
afterAll(() => tmp.cleanup());

const layouts: { layout: LayoutName; partitionIndex: number | null; deviceType: string }[] = [
  { layout: 'raspberrypi', partitionIndex: 1, deviceType: 'raspberrypi4-64' },
  { layout: 'intel-nuc-installer', partitionIndex: 1, deviceType: 'intel-nuc' },
  { layout: 'jetson-nano', partitionIndex: 12, deviceType: 'jetson-nano' },
  { layout: 'resinos1', partitionIndex: 5, deviceType: 'raspberry-pi' },
  { layout: 'edison', partitionIndex: null, deviceType: 'intel-edison' },
];

describe.skipIf(!tools)('configure on each layout', () => {
  for (const { layout, partitionIndex, deviceType } of layouts) {
    it(`${layout}: writes config.json and a Wi-Fi profile into the right FAT, nothing else changes`, async () => {
      const input = tmp.path(`${layout}.img`);
      const made = makeBalenaImage(input, layout);
      // A second copy of the same image (tests/helpers/fixture-cache.ts: a sparse copy, no rebuild)
      // to compare the input with afterwards: a memcmp instead of hashing 111 MiB twice.
      const pristine = tmp.path(`${layout}-pristine.img`);
      makeBalenaImage(pristine, layout);
      expect(sameFile(input, pristine)).toBe(true);

      const inspect = await cli(['inspect', input, '--json']);
      expect(inspect.code, inspect.stderr).toBe(0);
      const report = JSON.parse(inspect.stdout);
      expect(report.configPartition.index).toBe(partitionIndex);
      expect(report.configPartition.reason.length).toBeGreaterThan(10);

      const output = tmp.path(`${layout}-out.img`);
      const r = await cli(['configure', input, '--settings', settingsPath, '-o', output]);
      expect(r.code, r.stderr).toBe(0);
      expect(sameFile(input, pristine)).toBe(true); // the input is never modified
      // Installer images say loudly what booting them does.
      if (layout === 'intel-nuc-installer') expect(r.stderr).toMatch(/^warning: This is an installer image: .*erases/m);
      else expect(r.stderr).not.toMatch(/installer image/);

      const fsStart: number = report.configPartition.start;
      const fsSize: number = report.configPartition.size;
      const config = JSON.parse(mtype(output, fsStart, 'config.json'));
      expect(config.hostname).toBe('field-unit-7');
      expect(config.os.sshKeys).toEqual([sshKey]);
      if (layout !== 'resinos1') expect(config.deviceType).toBe(deviceType);
      expect(config).not.toHaveProperty('wifiSsid');
      expect(config).not.toHaveProperty('files');
      const connections = mdirNames(output, fsStart, 'system-connections');
      const profile = connections.find((n) => n !== 'balena-sample.ignore');
      expect(profile).toBeDefined();
      const keyfile = mtype(output, fsStart, `system-connections/${profile}`);
      expect(keyfile).toContain('ssid=Home Net');
      expect(keyfile).toContain('psk=correct horse battery');

      expectFsckClean(extract(output, fsStart, fsSize, tmp.path(`${layout}-fs.img`)));

      // Every changed sector lies inside the boot filesystem; the rest is byte-identical.
      const changed = differingSectors(input, output);
      expect(changed.length).toBeGreaterThan(0);
      for (const s of changed) {
        expect(s * 512).toBeGreaterThanOrEqual(fsStart);
        expect(s * 512).toBeLessThan(fsStart + fsSize);
      }
      expect(changed.length).toBeLessThan(64);
      expect(made.size).toBe(statSync(output).size);
    });
  }

  it('--in-place writes the same bytes as -o, and runs are deterministic', async () => {
    const input = tmp.path('det.img');
    makeBalenaImage(input, 'raspberrypi');
    const a = tmp.path('det-a.img');
    const b = tmp.path('det-b.img');
    expect((await cli(['configure', input, '--settings', settingsPath, '-o', a])).code).toBe(0);
    expect((await cli(['configure', input, '--settings', settingsPath, '-o', b])).code).toBe(0);
    expect(sameFile(a, b)).toBe(true);
    const inPlace = tmp.path('det-inplace.img');
    copyFileSync(input, inPlace);
    const r = await cli(['configure', inPlace, '--settings', settingsPath, '--in-place']);
    expect(r.code, r.stderr).toBe(0);
    expect(sameFile(inPlace, a)).toBe(true);
  });

  it('--device that differs from the image: warned, not refused (balena-cli #2819)', async () => {
    const input = tmp.path('mismatch.img');
    makeBalenaImage(input, 'raspberrypi');
    const r = await cli(['configure', input, '--settings', settingsPath, '--device', 'raspberrypi5', '-o', tmp.path('mismatch-out.img')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: The image is for device type 'raspberrypi4-64', but 'raspberrypi5' was chosen/);
  });

  it('SOURCE_DATE_EPOCH sets the timestamps written', async () => {
    const input = tmp.path('epoch.img');
    const made = makeBalenaImage(input, 'raspberrypi');
    const out = tmp.path('epoch-out.img');
    const r = await cli(['configure', input, '--settings', settingsPath, '-o', out], { SOURCE_DATE_EPOCH: '1700000000' });
    expect(r.code, r.stderr).toBe(0);
    const listing = runOk('mdir', ['-i', `${out}@@${made.offsets[0]}`, '::/system-connections'], { env: { TZ: 'UTC' } });
    // 1700000000 = 2023-11-14 22:13:20 UTC; FAT keeps 2-second steps, mtools shows minutes.
    expect(listing).toMatch(/2023-11-14\s+22:13/);
  });

  it('never leaves a partial output file when it fails', async () => {
    const input = tmp.path('fail.img');
    makeBalenaImage(input, 'raspberrypi');
    const bad = tmp.path('bad-settings.json');
    writeFileSync(bad, JSON.stringify({ version: 1, hostname: '-bad-' }));
    const out = tmp.path('fail-out.img');
    const r = await cli(['configure', input, '--settings', bad, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('hostname');
    expect(existsSync(out)).toBe(false);
  });
});
