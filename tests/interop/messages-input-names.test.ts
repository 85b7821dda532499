/**
 * Names read from an input reach messages escaped and bounded (core errors.ts `oneLine`,
 * `shownName`): a zip made by `zip` whose local header claims a 3627-byte name (the fuzzer's seed
 * 1203 case 1686 printed ~5 KB of binary "name" across lines), and member names holding a newline
 * and a terminal escape, are reported in one short line that cannot move a terminal's cursor.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { zipCodec } from '../../src/core/codecs/zip/codec.ts';
import { CoreError, oneLine, shownName } from '../../src/core/errors.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { rejectionOf } from '../helpers/core-errors.ts';
import { hasTool, run, tempDir } from '../helpers/tools.ts';

const t = tempDir('preflash-names-');
afterAll(() => t.cleanup());

function zipOf(files: Record<string, Uint8Array>): Uint8Array {
  for (const [name, data] of Object.entries(files)) writeFileSync(t.path(name), data);
  const res = run('zip', ['-q', '-X', 'out.zip', ...Object.keys(files)], { cwd: t.dir });
  expect(res.status, res.stderr).toBe(0);
  const bytes = new Uint8Array(readFileSync(t.path('out.zip')));
  rmSync(t.path('out.zip'));
  return bytes;
}

/** Noisy bytes that deflate to more than a few hundred bytes (so a 3627-byte name lands inside the data). */
function image(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 7;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

function expectOneShortLine(e: CoreError, max: number): void {
  expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  expect(e.message.length).toBeLessThan(max);
}

describe.skipIf(!hasTool('zip'))('names from the input in messages', () => {
  it('a local header claiming a 3627-byte name: ARCHIVE_CORRUPT in one short line', async () => {
    const zip = zipOf({ 'small.img': image(64 * 1024) });
    expect(zip[26] | (zip[27] << 8)).toBe('small.img'.length); // local header's name length (APPNOTE 4.3.7)
    zip[26] = 3627 & 0xff;
    zip[27] = 3627 >> 8;
    const e = await rejectionOf(zipCodec.open(new MemoryDisk(zip)).then((o) => o.splice!([{ offset: 0, bytes: new Uint8Array(1) }])));
    expect(e.code).toBe('ARCHIVE_CORRUPT');
    expect(e.message).toMatch(/named small\.img.*… \(3627 characters\), but the central directory says small\.img/);
    expectOneShortLine(e, 400);
  });

  it('member names with a newline and a terminal escape: the ambiguity message lists them escaped', async () => {
    const a = 'a\nb.img';
    const b = 'c\u001b[2Jd.img';
    const e = await rejectionOf(zipCodec.open(new MemoryDisk(zipOf({ [a]: image(5000), [b]: image(6000) }))));
    expect(e.code).toBe('ARCHIVE_AMBIGUOUS');
    expect(e.message).toContain('a\\nb.img');
    expect(e.message).toContain('c\\u001b[2Jd.img');
    expectOneShortLine(e, 200);
    expect(e.detail.candidates).toEqual([a, b]); // the detail keeps the exact names, for choosing one
  });

  it('oneLine and shownName', () => {
    expect(oneLine('x\ty\r\n\u2028z')).toBe('x\\ty\\u000d\\n\\u2028z');
    expect(shownName('resin-boot')).toBe('resin-boot');
    expect(shownName('n'.repeat(500))).toBe(`${'n'.repeat(79)}… (500 characters)`);
    expect(new CoreError('ARCHIVE_CORRUPT', 'two\nlines').message).toBe('two\\nlines');
  });
});
