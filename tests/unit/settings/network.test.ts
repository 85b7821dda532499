/** network: country codes, DNS servers, cellular APN/PIN. */
import { describe, expect, it } from 'vitest';
import { COUNTRY_NAMES } from '../../../src/core/settings/country-codes.ts';
import { at, expectIssue, expectValid } from './helpers.ts';

describe('country: ISO 3166-1 alpha-2', () => {
  it('holds the 249 officially assigned codes', () => {
    expect(COUNTRY_NAMES.size).toBe(249);
    for (const code of COUNTRY_NAMES.keys()) expect(code).toMatch(/^[A-Z]{2}$/);
    expect(COUNTRY_NAMES.get('DE')).toBe('Germany');
    expect(COUNTRY_NAMES.has('XK')).toBe(false); // user-assigned, not official
    expect(COUNTRY_NAMES.has('UK')).toBe(false); // exceptionally reserved
  });

  it.each(['DE', 'US', 'GB', 'NL', 'AX', 'SS', 'CW'])('accepts %s', (code) => expectValid(at('network.country', code)));

  it.each([
    ['de', 'must be upper case: use "DE"'],
    ['UK', 'use "GB" (United Kingdom)'],
    ['XX', 'not an ISO 3166-1 alpha-2 country code'],
    ['DEU', 'not an ISO 3166-1 alpha-2 country code'],
    ['', 'not an ISO 3166-1 alpha-2 country code'],
  ])('rejects %j', (code, fragment) => expectIssue(at('network.country', code), 'network.country', fragment));
});

describe('dnsServers: IP addresses', () => {
  it('accepts IPv4 and IPv6 forms', () => expectValid(at('network.dnsServers', ['8.8.8.8', '2001:4860:4860::8888', '::1', '::ffff:192.0.2.1', 'fe80:0:0:0:0:0:0:1'])));

  it.each(['8.8.8', '256.1.1.1', '08.8.8.8', 'dns.google', '1::2::3', '2001:db8::1%eth0', '8.8.8.8 1.1.1.1'])('rejects %j', (server) =>
    expectIssue(at('network.dnsServers', ['1.1.1.1', server]), 'network.dnsServers[1]', 'is not an IPv4 or IPv6 address'),
  );
});

describe('cellular', () => {
  const cell = (cellular: Record<string, unknown>) => at('network.cellular', cellular);

  it('accepts an APN with optional credentials and PIN', () => {
    expectValid(cell({ apn: 'internet' }));
    expectValid(cell({ apn: 'iot.1nce.net', username: 'u', password: 'p', pin: '12345678' }));
  });
  it('apn is required', () => expectIssue(cell({ pin: '1234' }), 'network.cellular.apn', 'required'));
  it('apn must be labels between dots', () => expectIssue(cell({ apn: 'my apn' }), 'network.cellular.apn', 'is not an APN'));
  it('apn at most 100 characters', () => expectIssue(cell({ apn: 'a'.repeat(101) }), 'network.cellular.apn', 'at most 100'));
  it.each(['123', '123456789', '12a4'])('pin %j is rejected', (pin) => expectIssue(cell({ apn: 'internet', pin }), 'network.cellular.pin', 'a SIM PIN is 4–8 digits'));
  it('password must be one line', () => expectIssue(cell({ apn: 'internet', password: 'a\nb' }), 'network.cellular.password', 'single line'));
});
