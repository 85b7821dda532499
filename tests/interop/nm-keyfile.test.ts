/**
 * Every generated keyfile of the golden samples goes through NetworkManager's own keyfile
 * reader (`nmcli --offline connection modify`, NM ≥ 1.42: keyfile on stdin → normalised keyfile
 * on stdout). The oracle is NetworkManager's own writer: the same intent expressed as
 * `nmcli --offline connection add <properties>` must produce the same normalised keyfile
 * (apart from the random uuid and the certificate blobs, which nmcli can only take as paths and
 * which are checked by decoding them). WireGuard peers cannot be given to nmcli 1.42, so they
 * are checked value by value.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { base64Decode } from '../../src/core/bytes/base64.ts';
import { CERT_BLOB_PREFIX } from '../../src/core/balena/eap.ts';
import { decodeSsidValue, parseKeyfile, parseKeyfileList, unescapeKeyfileString } from '../../src/core/balena/keyfile-reader.ts';
import { wifiConnectionNames, wifiKeyfile } from '../../src/core/balena/wifi.ts';
import { effectiveSecurity } from '../../src/core/settings/wifi.ts';
import type { EapSettings, Ipv4Settings, Settings, WifiNetwork, WireguardSettings } from '../../src/core/settings/types.ts';
import { EXPECTED_DIR, listFiles, listSampleCases, sampleSettings } from '../helpers/run-samples.ts';
import { hasTool, run, tempDir } from '../helpers/tools.ts';

type Groups = Record<string, Record<string, string>>;

const nmcliOffline = hasTool('nmcli') && run('nmcli', ['--offline', 'connection', 'add', 'type', 'dummy', 'ifname', 'd0']).status === 0;
const tmp = tempDir('preflash-nm-');
afterAll(() => tmp.cleanup());

function toGroups(text: string): Groups {
  const out: Groups = {};
  for (const [name, keys] of parseKeyfile(text).groups) out[name] = Object.fromEntries(keys);
  return out;
}

/** NM's reading of our file, re-written by NM. */
function nmNormalise(fileText: string, id: string): Groups {
  const r = run('nmcli', ['--offline', 'connection', 'modify', 'connection.id', id], { input: fileText });
  expect(r.stderr, `nmcli warnings for ${id}`).toBe('');
  expect(r.status, r.stderr).toBe(0);
  return toGroups(r.stdout);
}

