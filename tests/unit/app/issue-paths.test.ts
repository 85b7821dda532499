import { describe, expect, it } from 'vitest';
import { fieldId, issuesAt, problemText } from '../../../src/app/state/issue-paths.ts';

const issues = [
  { path: 'network.dnsServers[1]', message: 'network.dnsServers[1]: is not an IP address' },
  { path: 'network.dns', message: 'network.dns: x' },
  { path: 'hostname', message: 'hostname: may contain only lower-case letters' },
];

describe('issue paths', () => {
  it('selects the issues at a path, and with nested those below it (not siblings sharing a prefix)', () => {
    expect(issuesAt(issues, 'network.dnsServers')).toEqual([]);
    expect(issuesAt(issues, 'network.dnsServers', true)).toEqual([issues[0]]);
    expect(issuesAt(issues, 'network.dns', true)).toEqual([issues[1]]);
  });

  it('shows the problem without the path beside its field, and names list entries', () => {
    expect(problemText(issues[2], 'hostname')).toBe('may contain only lower-case letters');
    expect(problemText(issues[0], 'network.dnsServers')).toBe('entry 2: is not an IP address');
  });

  it('makes distinct, valid element ids', () => {
    expect(fieldId('network.wifi[0].ssid')).toBe('field-network-wifi-0-ssid');
    expect(fieldId('network.wifi[0].ssid')).not.toBe(fieldId('network.wifi[1].ssid'));
  });
});

describe('settings paths written by the app', () => {
  it('agree with the paths the core validator writes', async () => {
    const core = await import('../../../src/core/settings/issues.ts');
    const app = await import('../../../src/app/state/settings-types.ts');
    for (const [parent, key] of [['', 'hostname'], ['files', 'system-connections/office'], ['os.udevRules', '99-serial'], ['network', 'wifi'], ['files', 'a"b']]) {
      expect(app.keyPath(parent, key)).toBe(core.keyPath(parent, key));
    }
    expect(app.indexPath('network.wifi', 2)).toBe(core.indexPath('network.wifi', 2));
  });
});
