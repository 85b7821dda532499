/** hostname: one RFC 1123 label, lower case; and DNS names used for servers. */
import { describe, it } from 'vitest';
import { at, expectIssue, expectValid } from './helpers.ts';

describe('hostname (RFC 1123 label)', () => {
  it.each(['pi', 'greenhouse-07', 'a', '0abc', 'x'.repeat(63)])('accepts %s', (name) => expectValid({ hostname: name }));

  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(64), 'at most 63 characters'],
    ['-pi', "must not start or end with '-'"],
    ['pi-', "must not start or end with '-'"],
    ['my_pi', '"_" is not allowed'],
    ['pi.local', 'without dots'],
    ['Kitchen-Pi', 'must be lower case: use "kitchen-pi"'],
  ])('rejects %j', (name, fragment) => expectIssue({ hostname: name }, 'hostname', fragment));
});

describe('server host names (RFC 1123 DNS names)', () => {
  it.each(['pool.ntp.org', 'Time.Example.COM', '192.168.1.1', '2001:db8::123', 'ntp'])('NTP server %s is accepted', (server) =>
    expectValid(at('network.ntpServers', [server])),
  );

  it.each([
    ['pool..ntp.org', 'empty label'],
    ['-bad.example', 'not a valid host name'],
    ['ntp server', 'not a valid host name'],
    ['300.1.1.1', 'not a valid IPv4 address'],
    ['a'.repeat(64) + '.org', 'longer than 63'],
  ])('NTP server %j is rejected', (server, fragment) => expectIssue(at('network.ntpServers', ['pool.ntp.org', server]), 'network.ntpServers[1]', fragment));
});
