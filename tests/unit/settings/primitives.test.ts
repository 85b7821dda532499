/** The small parsers under the rules, differentially against Node where Node has one. */
import { createHash, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { base64Encode as encodeBase64, tryBase64Decode as decodeBase64 } from '../../../src/core/bytes/base64.ts';
import { parseCidr, parseIpv4, parseIpv6 } from '../../../src/core/settings/ip.ts';
import { sha256 } from '../../../src/core/bytes/sha256.ts';
import { closestKey, editDistance } from '../../../src/core/settings/suggest.ts';

describe('base64', () => {
  it('round-trips and matches Buffer for every length 0–70', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n);
      const text = bytes.toString('base64');
      expect(encodeBase64(bytes)).toBe(text);
      expect(Buffer.from(decodeBase64(text)!)).toEqual(bytes);
    }
  });
  it.each(['abc', 'ab=c', '====', 'AB==', 'ABC=', 'A===', 'ab c', 'ab-_'])('rejects non-canonical %j', (text) => {
    // 'AB==' and 'ABC=' carry non-zero unused bits (the canonical spellings are 'AA==' / 'ABA=').
    expect(decodeBase64(text)).toBeUndefined();
  });
});

describe('sha256', () => {
  it('matches node:crypto for lengths around block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = randomBytes(n);
      expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('IP parsing agrees with node:net', () => {
  const samples = ['1.2.3.4', '255.255.255.255', '0.0.0.0', '256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '::', '::1', '1::', 'fe80::1', '2001:db8:0:0:0:0:2:1', '2001:db8::2:1', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '1::2::3', ':1::2', '1::2:', '12345::', 'g::1', '1.2.3.4::', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4'];
  it.each(samples)('%s', (text) => {
    expect(parseIpv4(text) !== undefined).toBe(isIPv4(text));
    expect(parseIpv6(text) !== undefined).toBe(isIPv6(text));
  });
  it('decodes IPv6 bytes, including an embedded IPv4', () => {
    expect(Buffer.from(parseIpv6('::ffff:192.0.2.1')!).toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(Buffer.from(parseIpv6('2001:db8::2:1')!).toString('hex')).toBe('20010db8000000000000000000020001');
  });
  it('parses CIDRs of both families', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 4, prefix: 8 });
    expect(parseCidr('::/0')).toEqual({ family: 6, prefix: 0 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/08')).toBeUndefined();
  });
});

describe('did-you-mean', () => {
  it('suggests near keys only', () => {
    expect(editDistance('pasphrase', 'passphrase')).toBe(1);
    expect(editDistance('ssdi', 'ssid')).toBe(1);
    expect(closestKey('pasphrase', ['ssid', 'passphrase', 'security'])).toBe('passphrase');
    expect(closestKey('Hostname', ['hostname', 'network'])).toBe('hostname');
    expect(closestKey('colour', ['hostname', 'network', 'os'])).toBeUndefined();
  });
});
