/** The committed generated types must equal what the schema produces today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — plain .mjs script without type declarations
import { GENERATED_PATH, generateSettingsTypes } from '../../../scripts/gen-settings-types.mjs';
import schema from '../../../src/core/settings/settings.schema.json';
import { EAP_METHODS, EAP_PHASE2_METHODS, IPV4_METHODS, PROXY_TYPES, WIFI_SECURITIES } from '../../../src/core/settings/types.ts';

type Node = Record<string, unknown>;
const defs = schema.$defs as Record<string, Node>;

describe('settings schema ↔ generated types', () => {
  it('settings.generated.ts is what json-schema-to-typescript makes of the schema (run node scripts/gen-settings-types.mjs)', async () => {
    const fresh: string = await generateSettingsTypes();
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(fresh);
    expect(fresh).toContain('Generated — do not edit');
  });

  it('generates the contract type names', async () => {
    const text: string = await generateSettingsTypes();
    const names = [...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    for (const name of ['Settings', 'NetworkSettings', 'WifiNetwork', 'EapSettings', 'Ipv4Settings', 'EthernetSettings', 'CellularSettings', 'ProxySettings', 'SshSettings', 'VpnSettings', 'WireguardSettings', 'WireguardPeer', 'OsSettings', 'CloudSettings', 'SettingsVersion', 'WifiSecurity', 'EapMethod', 'ProxyType']) {
      expect(names).toContain(name);
    }
    // No Ipv4Settings1-style duplicates (what a $ref with sibling keywords would produce).
    expect(names.filter((n) => /\d$/.test(n) && names.includes(n.replace(/\d+$/, '')))).toEqual([]);
  });

  it('the union value lists in types.ts match the schema enums', () => {
    expect(WIFI_SECURITIES).toEqual(defs.WifiSecurity.enum);
    expect(EAP_METHODS).toEqual(defs.EapMethod.enum);
    expect(EAP_PHASE2_METHODS).toEqual(defs.EapPhase2.enum);
    expect(IPV4_METHODS).toEqual(defs.Ipv4Method.enum);
    expect(PROXY_TYPES).toEqual(defs.ProxyType.enum);
  });

  it('every object closes its keys and every property has a description (the app shows them)', () => {
    const objects: [string, Node][] = [['Settings', schema as unknown as Node], ...Object.entries(defs).filter(([, d]) => d.type === 'object')];
    expect(objects.length).toBeGreaterThanOrEqual(14);
    for (const [name, node] of objects) {
      expect(node.additionalProperties, name).toBe(false);
      expect(typeof node.title, name).toBe('string');
      for (const [key, prop] of Object.entries(node.properties as Record<string, Node>)) {
        expect(typeof prop.description, `${name}.${key}`).toBe('string');
      }
    }
  });
});
