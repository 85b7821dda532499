import { describe, expect, it } from 'vitest';
import { basisName, formatShortName, generateShortName, LOWER_BASE, LOWER_EXT, plainShortName, shortNameKey, upcase } from '../../../src/core/fat/short-name.ts';

const text = (raw: Uint8Array): string => String.fromCharCode(...raw);
const raw = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function generateAll(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const r = generateShortName(n, (k) => used.has(k));
    used.add(shortNameKey(r));
    return formatShortName(r);
  });
}

describe('plain 8.3 names (no long-name entries)', () => {
  it('takes upper-case 8.3 names as they are', () => {
    expect(plainShortName('CONFIG.TXT')).toEqual({ raw: raw('CONFIG  TXT'), caseFlags: 0 });
    expect(plainShortName('BOOT')).toEqual({ raw: raw('BOOT       '), caseFlags: 0 });
    expect(plainShortName('A$B~1.X-Y')).toEqual({ raw: raw('A$B~1   X-Y'), caseFlags: 0 });
  });

  it('records all-lower-case parts in the NT case flags', () => {
    expect(plainShortName('config.txt')).toEqual({ raw: raw('CONFIG  TXT'), caseFlags: LOWER_BASE | LOWER_EXT });
    expect(plainShortName('README.md')).toEqual({ raw: raw('README  MD '), caseFlags: LOWER_EXT });
    expect(plainShortName('uenv.TXT')!.caseFlags).toBe(LOWER_BASE);
    expect(plainShortName('cmdline2.txt')!.caseFlags).toBe(LOWER_BASE | LOWER_EXT);
    expect(plainShortName('splash')!.caseFlags).toBe(LOWER_BASE);
  });

  it('refuses what needs a long name', () => {
    for (const n of ['config.json', 'Config.txt', 'my file.txt', 'a.b.c', 'toolongname.txt', 'a+b.txt', 'café.txt', '.hidden', 'x.TxT', 'abc.']) {
      expect(plainShortName(n), n).toBeNull();
    }
  });
});

describe('basis-name generation (FAT spec §7.4)', () => {
  it('upper-cases, strips spaces and inner periods, and truncates to 8.3', () => {
    expect(basisName('My Home WiFi.nmconnection')).toEqual({ base: 'MYHOMEWI', ext: 'NMC', lossy: false });
    expect(basisName('a.b.c.txt')).toEqual({ base: 'ABC', ext: 'TXT', lossy: false });
    expect(basisName('...dots first')).toEqual({ base: 'DOTSFIRS', ext: '', lossy: false });
    expect(basisName('.bashrc')).toEqual({ base: 'BASHRC', ext: '', lossy: false });
  });

  it('maps characters with no 8.3 form to "_" and flags the loss', () => {
    expect(basisName('a+b=c.txt')).toEqual({ base: 'A_B_C', ext: 'TXT', lossy: true });
    expect(basisName('Café Ü.txt')).toEqual({ base: 'CAF__', ext: 'TXT', lossy: true });
    expect(basisName('[x];y,z')).toEqual({ base: '_X__Y_Z', ext: '', lossy: true });
  });
});

describe('short names with numeric tails', () => {
  it('makes MYHOME~1.NMC for "My Home WiFi.nmconnection", like Windows, mtools and FatFs', () => {
    expect(generateAll(['My Home WiFi.nmconnection'])).toEqual(['MYHOME~1.NMC']);
  });

  it('keeps the basis without tail when the name only differs in case', () => {
    expect(generateAll(['Config.txt'])).toEqual(['CONFIG.TXT']);
    expect(generateAll(['Config.txt', 'CONFIG.txt'.replace('txt', 'Txt')])).toEqual(['CONFIG.TXT', 'CONFIG~1.TXT']);
  });

  it('counts up on collisions and shortens the base for longer tails', () => {
    const names = Array.from({ length: 12 }, (_, i) => `long file name number ${i + 1}.txt`);
    const got = generateAll(names);
    expect(got.slice(0, 3)).toEqual(['LONGFI~1.TXT', 'LONGFI~2.TXT', 'LONGFI~3.TXT']);
    expect(got[8]).toBe('LONGFI~9.TXT');
    expect(got[9]).toBe('LONGF~10.TXT');
    expect(new Set(got).size).toBe(12);
  });

  it('skips tails already taken in the folder', () => {
    const taken = new Set([shortNameKey(raw('MYHOME~1NMC')), shortNameKey(raw('MYHOME~2NMC'))]);
    expect(text(generateShortName('My Home WiFi.nmconnection', (k) => taken.has(k)))).toBe('MYHOME~3NMC');
  });

  it('always tails a lossy name', () => {
    expect(generateAll(['a+b.txt'])).toEqual(['A_B~1.TXT']);
  });
});

describe('short name display', () => {
  it('formats with a dot and applies the case flags', () => {
    expect(formatShortName(raw('CONFIG  TXT'))).toBe('CONFIG.TXT');
    expect(formatShortName(raw('CONFIG  TXT'), LOWER_BASE | LOWER_EXT)).toBe('config.txt');
    expect(formatShortName(raw('README  MD '), LOWER_EXT)).toBe('README.md');
    expect(formatShortName(raw('SPLASH     '))).toBe('SPLASH');
  });

  it('decodes 0x05 as a leading 0xE5 and high bytes as code page 850', () => {
    expect(formatShortName(Uint8Array.from([0x05, 0x41, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]))).toBe('ÕA');
    expect(formatShortName(Uint8Array.from([0x43, 0x41, 0x46, 0x90, 0x9a, 0x7e, 0x31, 0x20, 0x54, 0x58, 0x54]))).toBe('CAFÉÜ~1.TXT');
  });

  it('upper-cases one unit at a time (FAT never changes a name\'s length)', () => {
    expect(upcase('straße ﬁ é')).toBe('STRAßE ﬁ É');
  });
});
