/** The CLI's one stderr line and exit code for each kind of failure (never a stack trace). */
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/core/index.ts';
import { HostError, UsageError, outputFailed } from '../../../src/cli/errors.ts';
import { reportError } from '../../../src/cli/report-error.ts';

function report(e: unknown, cancelled = false): { code: number; stderr: string } {
  let stderr = '';
  const code = reportError(e, { stderr: (s) => (stderr += s) }, cancelled);
  expect(stderr.endsWith('\n') && stderr.indexOf('\n') === stderr.length - 1, `one line: ${stderr}`).toBe(true);
  expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  return { code, stderr };
}

describe('reportError', () => {
  it('usage → 2, pointing at --help', () => {
    expect(report(new UsageError('missing <image>'))).toEqual({ code: 2, stderr: 'preflash: missing <image> (preflash --help shows the usage)\n' });
  });

  it('the input, the settings, the machine → 1 with the message as is', () => {
    expect(report(new CoreError('FAT_CORRUPT', 'The FAT is damaged.'))).toEqual({ code: 1, stderr: 'preflash: The FAT is damaged.\n' });
    expect(report(new HostError('cannot write x: the folder y does not exist'))).toMatchObject({ code: 1 });
  });

  it('INTERNAL → 3, said to be a bug', () => {
    expect(report(new CoreError('INTERNAL', 'Invalid input range -1+5 in an output recipe.'))).toEqual({
      code: 3,
      stderr: 'preflash: internal error (please report it): Invalid input range -1+5 in an output recipe.\n',
    });
  });

  it('ABORTED after Ctrl+C → 130 "cancelled"; ABORTED the user did not ask for (input already consumed) → 3', () => {
    const consumed = new CoreError('ABORTED', 'The .xz image can no longer be read: its input was consumed by a write.');
    expect(report(consumed, true)).toEqual({ code: 130, stderr: 'preflash: cancelled; nothing was written.\n' });
    const r = report(consumed, false);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/cancelled/);
    expect(r.stderr).toMatch(/input was consumed/);
  });

  it('OUTPUT_FAILED → 1 naming the output (a full disk is not a damaged input)', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(report(outputFailed('out.img.gz', enospc))).toEqual({ code: 1, stderr: 'preflash: Cannot write out.img.gz: no space left on the device.\n' });
    expect(outputFailed('x', enospc).code).toBe('OUTPUT_FAILED');
    const already = new CoreError('OUTPUT_FAILED', 'Cannot write x: y.');
    expect(outputFailed('other', already)).toBe(already);
  });

  it('a file that cannot be opened → 1 naming it; anything else → 3 on one line', () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: 'in.img' });
    expect(report(enoent)).toEqual({ code: 1, stderr: 'preflash: cannot open in.img: no such file\n' });
    expect(report(new TypeError('x is not a function\n    at foo (a.js:1:2)'))).toMatchObject({ code: 3 });
    expect(report('a string')).toMatchObject({ code: 3 });
  });
});
