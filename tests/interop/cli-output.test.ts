/**
 * configure's outputs end to end (issue 7): a name that disagrees with the format written is
 * refused, `-o -` writes the image to standard output, and an output that cannot be written is
 * OUTPUT_FAILED naming it (exit 1, one line, nothing left behind) — not a damaged input.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { expectDecodesTo, sameBytesAsFile, sameFile } from '../helpers/image-checks.ts';
import { makeBalenaImage } from '../helpers/make-image.ts';
import { hasTools, run, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'gzip', 'cmp');
// Images of 111 MiB are written and read back at once: /dev/shm when it has room, no disk writeback.
const tmp = tempDir('preflash-cli-output-', { memory: true });
let settings = '';
/** Bytes equal to the raw path's output (compared chunk by chunk with the file, not hashed). */
const expectRawOut = (bytes: Uint8Array) => expect(sameBytesAsFile(bytes, tmp.path('raw-out.img')), 'differs from raw-out.img').toBe(true);
const leftovers = (dir = tmp.dir) => readdirSync(dir).filter((n) => n.includes('.preflash-'));

/** The bundled CLI in a child process, with standard output going to `stdoutPath`. */
function binTo(stdoutPath: string, args: string[], shellPrefix = '', runVia = '') {
  const fd = openSync(stdoutPath, 'w');
  try {
    const cmd = `${shellPrefix}exec ${runVia}"${process.execPath}" bin/preflash.js ${args.map((a) => `'${a}'`).join(' ')}`;
    const r = spawnSync('sh', ['-c', cmd], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  if (!tools) return;
  settings = tmp.path('settings.json');
  writeFileSync(settings, JSON.stringify({ version: 1, hostname: 'out-unit' }));
  makeBalenaImage(tmp.path('rpi.img'), 'raspberrypi');
  run('gzip', ['-1', '-k', tmp.path('rpi.img')]);
  const r = await cli(['configure', tmp.path('rpi.img'), '--settings', settings, '-o', tmp.path('raw-out.img')]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe.skipIf(!tools)('configure outputs', () => {
  it.each([
    ['rpi.img.gz', 'mismatch.img.xz', /asks for xz/],
    ['rpi.img', 'mismatch.img.zip', /asks for zip/],
    ['rpi.img.gz', 'mismatch.img', /names a plain image, but the output is gzip/, ['--format', 'gz']],
    ['rpi.img.gz', 'mismatch', /should end in \.img\.gz/],
  ])('%s → -o %s is refused before any work (exit 2), no file', async (input, output, message, extra: string[] = []) => {
    const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output), ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(tmp.path(output))).toBe(false);
  });

  it('-o - writes the image to standard output; the summary goes to stderr', async () => {
    const raw = await cli(['configure', tmp.path('rpi.img'), '--settings', settings, '-o', '-']);
    expect(raw.code, raw.stderr).toBe(0);
    expectRawOut(raw.bytes);
    expect(raw.stdout).toBe('');
    expect(raw.stderr).toMatch(/^Configured standard output\n/);
    const plain = await cli(['configure', tmp.path('rpi.img.gz'), '--settings', settings, '-o', '-', '--format', 'img', '--quiet']);
    expect(plain.code, plain.stderr).toBe(0);
    expectRawOut(plain.bytes);
    const spliced = await cli(['configure', tmp.path('rpi.img.gz'), '--settings', settings, '-o', '-', '--quiet']);
    expect(spliced.code, spliced.stderr).toBe(0);
    writeFileSync(tmp.path('stdout.img.gz'), spliced.bytes);
    expectDecodesTo('gzip -dc stdout.img.gz', 'raw-out.img', tmp.dir);
  });

  it('-o - from the bundled binary, redirected to a file', () => {
    const r = binTo(tmp.path('redirected.img'), ['configure', tmp.path('rpi.img.gz'), '--settings', settings, '-o', '-', '--format', 'img']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Configured standard output \(member|Configured standard output\n/);
    expect(sameFile(tmp.path('redirected.img'), tmp.path('raw-out.img'))).toBe(true);
  });

  it('-o - into a full device (/dev/full): OUTPUT_FAILED naming standard output, exit 1', () => {
    if (!existsSync('/dev/full')) return;
    const r = binTo('/dev/full', ['configure', tmp.path('rpi.img'), '--settings', settings, '-o', '-']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('preflash: Cannot write standard output: no space left on the device.\n');
  });

  it.each([
    ['rpi.img', 'limited.img'], // the kernel's copy
    ['rpi.img.gz', 'limited2.img'], // the streamed sink
    ['rpi.img', 'limited3.img.gz'], // the gzip encoder's sink
  ])('%s → %s over a file size limit: OUTPUT_FAILED naming the output, exit 1, no file left', (input, output) => {
    const r = binTo('/dev/null', ['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output)], 'ulimit -f 64; ');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`preflash: Cannot write ${tmp.path(output)}: file too large (for the filesystem, or over this process’s file size limit).\n`);
    expect(existsSync(tmp.path(output))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

// A real full disk: a 4 MiB tmpfs, where this machine lets us mount one (root in a container).
const small = tmp.path('small');
mkdirSync(small, { recursive: true });
const mounted = tools && process.getuid?.() === 0 && run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', small]).status === 0;
afterAll(() => {
  if (mounted) run('umount', [small]);
  tmp.cleanup();
});

describe.skipIf(!mounted)('configure onto a full disk', () => {
  it.each([['rpi.img'], ['rpi.img.gz']])('%s → a 4 MiB tmpfs: "no space left", exit 1, nothing left there', async (input) => {
    const out = `${small}/out.img`;
    const r = await cli(['configure', tmp.path(input), '--settings', settings, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`preflash: Cannot write ${out}: no space left on the device.\n`);
    expect(readdirSync(small)).toEqual([]);
  });
});


// What reaches the disk when (strace lists the process's fsync and rename calls): like gzip, xz
// and cp, an output is not flushed unless asked; `--sync` flushes the file before the rename
// and its folder after, for every path (the recipe copy and the streamed sink alike).
describe.skipIf(!tools || !hasTools('strace'))('--sync', () => {
  const calls = (args: string[]) => {
    const log = tmp.path('strace.log');
    const r = binTo('/dev/null', args, '', `strace -f -qq -e trace=fsync,rename,renameat,renameat2 -o '${log}' `);
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n').map((l) => l.replace(/^\d+\s+/, '').match(/^(fsync|rename\w*)\(/)?.[1]).filter(Boolean);
  };
  it.each([
    ['rpi.img.gz', 'sync.img.gz'], // a splice's recipe copied
    ['rpi.img.gz', 'sync.img'], // streamed (decoded) output
  ])('%s → %s: no fsync without --sync; with it fsync, rename, fsync (the folder)', (input, output) => {
    const args = ['configure', tmp.path(input), '--settings', settings, '-o', tmp.path(output), '-q'];
    expect(calls(args)).toEqual([expect.stringMatching(/^rename/)]);
    expect(calls([...args, '--sync'])).toEqual(['fsync', expect.stringMatching(/^rename/), 'fsync']);
  });
  it('--in-place always flushes what it changed, and refuses --sync as meaningless there', async () => {
    run('cp', [tmp.path('rpi.img'), tmp.path('inplace.img')]);
    expect(calls(['configure', tmp.path('inplace.img'), '--settings', settings, '--in-place', '-q'])).toEqual(['fsync']);
    const r = await cli(['configure', tmp.path('inplace.img'), '--settings', settings, '--in-place', '--sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sync applies to -o/);
  });
});
