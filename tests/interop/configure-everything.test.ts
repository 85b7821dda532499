/**
 * The whole settings format (examples/settings.json, the README's example) through `configure` on
 * every layout kind (issue 3): each NetworkManager profile written into the image is read back
 * with mtools and accepted by NetworkManager's own parser, config.json carries every key, and the
 * proxy files are there. Also `devices` and `bundle`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { mdirNames, mtype } from '../helpers/image-checks.ts';
import { makeBalenaImage, type LayoutName } from '../helpers/make-image.ts';
import { hasTool, hasTools, run, runOk, tempDir } from '../helpers/tools.ts';

const example = 'examples/settings.json';
const tools = hasTools('sfdisk', 'mkfs.vfat', 'mtype', 'unzip');
const nmcli = hasTool('nmcli') && run('nmcli', ['--offline', 'connection', 'add', 'type', 'dummy', 'ifname', 'd0']).status === 0;
const tmp = tempDir('preflash-everything-');
afterAll(() => tmp.cleanup());

/** NetworkManager's reading of one keyfile: exits 0, says nothing on stderr, keeps the id. */
function expectNmAccepts(text: string, id: string): string {
  const r = run('nmcli', ['--offline', 'connection', 'modify', 'connection.id', id], { input: text });
  expect(r.stderr, `nmcli on ${id}`).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.skipIf(!tools)('the complete example settings on every layout', () => {
  const layouts: LayoutName[] = ['raspberrypi', 'intel-nuc-installer', 'jetson-nano', 'resinos1', 'edison'];
  it.each(layouts)('%s', async (layout) => {
    const input = tmp.path(`${layout}.img`);
    makeBalenaImage(input, layout);
    const out = tmp.path(`${layout}-out.img`);
    const r = await cli(['configure', input, '--settings', example, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const start = JSON.parse((await cli(['inspect', out, '--json'])).stdout).configPartition.start as number;

    const config = JSON.parse(mtype(out, start, 'config.json'));
    expect(config).toMatchObject({
      hostname: 'greenhouse-07',
      country: 'NL',
      dnsServers: '1.1.1.1 2606:4700:4700::1111',
      persistentLogging: true,
      developmentMode: false,
      apiEndpoint: 'https://api.balena-cloud.com',
      applicationId: 1234567,
    });
    expect(config.os.sshKeys).toHaveLength(2);
    expect(Object.keys(config.os.udevRules)).toEqual(['99-usb-serial']);
    for (const legacy of ['files', 'wifiSsid', 'wifiKey']) expect(config).not.toHaveProperty(legacy);

    const profiles = mdirNames(out, start, 'system-connections').filter((n) => !n.endsWith('.ignore'));
    // 3 Wi-Fi + ethernet + cellular + WireGuard + the user's own VLAN profile
    expect(profiles.length).toBe(7);
    if (nmcli) {
      for (const name of profiles) {
        const normalised = expectNmAccepts(mtype(out, start, `system-connections/${name}`), name);
        expect(normalised).toMatch(/^type=(wifi|ethernet|gsm|wireguard|vlan)$/m);
      }
    }
    expect(mtype(out, start, 'system-proxy/redsocks.conf')).toMatch(/type = socks5;/);
    expect(mtype(out, start, 'system-proxy/no_proxy').trim().split('\n')).toEqual(['10.0.0.0/8', '192.168.0.0/16', '172.16.0.1']);
    expect(mtype(out, start, 'dispatcher.d/50-log-connectivity')).toContain('logger -t dispatcher');
  });
});

describe('devices and bundle', () => {
  it('devices --json lists every device with slug, name and arch', async () => {
    const r = await cli(['devices', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { slug: string; name: string; arch: string }[];
    expect(list.length).toBeGreaterThanOrEqual(29);
    for (const d of list) expect(d.slug && d.name && d.arch).toBeTruthy();
    expect(list.map((d) => d.slug)).toEqual(expect.arrayContaining(['raspberry-pi', 'intel-edison', 'intel-nuc', 'jetson-nano', 'raspberrypi5']));
  });

  it('an unknown device type is refused with a suggestion', async () => {
    const r = await cli(['bundle', '--settings', example, '--device', 'raspberrypi4', '-o', tmp.path('x.zip')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/raspberrypi4-64/);
  });

  it.skipIf(!tools)('bundle writes the same files as configure, laid out as on the boot partition', async () => {
    const zip = tmp.path('bundle.zip');
    const r = await cli(['bundle', '--settings', example, '--device', 'raspberrypi4-64', '-o', zip]);
    expect(r.code, r.stderr).toBe(0);
    runOk('unzip', ['-tq', zip]);
    const listing = runOk('unzip', ['-Z1', zip]).trim().split('\n').sort();
    expect(listing).toContain('config.json');
    expect(listing).toContain('system-proxy/redsocks.conf');
    expect(listing.filter((n) => n.startsWith('system-connections/'))).toHaveLength(7);
    const config = JSON.parse(runOk('unzip', ['-p', zip, 'config.json']));
    expect(config.deviceType).toBe('raspberrypi4-64');
    expect(config.hostname).toBe('greenhouse-07');
    // Deterministic: the same settings give the same zip.
    const again = tmp.path('bundle2.zip');
    await cli(['bundle', '--settings', example, '--device', 'raspberrypi4-64', '-o', again]);
    expect(readFileSync(again).equals(readFileSync(zip))).toBe(true);
  });

  it.skipIf(!tools)('--settings - reads the settings from standard input (no secret file on disk)', () => {
    const zip = tmp.path('stdin.zip');
    const r = run(process.execPath, ['bin/preflash.js', 'bundle', '--settings', '-', '--device', 'raspberrypi4-64', '-o', zip], { input: readFileSync(example, 'utf8') });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(runOk('unzip', ['-p', zip, 'config.json'])).hostname).toBe('greenhouse-07');
  });

  it('settings errors name the field path', async () => {
    const bad = tmp.path('bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, network: { wifi: [{ ssid: 'a', passphrase: 'ok-pass-1' }, { ssid: 'b', passphrase: 'short' }] } }));
    const r = await cli(['bundle', '--settings', bad, '--device', 'raspberrypi4-64', '-o', tmp.path('y.zip')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^preflash: network\.wifi\[1\]\.passphrase: /);
  });
});
