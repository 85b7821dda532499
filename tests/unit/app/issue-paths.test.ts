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

describe('settings paths and value lists used by the app', () => {
  it("are the core's own (not copies): the paths the validator writes, the values it accepts", async () => {
    const core = await import('../../../src/core/index.ts');
    const app = await import('../../../src/app/state/settings-types.ts');
    expect(app.keyPath).toBe(core.keyPath);
    expect(app.indexPath).toBe(core.indexPath);
    for (const list of ['WIFI_SECURITIES', 'EAP_METHODS', 'EAP_PHASE2_METHODS', 'IPV4_METHODS', 'PROXY_TYPES'] as const) expect(app[list]).toBe(core[list]);
    expect(app.keyPath('files', 'system-connections/office')).toBe('files["system-connections/office"]');
    expect(app.indexPath('network.wifi', 2)).toBe('network.wifi[2]');
    const issues = core.validateSettings({ version: 1, files: { 'a"b': 'x' }, network: { wifi: [{ ssid: 'a' }, { ssid: '' }] } });
    expect(issues.ok).toBe(false);
    const paths = issues.ok ? [] : issues.issues.map((i) => i.path);
    expect(paths).toContain(app.keyPath(app.indexPath('network.wifi', 1), 'ssid'));
  });
});
