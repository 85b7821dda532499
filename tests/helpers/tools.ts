/**
 * Running the real tools of the field (mkfs.vfat, fsck.fat, mtools, sfdisk, nmcli, gzip, xz…)
 * from tests. `npm test` installs them (scripts/ensure-deps.mjs); when one is still missing the
 * interop tests that need it skip with a reason instead of failing mysteriously.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryFolder } from './memory-folder.ts';
import { brokerSpawnSync } from './spawn-broker.ts';

const found = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  if (!found.has(name)) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    found.set(name, r.status === 0);
  }
  return found.get(name)!;
}

export function hasTools(...names: string[]): boolean {
  return names.every(hasTool);
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command; never throws on a non-zero exit (tests assert on status). Tools run from the
 * spawn broker (./spawn-broker.ts): a fork of a test process holding images costs far more.
 */
export function run(cmd: string, args: string[], options: { input?: string | Uint8Array; env?: Record<string, string>; cwd?: string } = {}): RunResult {
  const r = brokerSpawnSync(cmd, args, { input: options.input, env: { ...process.env, MTOOLS_SKIP_CHECK: '1', ...options.env }, cwd: options.cwd });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Runs a command and throws with its stderr when it fails. */
export function runOk(cmd: string, args: string[], options: { input?: string | Uint8Array; env?: Record<string, string>; cwd?: string } = {}): string {
  const r = run(cmd, args, options);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * Runs a command returning raw stdout bytes; throws (like execFileSync) when it fails. `input`
 * goes to its standard input.
 */
export function runBytes(cmd: string, args: string[], options: { input?: string | Uint8Array; cwd?: string } = {}): Buffer {
  const r = brokerSpawnSync(cmd, args, { input: options.input, cwd: options.cwd, env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.toString('utf8')}`);
  return r.stdout;
}

/**
 * A fresh temporary folder; call the returned cleanup in afterAll/afterEach. With `{ memory: true }`
 * it is made in /dev/shm when that has 4 GiB free (a container's is often 64 MiB), else in the usual
 * temporary folder: for files that tools read back at once and that are thrown away, where a disk's
 * writeback is pure cost.
 */
export function tempDir(prefix = 'preflash-', options: { memory?: boolean } = {}): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const base = (options.memory && memoryFolder()) || tmpdir();
  const dir = mkdtempSync(join(base, prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `fsck.fat -n` on an image file (optionally at a byte offset via a loop-free mtools-style copy). */
export function fsckFat(imagePath: string): RunResult {
  return run('fsck.fat', ['-n', '-V', imagePath]);
}