/** NM's own writing of the intended connection. */
function nmAdd(args: string[], ipv6 = ['ipv6.addr-gen-mode', 'stable-privacy']): Groups {
  const r = run('nmcli', ['--offline', 'connection', 'add', ...args, ...ipv6]);
  expect(r.status, `nmcli add ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return toGroups(r.stdout);
}

function withoutVolatile(groups: Groups, certKeys: boolean): Groups {
  const copy: Groups = JSON.parse(JSON.stringify(groups));
  delete copy.connection?.uuid;
  if (certKeys && copy['802-1x']) for (const k of ['ca-cert', 'client-cert', 'private-key']) delete copy['802-1x'][k];
  return copy;
}

function certFile(name: string, pem: string): string {
  const path = tmp.path(name);
  writeFileSync(path, pem);
  return path;
}

function ipv4Args(ipv4: Ipv4Settings | undefined): string[] {
  if (!ipv4) return [];
  const args = ['ipv4.method', ipv4.method];
  if (ipv4.address) args.push('ipv4.addresses', ipv4.address);
  if (ipv4.gateway) args.push('ipv4.gateway', ipv4.gateway);
  if (ipv4.dns?.length) args.push('ipv4.dns', ipv4.dns.join(','));
  return args;
}

function eapArgs(eap: EapSettings, id: string): string[] {
  const args = ['802-1x.eap', eap.method];
  const opt = (prop: string, v: string | undefined) => v && args.push(`802-1x.${prop}`, v);
  opt('identity', eap.identity);
  opt('anonymous-identity', eap.anonymousIdentity);
  opt('domain-suffix-match', eap.domainSuffixMatch);
  if (eap.caCert) args.push('802-1x.ca-cert', certFile(`${id}-ca.pem`, eap.caCert));
  if (eap.method === 'tls') {
    args.push('802-1x.client-cert', certFile(`${id}-client.pem`, eap.clientCert!));
    args.push('802-1x.private-key', certFile(`${id}-key.pem`, eap.privateKey!));
    opt('private-key-password', eap.privateKeyPassword);
  } else {
    opt('password', eap.password);
    const phase2 = eap.phase2 ?? 'mschapv2';
    args.push(eap.method === 'ttls' && ['md5', 'gtc'].includes(phase2) ? '802-1x.phase2-autheap' : '802-1x.phase2-auth', phase2);
  }
  return args;
}

function wifiArgs(network: WifiNetwork, id: string): string[] {
  const args = ['type', 'wifi', 'con-name', id, 'ssid', network.ssid];
  if (network.hidden) args.push('wifi.hidden', 'yes');
  if (network.priority) args.push('connection.autoconnect-priority', String(network.priority));
  const security = effectiveSecurity(network);
  if (security === 'wpa-psk' || security === 'sae') args.push('wifi-sec.key-mgmt', security, 'wifi-sec.psk', network.passphrase!);
  if (security === 'wpa-eap') args.push('wifi-sec.key-mgmt', 'wpa-eap', ...eapArgs(network.eap!, id));
  return [...args, ...ipv4Args(network.ipv4)];
}

function checkCertBlobs(normalised: Groups, eap: EapSettings): void {
  const blobs: Array<[string, string | undefined]> = [['ca-cert', eap.caCert], ['client-cert', eap.clientCert], ['private-key', eap.privateKey]];
  for (const [key, pem] of blobs) {
    const value = normalised['802-1x']?.[key];
    if (!pem) {
      expect(value).toBeUndefined();
      continue;
    }
    expect(value?.startsWith(CERT_BLOB_PREFIX), key).toBe(true);
    expect(new TextDecoder().decode(base64Decode(value!.slice(CERT_BLOB_PREFIX.length)))).toBe(pem);
  }
}

function checkWireguard(normalised: Groups, wg: WireguardSettings): void {
  const oracle = nmAdd(['type', 'wireguard', 'con-name', 'wireguard-wg0', 'ifname', 'wg0', 'wireguard.private-key', wg.privateKey], [
    'ipv4.method', 'disabled', 'ipv6.method', 'disabled',
  ]);
  const peerGroups = Object.keys(normalised).filter((g) => g.startsWith('wireguard-peer.'));
  expect(peerGroups).toEqual(wg.peers.map((p) => `wireguard-peer.${p.publicKey}`));
  for (const peer of wg.peers) {
    const g = normalised[`wireguard-peer.${peer.publicKey}`];
    expect(g.endpoint && unescapeKeyfileString(g.endpoint)).toBe(peer.endpoint);
    expect(parseKeyfileList(g['allowed-ips'])).toEqual(peer.allowedIps);
    expect(g['preshared-key']).toBe(peer.presharedKey);
    expect(g['persistent-keepalive']).toBe(peer.persistentKeepalive ? String(peer.persistentKeepalive) : undefined);
  }
  expect(normalised.connection).toEqual({ ...oracle.connection, uuid: normalised.connection.uuid });
  expect(normalised.wireguard).toEqual(oracle.wireguard);
  const family = (v6: boolean) => wg.addresses.filter((a) => a.includes(':') === v6);
  for (const [group, v6] of [['ipv4', false], ['ipv6', true]] as const) {
    const addresses = family(v6);
    expect(normalised[group].method).toBe(addresses.length ? 'manual' : 'disabled');
    addresses.forEach((a, i) => expect(normalised[group][`address${i + 1}`]).toBe(a));
    const dns = (wg.dns ?? []).filter((d) => d.includes(':') === v6);
    expect(normalised[group].dns ? parseKeyfileList(normalised[group].dns) : []).toEqual(dns);
  }
}

interface Profile {
  caseName: string;
  path: string;
  text: string;
  check: (normalised: Groups) => void;
}

/** Each generated profile of a case, with what it must mean. */
function profilesOf(caseName: string, dir: string, settings: Settings): Profile[] {
  const expectedDir = join(dir, EXPECTED_DIR);
  const generated = listFiles(expectedDir).filter(
    (p) => p.startsWith('system-connections/') && !Object.keys(settings.files ?? {}).some((u) => u.replace(/^\/+/, '') === p),
  );
  const read = (p: string) => readFileSync(join(expectedDir, p), 'utf8');
  const profiles: Profile[] = [];
  const compare = (args: string[], certs = false) => (n: Groups) =>
    expect(withoutVolatile(n, certs)).toEqual(withoutVolatile(nmAdd(args), certs));
  const names = wifiConnectionNames(settings);
  (settings.network?.wifi ?? []).forEach((network, i) => {
    const path = `system-connections/${names[i]}`;
    profiles.push({
      caseName, path, text: read(path),
      check: (n) => {
        expect(Buffer.from(decodeSsidValue(n.wifi.ssid))).toEqual(Buffer.from(network.ssid, 'utf8'));
        compare(wifiArgs(network, names[i]), true)(n);
        if (network.eap) checkCertBlobs(n, network.eap);
      },
    });
  });
  const ethernet = generated.find((p) => /^system-connections\/ethernet/.test(p));
  if (ethernet) {
    const id = ethernet.split('/')[1];
    profiles.push({ caseName, path: ethernet, text: read(ethernet), check: compare(['type', 'ethernet', 'con-name', id, ...ipv4Args(settings.network!.ethernet!.ipv4)]) });
  }
  const cellular = settings.network?.cellular;
  if (cellular) {
    const args = ['type', 'gsm', 'con-name', 'cellular', 'gsm.apn', cellular.apn];
    for (const key of ['username', 'password', 'pin'] as const) if (cellular[key]) args.push(`gsm.${key}`, cellular[key]!);
    profiles.push({ caseName, path: 'system-connections/cellular', text: read('system-connections/cellular'), check: compare(args) });
  }
  const wg = settings.vpn?.wireguard;
  if (wg) {
    const path = 'system-connections/wireguard-wg0';
    profiles.push({ caseName, path, text: read(path), check: (n) => checkWireguard(n, wg) });
  }
  // Every generated profile must be covered by an intent above.
  expect(profiles.map((p) => p.path).sort()).toEqual(generated);
  return profiles;
}

const profiles = ['keyfiles', 'boot-files'].flatMap((area) =>
  listSampleCases(area).flatMap((c) => profilesOf(c.name, c.dir, sampleSettings(c))),
);

describe.skipIf(!nmcliOffline)('NetworkManager reads every generated keyfile as intended (nmcli --offline)', () => {
  test('there are profiles to check', () => expect(profiles.length).toBeGreaterThan(20));
  test.each(profiles.map((p) => [`${p.caseName}/${p.path}`, p] as const))('%s', (_name, profile) => {
    const id = unescapeKeyfileString(parseKeyfile(profile.text).groups.get('connection')!.get('id')!);
    profile.check(nmNormalise(profile.text, id));
  });
});

/** SSIDs beyond the samples: NM's reading of our `ssid=` equals NM's own writing of the SSID. */
const extraSsids = [';', ';;;', '0;', '255;1;', '256;', ' ', '   x', 'x   ', '\\', '\\\\;', 'a\\sb', 'a\\nb', '#', '=', '[x]', 'ÿ', 'ß;', '日本語', '😀', 'x'.repeat(32)];

describe.skipIf(!nmcliOffline)('SSID encoding agrees with NetworkManager’s writer', () => {
  test.each(extraSsids.map((s) => [JSON.stringify(s), s] as const))('%s', (_label, ssid) => {
    const ours = nmNormalise(wifiKeyfile({ ssid, security: 'open' }, 'wifi-x'), 'wifi-x');
    const nm = nmAdd(['type', 'wifi', 'con-name', 'wifi-x', 'ssid', ssid]);
    expect(ours.wifi.ssid).toBe(nm.wifi.ssid);
    expect(Buffer.from(decodeSsidValue(ours.wifi.ssid))).toEqual(Buffer.from(ssid, 'utf8'));
  });
});
