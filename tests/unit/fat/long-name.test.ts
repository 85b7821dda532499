import { describe, expect, it } from 'vitest';
import { encodeLongName, lfnChecksum, LongNameCollector, longEntryCount } from '../../../src/core/fat/long-name.ts';

const raw = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The spec's C code, transcribed literally: rotate right through an unsigned char, then add. */
function specChecksum(name: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((sum & 1 ? 0x80 : 0) + (sum >>> 1) + name[i]) % 256;
  return sum;
}

function collect(entries: Uint8Array, shortName: Uint8Array): string | null {
  const c = new LongNameCollector();
  for (let i = 0; i < entries.length / 32; i++) c.add(entries.subarray(i * 32, i * 32 + 32), i);
  return c.finish(shortName, entries.length / 32).name;
}

describe('LFN checksum (FAT spec §7.2)', () => {
  it('matches the spec algorithm on many names', () => {
    for (const n of ['MYHOME~1NMC', 'CONFIG  TXT', 'LONGFI~1TXT', '           ', '~~~~~~~~~~~']) expect(lfnChecksum(raw(n))).toBe(specChecksum(raw(n)));
    const bytes = new Uint8Array(11);
    for (let seed = 1; seed < 500; seed++) {
      for (let i = 0; i < 11; i++) bytes[i] = (seed * 31 + i * 97) & 0xff;
      expect(lfnChecksum(bytes)).toBe(specChecksum(bytes));
    }
  });
});

describe('long-name entries', () => {
  it('stores 13 UCS-2 units per entry, last entry first with the 0x40 flag', () => {
    const name = 'My Home WiFi.nmconnection'; // 25 units → 2 entries
    const bytes = encodeLongName(name, 0xab);
    expect(bytes.length).toBe(64);
    expect(bytes[0]).toBe(0x42);
    expect(bytes[32]).toBe(0x01);
    for (const off of [0, 32]) {
      expect(bytes[off + 11]).toBe(0x0f);
      expect(bytes[off + 12]).toBe(0);
      expect(bytes[off + 13]).toBe(0xab);
      expect(bytes[off + 26] | bytes[off + 27]).toBe(0);
    }
    // entry 1 holds "My Home WiFi." at name1/name2/name3 offsets
    expect(String.fromCharCode(bytes[33], bytes[35], bytes[37], bytes[39], bytes[41])).toBe('My Ho');
    // entry 2: "nmconnection" (12 units), then 0x0000; no 0xFFFF needed after it
    expect(bytes[28] | (bytes[29] << 8)).toBe(0x006e);
    expect(bytes[30] | (bytes[31] << 8)).toBe(0x0000);
  });

  it('pads with 0x0000 then 0xFFFF, and needs no terminator at an exact multiple of 13', () => {
    const short = encodeLongName('abc', 1);
    expect(short.length).toBe(32);
    expect(short[7] | (short[8] << 8)).toBe(0x0000);
    expect(short[9] | (short[10] << 8)).toBe(0xffff);
    expect(short[30] | (short[31] << 8)).toBe(0xffff);
    const exact = encodeLongName('abcdefghijklm', 1);
    expect(exact.length).toBe(32);
    expect(exact[30] | (exact[31] << 8)).toBe('m'.charCodeAt(0));
    expect(longEntryCount('abcdefghijklmn')).toBe(2);
  });

  it('round-trips through the reader, including non-ASCII and 255-unit names', () => {
    const short = raw('CAFE~1  TXT');
    for (const name of ['Café Ü.txt', 'a', 'x'.repeat(255), 'Ωmega 日本.txt', 'emoji 😀.txt']) {
      expect(collect(encodeLongName(name, lfnChecksum(short)), short)).toBe(name);
    }
  });

  it('ignores orphaned entries: wrong checksum, missing piece', () => {
    const short = raw('CAFE~1  TXT');
    const good = encodeLongName('a long name that spans entries.txt', lfnChecksum(short));
    expect(collect(good, raw('OTHER   TXT'))).toBeNull();
    expect(collect(good.subarray(32), short)).toBeNull();
    const bad = good.slice();
    bad[32 + 13] ^= 1;
    expect(collect(bad, short)).toBeNull();
  });
});
