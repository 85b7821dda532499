import { describe, expect, test } from 'vitest';
import { parseKeyfile, parseKeyfileList, unescapeKeyfileString } from '../../../src/core/balena/keyfile-reader.ts';
import { escapeKeyfileListItem, escapeKeyfileString, formatKeyfileList, raw, writeKeyfile } from '../../../src/core/balena/keyfile-writer.ts';
import { isCoreError } from '../../../src/core/errors.ts';

/** Deterministic pseudo-random strings made of the characters that matter to GLib key files. */
function* nastyStrings(count: number): Generator<string> {
  const alphabet = [' ', '\t', '\n', '\r', '\\', ';', '#', '=', '[', ']', 's', 'n', 'a', 'é', '☕', '0', '9', ','];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < count; i++) {
    let s = '';
    const len = next() % 12;
    for (let j = 0; j < len; j++) s += alphabet[next() % alphabet.length];
    yield s;
  }
}

describe('GLib string escaping', () => {
  test.each([
    ['plain', 'plain'],
    ['back\\slash', 'back\\\\slash'],
    [' lead', '\\slead'],
    ['trail ', 'trail\\s'],
    ['  both  ', '\\s\\sboth\\s\\s'],
    ['in side', 'in side'],
    ['line\nbreak', 'line\\nbreak'],
    ['cr\rhere', 'cr\\rhere'],
    ['tab\there', 'tab\\there'],
    ['#not-a-comment', '#not-a-comment'],
    ['a;b', 'a;b'],
    ['[group]', '[group]'],
    ['k=v', 'k=v'],
    ['\\s', '\\\\s'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeKeyfileString(value)).toBe(escaped);
    expect(unescapeKeyfileString(escaped)).toBe(value);
  });

  test("';' inside a list item is escaped, and lists end with ';'", () => {
    expect(escapeKeyfileListItem('a;b')).toBe('a\\;b');
    expect(formatKeyfileList(['1.1.1.1', 'x;y', ' z'])).toBe('1.1.1.1;x\\;y;\\sz;');
    expect(parseKeyfileList('1.1.1.1;x\\;y;\\sz;')).toEqual(['1.1.1.1', 'x;y', ' z']);
  });

  test('a NUL character is refused with a CoreError', () => {
    expect.assertions(2);
    try {
      escapeKeyfileString('a\0b');
    } catch (e) {
      expect(isCoreError(e)).toBe(true);
      expect((e as Error).message).toMatch(/NUL/);
    }
  });

  test('"\\;" outside a list is an invalid escape, as in GLib', () => {
    expect(() => unescapeKeyfileString('a\\;b')).toThrow(/invalid escape/);
  });
});

describe('no value can add a line, a key or a group', () => {
  const values = [...nastyStrings(400)];

  test('every string and list round-trips and the file keeps exactly its groups and keys', () => {
    for (const value of values) {
      const text = writeKeyfile([
        { name: 'one', entries: [['string', value], ['list', [value, value]], ['after', 'x']] },
        { name: 'two', entries: [['k', value]] },
      ]);
      const parsed = parseKeyfile(text);
      expect([...parsed.groups.keys()]).toEqual(['one', 'two']);
      expect([...parsed.groups.get('one')!.keys()]).toEqual(['string', 'list', 'after']);
      expect(unescapeKeyfileString(parsed.groups.get('one')!.get('string')!)).toBe(value);
      expect(parseKeyfileList(parsed.groups.get('one')!.get('list')!)).toEqual([value, value]);
      expect(unescapeKeyfileString(parsed.groups.get('two')!.get('k')!)).toBe(value);
      expect(text.split('\n').length).toBe(8); // 7 lines + the final newline
    }
  });
});

describe('writeKeyfile layout', () => {
  test('groups separated by a blank line, undefined entries skipped, numbers/booleans plain', () => {
    const text = writeKeyfile([
      { name: 'connection', entries: [['id', 'x'], ['autoconnect-priority', -5], ['missing', undefined]] },
      { name: 'wifi', entries: [['hidden', true], ['ssid', raw('1;2;')]] },
    ]);
    expect(text).toBe('[connection]\nid=x\nautoconnect-priority=-5\n\n[wifi]\nhidden=true\nssid=1;2;\n');
  });

  test('group names with brackets or control characters are refused', () => {
    expect(() => writeKeyfile([{ name: 'wireguard-peer.a]b', entries: [] }])).toThrow(/section name/);
    expect(() => writeKeyfile([{ name: 'x\ny', entries: [] }])).toThrow(/section name/);
  });

  test('a raw value with a line break is a programming error', () => {
    expect(() => writeKeyfile([{ name: 'g', entries: [['k', raw('a\nb')]] }])).toThrow(/internal/);
  });
});
