/** configure -o: the format written follows --format, else the name, else the input; a name that disagrees is refused. */
import { describe, expect, it } from 'vitest';
import { codecs } from '../../../src/core/index.ts';
import { UsageError } from '../../../src/cli/errors.ts';
import { decideOutput, parseFormatFlag, type FormatFlag } from '../../../src/cli/output-format.ts';
import type { CodecId } from '../../../src/core/index.ts';

const decide = (input: CodecId, name: string | undefined, flag?: FormatFlag) => decideOutput(input, name, flag, codecs);
const refusal = (input: CodecId, name: string | undefined, flag?: FormatFlag) => {
  try {
    decide(input, name, flag);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('decideOutput', () => {
  it.each([
    ['raw', 'out.img', undefined, 'same', 'raw'],
    ['raw', 'out.sdcard', undefined, 'same', 'raw'],
    ['raw', 'out.img.gz', undefined, 'gzip', 'gzip'],
    ['raw', 'configured', undefined, 'same', 'raw'],
    ['gzip', 'out.img.gz', undefined, 'same', 'gzip'],
    ['gzip', 'out.img', undefined, 'raw', 'raw'],
    ['zip', 'OUT.IMG.ZIP', undefined, 'same', 'zip'],
    ['zip', 'out.img.gz', undefined, 'gzip', 'gzip'],
    ['xz', 'out.img.xz', undefined, 'same', 'xz'],
    ['xz', 'out.hddimg', undefined, 'raw', 'raw'],
    ['xz', 'anything', 'img', 'raw', 'raw'],
    ['gzip', 'out.gz', 'same', 'same', 'gzip'],
    ['zip', undefined, undefined, 'same', 'zip'],
    ['xz', undefined, 'gz', 'gzip', 'gzip'],
    ['gzip', undefined, 'img', 'raw', 'raw'],
  ] as const)('%s input, -o %s, --format %s → %s (%s)', (input, name, flag, choice, writes) => {
    expect(decide(input, name, flag)).toEqual({ choice, writes });
  });

  it('refuses .xz from a .gz input (it used to write gzip bytes under the .xz name)', () => {
    expect(refusal('gzip', 'out.img.xz')).toMatch(/^-o out\.img\.xz asks for xz, .* this input is gzip; name the output \.img or \.img\.gz$/);
  });

  it('refuses .zip from a raw input (it used to write a raw image under the .zip name)', () => {
    expect(refusal('raw', 'out.img.zip')).toMatch(/asks for zip.*this input is a plain image/);
  });

  it('refuses a name that disagrees with --format', () => {
    expect(refusal('gzip', 'out.img', 'gz')).toMatch(/-o out\.img names a plain image, but the output is gzip; name it \.img\.gz/);
    expect(refusal('raw', 'out.img.gz', 'img')).toMatch(/names a gzip file, but the output is a plain image; name it \.img/);
    expect(refusal('xz', 'out.img.gz', 'same')).toMatch(/names a gzip file, but the output is xz/);
  });

  it('refuses a compressed output whose name has no known ending', () => {
    expect(refusal('gzip', 'configured')).toBe('-o configured: the output is gzip, so its name should end in .img.gz');
  });

  it('--format takes same, img, gz (and raw, gzip as aliases)', () => {
    expect([undefined, 'same', 'img', 'raw', 'gz', 'gzip'].map(parseFormatFlag)).toEqual([undefined, 'same', 'img', 'img', 'gz', 'gz']);
    expect(() => parseFormatFlag('xz')).toThrow(UsageError);
  });
});
