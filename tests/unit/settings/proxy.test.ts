/** network.proxy: redsocks type, host, port, quoting-safe credentials, IPv4 bypass list. */
import { describe, it } from 'vitest';
import { at, expectIssue, expectValid } from './helpers.ts';

const proxy = (p: Record<string, unknown>) => at('network.proxy', { type: 'socks5', host: '10.0.0.5', port: 1080, ...p });
const path = 'network.proxy';

describe('proxy', () => {
  it('accepts every redsocks type, an IPv4 or host name server, and a bypass list', () => {
    for (const type of ['socks5', 'socks4', 'http-connect', 'http-relay']) expectValid(proxy({ type }));
    expectValid(proxy({ host: 'proxy.example.org', login: 'user', password: 'p@ss w0rd!', noProxy: ['10.0.0.0/8', '192.168.1.10'] }));
  });

  it('type must be a redsocks type', () => expectIssue(proxy({ type: 'https' }), `${path}.type`, 'must be one of "socks5", "socks4", "http-connect", "http-relay"'));
  it('host must be IPv4 or a host name', () => {
    expectIssue(proxy({ host: '2001:db8::1' }), `${path}.host`, 'not an IPv6 address');
    expectIssue(proxy({ host: 'proxy..example' }), `${path}.host`, 'empty label');
  });
  it.each([0, 65536, 80.5])('port %s is rejected', (port) => expectIssue(proxy({ port }), `${path}.port`, 'from 1 to 65535'));

  it.each(['pa"ss', 'pa\\ss', 'pa;ss', 'pa\nss'])('password %j is rejected (redsocks.conf quoting)', (password) =>
    expectIssue(proxy({ login: 'user', password }), `${path}.password`, `must not contain '"', '\\', ';' or line breaks`),
  );
  it('login follows the same quoting rule', () => expectIssue(proxy({ login: 'us"er' }), `${path}.login`, 'cannot be quoted safely'));
  it('a password needs a login', () => expectIssue(proxy({ password: 'secret' }), `${path}.login`, 'required when a password is set'));
  it('socks4 has no password', () => expectIssue(proxy({ type: 'socks4', login: 'u', password: 'p' }), `${path}.password`, 'socks4 has no passwords'));
  it('noProxy entries must be IPv4 addresses or CIDRs', () => expectIssue(proxy({ noProxy: ['10.0.0.0/8', 'fd00::/8'] }), `${path}.noProxy[1]`, 'not an IPv4 address or CIDR'));
  it('host, port and type are required', () => expectIssue(at('network.proxy', { type: 'socks5', host: '10.0.0.5' }), `${path}.port`, 'required'));
});
