/** vpn.wireguard: 32-byte keys, CIDRs, endpoints host:port, keepalive range, peer sanity. */
import { describe, it } from 'vitest';
import { KEYS, at, expectIssue, expectValid } from './helpers.ts';

const peer = (p: Record<string, unknown> = {}) => ({ publicKey: KEYS.wgPeer, allowedIps: ['10.8.0.0/24'], ...p });
const wg = (w: Record<string, unknown> = {}, peers = [peer()]) => at('vpn.wireguard', { privateKey: KEYS.wgPrivate, addresses: ['10.8.0.2/32'], peers, ...w });
const peerPath = 'vpn.wireguard.peers[0]';

describe('wireguard', () => {
  it('accepts a full tunnel', () =>
    expectValid(wg({ dns: ['10.8.0.1'] }, [peer({ endpoint: '[2001:db8::1]:51820', presharedKey: KEYS.wgPsk, persistentKeepalive: 25, allowedIps: ['0.0.0.0/0', '::/0'] })])));

  it.each([
    ['CElFdJO+5GNTB0CZUT/l8R7vmYHiAtv/ctuOszEFuWo', 'is not a WireGuard key'], // padding missing
    ['CElFdJO+5GNTB0CZUT/l8R7vmYHiAtv/ctuOszEFuWp=', 'is not a WireGuard key'], // non-zero unused bits
    ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'decodes to 35 bytes'],
    ['CElFdJO+5GNTB0CZUT/l8R7vmYHiAtv/ctuOszEF', 'decodes to 30 bytes'],
  ])('privateKey %j is rejected', (privateKey, fragment) => expectIssue(wg({ privateKey }), 'vpn.wireguard.privateKey', fragment));

  it('publicKey and presharedKey are 32-byte keys too', () => {
    expectIssue(wg({}, [peer({ publicKey: 'not a key' })]), `${peerPath}.publicKey`, 'is not a WireGuard key');
    expectIssue(wg({}, [peer({ presharedKey: 'AAAA' })]), `${peerPath}.presharedKey`, 'decodes to 3 bytes; a WireGuard key is 32 bytes');
  });

  it('addresses and allowedIps are CIDRs; addresses and peers are not empty', () => {
    expectIssue(wg({ addresses: ['10.8.0.2'] }), 'vpn.wireguard.addresses[0]', 'needs a prefix length, e.g. "10.8.0.2/32"');
    expectIssue(wg({ addresses: [] }), 'vpn.wireguard.addresses', 'at least one');
    expectIssue(wg({}, []), 'vpn.wireguard.peers', 'at least one');
    expectIssue(wg({}, [peer({ allowedIps: ['fd00::/129'] })]), `${peerPath}.allowedIps[0]`, 'not an IP address with prefix length');
  });

  it.each([
    ['vpn.example.org:51820', undefined],
    ['203.0.113.7:51820', undefined],
    ['[2001:db8::1]:51820', undefined],
    ['vpn.example.org', 'needs a port'],
    ['vpn.example.org:0', 'from 1 to 65535'],
    ['vpn.example.org:65536', 'from 1 to 65535'],
    ['2001:db8::1:51820', 'put the IPv6 address in brackets'],
    ['[2001:db8::zz]:51820', 'is not an IPv6 address'],
    [':51820', 'has no host'],
    ['bad_host:51820', 'not a valid host name'],
  ])('endpoint %j', (endpoint, fragment) => {
    if (fragment === undefined) expectValid(wg({}, [peer({ endpoint })]));
    else expectIssue(wg({}, [peer({ endpoint })]), `${peerPath}.endpoint`, fragment);
  });

  it('persistentKeepalive is 0–65535 seconds', () => {
    expectValid(wg({}, [peer({ persistentKeepalive: 0 })]));
    expectIssue(wg({}, [peer({ persistentKeepalive: 65536 })]), `${peerPath}.persistentKeepalive`, 'from 0 to 65535 seconds');
  });

  it('a peer key equal to the private key, or repeated, is a paste mistake', () => {
    expectIssue(wg({}, [peer({ publicKey: KEYS.wgPrivate })]), `${peerPath}.publicKey`, "this device's private key");
    expectIssue(wg({}, [peer(), peer({ allowedIps: ['10.9.0.0/24'] })]), 'vpn.wireguard.peers[1].publicKey', 'same key as vpn.wireguard.peers[0].publicKey');
  });
});
