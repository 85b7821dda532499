/**
 * The JSON Schema (checked by Ajv, draft 2020-12) and the hand-written validator agree on
 * structure: both accept the valid fixtures and both reject unknown keys, wrong types and missing
 * required keys.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import schema from '../../../src/core/settings/settings.schema.json';
import { validateSettings } from '../../../src/core/settings/validate.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const ajvValidate = ajv.compile(schema);

const complete = JSON.parse(readFileSync(new URL('./fixtures/complete.json', import.meta.url), 'utf8'));
const clone = () => JSON.parse(JSON.stringify(complete));

const validDocs: [string, unknown][] = [
  ['complete.json', complete],
  ['only the version', { version: 1 }],
  ['open Wi-Fi with DHCP', { version: 1, network: { wifi: [{ ssid: 'Guest' }], country: 'US' } }],
  ['unmanaged device with SSH', { version: 1, hostname: 'kiosk', ssh: { authorizedKeys: [complete.ssh.authorizedKeys[0]] } }],
];

function withChange(change: (doc: any) => void): unknown {
  const doc = clone();
  change(doc);
  return doc;
}

const structurallyInvalid: [string, unknown, string][] = [
  ['unknown top-level key', withChange((d) => (d.hostName = 'x')), 'hostName'],
  ['unknown key in a Wi-Fi network', withChange((d) => (d.network.wifi[0].pasphrase = 'x')), 'network.wifi[0].pasphrase'],
  ['unknown key in eap', withChange((d) => (d.network.wifi[2].eap.user = 'x')), 'network.wifi[2].eap.user'],
  ['unknown key in ipv4', withChange((d) => (d.network.ethernet.ipv4.netmask = '255.255.0.0')), 'network.ethernet.ipv4.netmask'],
  ['unknown key in a WireGuard peer', withChange((d) => (d.vpn.wireguard.peers[0].keepalive = 25)), 'vpn.wireguard.peers[0].keepalive'],
  ['unknown key in cloud', withChange((d) => (d.cloud.apiKey = 'x')), 'cloud.apiKey'],
  ['unknown key in os', withChange((d) => (d.os.sshKeys = [])), 'os.sshKeys'],
  ['unknown key in cellular', withChange((d) => (d.network.cellular.user = 'x')), 'network.cellular.user'],
  ['unknown key in proxy', withChange((d) => (d.network.proxy.ip = '1.2.3.4')), 'network.proxy.ip'],
  ['missing version', withChange((d) => delete d.version), 'version'],
  ['missing ssid', withChange((d) => delete d.network.wifi[0].ssid), 'network.wifi[0].ssid'],
  ['missing eap method', withChange((d) => delete d.network.wifi[2].eap.method), 'network.wifi[2].eap.method'],
  ['missing apn', withChange((d) => delete d.network.cellular.apn), 'network.cellular.apn'],
  ['missing proxy port', withChange((d) => delete d.network.proxy.port), 'network.proxy.port'],
  ['missing peer allowedIps', withChange((d) => delete d.vpn.wireguard.peers[0].allowedIps), 'vpn.wireguard.peers[0].allowedIps'],
  ['hostname not a string', withChange((d) => (d.hostname = 7)), 'hostname'],
  ['wifi not an array', withChange((d) => (d.network.wifi = d.network.wifi[0])), 'network.wifi'],
  ['priority not an integer', withChange((d) => (d.network.wifi[0].priority = 1.5)), 'network.wifi[0].priority'],
  ['hidden not a boolean', withChange((d) => (d.network.wifi[1].hidden = 'yes')), 'network.wifi[1].hidden'],
  ['unknown security', withChange((d) => (d.network.wifi[0].security = 'wpa2')), 'network.wifi[0].security'],
  ['applicationId as a string', withChange((d) => (d.cloud.applicationId = '1234567')), 'cloud.applicationId'],
  ['file text not a string', withChange((d) => (d.files['dispatcher.d/50-log-connectivity'] = 1)), 'files["dispatcher.d/50-log-connectivity"]'],
  ['version 2', withChange((d) => (d.version = 2)), 'version'],
];

describe('schema and hand validator agree', () => {
  it('the schema compiles in Ajv strict mode', () => {
    expect(typeof ajvValidate).toBe('function');
  });

  it.each(validDocs)('both accept: %s', (_, doc) => {
    expect(ajvValidate(doc), JSON.stringify(ajvValidate.errors)).toBe(true);
    const result = validateSettings(doc);
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([]);
  });

  it.each(structurallyInvalid)('both reject: %s', (_, doc, path) => {
    expect(ajvValidate(doc)).toBe(false);
    const result = validateSettings(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});
