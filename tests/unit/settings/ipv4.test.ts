/** ipv4 of Wi-Fi/Ethernet: CIDR address, gateway inside the subnet, method consistency, DNS. */
import { describe, it } from 'vitest';
import { expectIssue, expectValid } from './helpers.ts';

const eth = (ipv4: Record<string, unknown>) => ({ network: { ethernet: { ipv4 } } });
const path = 'network.ethernet.ipv4';

describe('ipv4', () => {
  it('accepts DHCP, DHCP with extra DNS, and static set-ups', () => {
    expectValid(eth({ method: 'auto' }));
    expectValid(eth({ method: 'auto', dns: ['1.1.1.1', '2606:4700:4700::1111'] }));
    expectValid(eth({ method: 'manual', address: '192.168.1.50/24', gateway: '192.168.1.1', dns: ['192.168.1.1'] }));
    expectValid(eth({ method: 'manual', address: '10.0.0.1/31', gateway: '10.0.0.0' }));
    expectValid(eth({ method: 'manual', address: '172.16.5.4/32' }));
  });

  it('address must be IPv4 CIDR', () => {
    expectIssue(eth({ method: 'manual', address: '192.168.1.50' }), `${path}.address`, 'needs a prefix length, e.g. "192.168.1.50/24"');
    expectIssue(eth({ method: 'manual', address: '192.168.1.50/33' }), `${path}.address`, 'not an IPv4 address with prefix length');
    expectIssue(eth({ method: 'manual', address: '192.168.01.50/24' }), `${path}.address`, 'not an IPv4 address with prefix length');
  });

  it('address must be a host address of its subnet', () => {
    expectIssue(eth({ method: 'manual', address: '192.168.1.0/24' }), `${path}.address`, 'network address of 192.168.1.0/24');
    expectIssue(eth({ method: 'manual', address: '192.168.1.255/24' }), `${path}.address`, 'broadcast address of 192.168.1.0/24');
  });

  it('gateway must lie inside the subnet', () => {
    expectIssue(eth({ method: 'manual', address: '192.168.1.50/24', gateway: '192.168.2.1' }), `${path}.gateway`, '192.168.2.1 is outside the subnet 192.168.1.0/24');
    expectValid(eth({ method: 'manual', address: '192.168.1.50/23', gateway: '192.168.0.1' }));
  });

  it('gateway must be an IPv4 address other than the device itself', () => {
    expectIssue(eth({ method: 'manual', address: '192.168.1.50/24', gateway: 'router' }), `${path}.gateway`, 'not an IPv4 address');
    expectIssue(eth({ method: 'manual', address: '192.168.1.50/24', gateway: '192.168.1.50' }), `${path}.gateway`, "device's own address");
  });

  it('manual needs an address; auto takes none', () => {
    expectIssue(eth({ method: 'manual' }), `${path}.address`, 'required when method is "manual"');
    expectIssue(eth({ method: 'auto', address: '192.168.1.50/24' }), `${path}.address`, 'only used when method is "manual"');
    expectIssue(eth({ method: 'auto', gateway: '192.168.1.1' }), `${path}.gateway`, 'only used when method is "manual"');
  });

  it('method is required and must be auto or manual', () => {
    expectIssue(eth({}), `${path}.method`, 'required');
    expectIssue(eth({ method: 'static', address: '10.0.0.2/8' }), `${path}.method`, 'must be one of "auto", "manual"');
  });

  it('dns entries must be IP addresses (the same rule applies on Wi-Fi)', () => {
    expectIssue(eth({ method: 'auto', dns: ['1.1.1.1', 'dns.google'] }), `${path}.dns[1]`, '"dns.google" is not an IPv4 or IPv6 address');
    expectIssue({ network: { wifi: [{ ssid: 'A', ipv4: { method: 'auto', dns: ['::g'] } }] } }, 'network.wifi[0].ipv4.dns[0]', 'not an IPv4 or IPv6 address');
  });
});
