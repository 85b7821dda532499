/** Behaviour of the individual profile generators beyond the golden samples. */
import { describe, expect, test } from 'vitest';
import { cellularGenerator } from '../../../src/core/balena/cellular.ts';
import { eapGroup } from '../../../src/core/balena/eap.ts';
import { ethernetGenerator } from '../../../src/core/balena/ethernet.ts';
import { parseKeyfile } from '../../../src/core/balena/keyfile-reader.ts';
import { noProxyFile, proxyGenerator, redsocksConf } from '../../../src/core/balena/proxy.ts';
import { normaliseBootPath, userFilesGenerator } from '../../../src/core/balena/user-files.ts';
import { wifiKeyfile } from '../../../src/core/balena/wifi.ts';
import { wireguardKeyfile } from '../../../src/core/balena/wireguard.ts';
import type { Settings } from '../../../src/core/settings/types.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const invalid = expect.objectContaining({ code: 'SETTINGS_INVALID' });

describe('Wi-Fi', () => {
  test('hidden only when asked; no uuid; priority only when given', () => {
    const plain = parseKeyfile(wifiKeyfile({ ssid: 'a', hidden: false }, 'wifi-a')).groups;
    expect(plain.get('wifi')!.has('hidden')).toBe(false);
    expect(plain.get('connection')!.has('uuid')).toBe(false);
    expect(plain.get('connection')!.has('autoconnect-priority')).toBe(false);
    expect(plain.has('wifi-security')).toBe(false);
    const hidden = parseKeyfile(wifiKeyfile({ ssid: 'a', hidden: true, priority: 0 }, 'wifi-a')).groups;
    expect(hidden.get('wifi')!.get('hidden')).toBe('true');
    expect(hidden.get('connection')!.get('autoconnect-priority')).toBe('0');
  });

  test('PSK/SAE without a passphrase, EAP without settings and an empty SSID are refused', () => {
    expect(() => wifiKeyfile({ ssid: 'a', security: 'sae' }, 'x')).toThrow(invalid);
    expect(() => wifiKeyfile({ ssid: 'a', security: 'wpa-eap' }, 'x')).toThrow(invalid);
    expect(() => wifiKeyfile({ ssid: '' }, 'x')).toThrow(invalid);
    expect(() => wifiKeyfile({ ssid: 'a', eap: { method: 'peap', identity: 'i', password: 'p' } }, 'x')).toThrow(invalid);
  });

  test('manual IPv4 without an address is refused', () => {
    expect(() => wifiKeyfile({ ssid: 'a', ipv4: { method: 'manual' } }, 'x')).toThrow(/no address/);
  });
});

describe('802-1x', () => {
  const entries = (g: ReturnType<typeof eapGroup>) => Object.fromEntries(g.entries.filter(([, v]) => v !== undefined));

  test('PEAP/TTLS default to MSCHAPv2 inside; TTLS with GTC/MD5 uses phase2-autheap', () => {
    expect(entries(eapGroup({ method: 'peap', identity: 'a' }, 'x'))['phase2-auth']).toBe('mschapv2');
    const ttlsGtc = entries(eapGroup({ method: 'ttls', identity: 'a', phase2: 'gtc' }, 'x'));
    expect(ttlsGtc['phase2-autheap']).toBe('gtc');
    expect(ttlsGtc).not.toHaveProperty('phase2-auth');
  });

  test('TLS needs a client certificate and key; passwords of other methods are not written for TLS', () => {
    expect(() => eapGroup({ method: 'tls', identity: 'a', clientCert: 'x' }, 'x')).toThrow(invalid);
    const tls = entries(eapGroup({ method: 'tls', identity: 'a', clientCert: 'c', privateKey: 'k', password: 'unused' }, 'x'));
    expect(tls).not.toHaveProperty('password');
    expect(tls['client-cert']).toBe('data:;base64,Yw==');
  });

  test('empty optional strings are left out', () => {
    expect(entries(eapGroup({ method: 'peap', identity: '', anonymousIdentity: '', caCert: ' ' }, 'x'))).toEqual({
      eap: ['peap'],
      'phase2-auth': 'mschapv2',
    });
  });
});

describe('Ethernet and cellular', () => {
  test('DHCP without DNS needs no file; DHCP with DNS gets one', () => {
    expect(ethernetGenerator.generate({ version: 1, network: { ethernet: { ipv4: { method: 'auto' } } } }, {})).toEqual([]);
    const [file] = ethernetGenerator.generate({ version: 1, network: { ethernet: { ipv4: { method: 'auto', dns: ['1.1.1.1'] } } } }, {});
    expect(file.path).toBe('system-connections/ethernet');
    expect(parseKeyfile(text(file.content)).groups.get('ipv4')!.get('dns')).toBe('1.1.1.1;');
  });

  test('cellular leaves out empty username/password/pin', () => {
    const [file] = cellularGenerator.generate({ version: 1, network: { cellular: { apn: 'a', username: '', pin: '' } } }, {});
    expect([...parseKeyfile(text(file.content)).groups.get('gsm')!.keys()]).toEqual(['apn']);
  });
});

describe('WireGuard', () => {
  const wg = { privateKey: 'k', addresses: ['10.0.0.2/32'], peers: [{ publicKey: 'P', allowedIps: ['0.0.0.0/0'] }] };

  test('IPv4-only tunnel: [ipv6] disabled, no preshared-key-flags without a preshared key', () => {
    const groups = parseKeyfile(wireguardKeyfile(wg)).groups;
    expect(groups.get('ipv6')!.get('method')).toBe('disabled');
    expect(groups.get('wireguard-peer.P')!.has('preshared-key-flags')).toBe(false);
  });

  test('a peer listed twice is refused (its sections would merge)', () => {
    expect(() => wireguardKeyfile({ ...wg, peers: [wg.peers[0], wg.peers[0]] })).toThrow(/listed twice/);
  });
});

describe('proxy (redsocks)', () => {
  const proxy = { type: 'socks5' as const, host: '10.0.0.5', port: 1080 };

  test('no no_proxy file without bypass entries; no login lines without credentials', () => {
    const files = proxyGenerator.generate({ version: 1, network: { proxy } }, {});
    expect(files.map((f) => f.path)).toEqual(['system-proxy/redsocks.conf']);
    expect(text(files[0].content)).not.toMatch(/login|password/);
  });

  test.each(['pa"ss', 'pa\\ss', 'pa;ss', 'pa\nss'])('refuses the password %j', (password) => {
    expect(() => redsocksConf({ ...proxy, password })).toThrow(invalid);
  });

  test('refuses host names and bypass entries that could break the file', () => {
    expect(() => redsocksConf({ ...proxy, host: '10.0.0.5; }' })).toThrow(invalid);
    expect(() => redsocksConf({ ...proxy, port: 70000 })).toThrow(invalid);
    expect(() => noProxyFile(['10.0.0.0/8\n1.2.3.4'])).toThrow(invalid);
    expect(noProxyFile(['10.0.0.0/8', 'fd00::/8'])).toBe('10.0.0.0/8\nfd00::/8\n');
  });
});

describe('user files', () => {
  test('written verbatim as UTF-8, leading slash dropped', () => {
    const settings: Settings = { version: 1, files: { '/splash/note.txt': 'é\r\nx' } };
    const [file] = userFilesGenerator.generate(settings, {});
    expect(file.path).toBe('splash/note.txt');
    expect(Array.from(file.content)).toEqual(Array.from(new TextEncoder().encode('é\r\nx')));
  });

  test.each(['../x', 'a/../b', 'a//b', 'a\\b', './a', '', '/', 'a/'])('refuses the path %j', (path) => {
    expect(() => normaliseBootPath(path)).toThrow(invalid);
  });
});
