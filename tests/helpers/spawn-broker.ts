/**
 * Runs the real tools from a small helper process instead of from the test process itself.
 *
 * Why: Node's spawnSync forks the calling process, and fork copies its page tables. A test worker
 * holding a few hundred MiB (images as Uint8Arrays, the module cache of ~90 unit files in one
 * process) pays tens of milliseconds of kernel time per tool run (measured: 100 `true` runs cost
 * 0.6 s of CPU from a bare Node, 4.3 s holding 300 MiB, 9.9 s holding 1000 MiB), and the suite
 * runs thousands of tools (mtools, fsck.fat, sfdisk, gzip -dc…). The broker child stays small, so
 * its forks are cheap; the tool, its arguments, environment, working folder, input and output are
 * exactly what spawnSync would have used: only the process that forks differs.
 *
 * Synchronous, like spawnSync: one request at a time over two FIFOs, the test process blocking on
 * the answer. Input and output pass through files in the broker's folder (outputs may be hundreds
 * of MiB), in /dev/shm when it has room (memory-folder.ts). PREFLASH_SPAWN_DIRECT=1, or a platform without mkfifo, runs spawnSync in-process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryFolder } from './memory-folder.ts';

export interface BrokerResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  error?: Error;
}

export interface BrokerOptions {
  input?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

interface Broker {
  dir: string;
  req: number;
  res: number;
}

let broker: Broker | null | undefined;
let nextId = 0;
let brokerCpu = 0;

/** CPU seconds the broker spent on this process's requests, tools included (for cpu-log.ts). */
export function brokerCpuSeconds(): number {
  return brokerCpu;
}

function start(): Broker | null {
  if (process.env.PREFLASH_SPAWN_DIRECT === '1') return null;
  const dir = mkdtempSync(join(memoryFolder() ?? tmpdir(), 'preflash-spawn-'));
  const fifo = spawnSync('mkfifo', [join(dir, 'req'), join(dir, 'res')]);
  if (fifo.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const child = spawn(process.execPath, [new URL('./spawn-broker-child.mjs', import.meta.url).pathname, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.unref();
  // Opening a FIFO blocks until the other side opens it too: the child opens req, then res.
  const req = openSync(join(dir, 'req'), 'w');
  const res = openSync(join(dir, 'res'), 'r');
  process.once('exit', () => {
    closeSync(req);
    closeSync(res);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, req, res };
}

const lineBuf = Buffer.alloc(4096);

function readLine(fd: number): string {
  let line = '';
  for (;;) {
    const n = readSync(fd, lineBuf, 0, lineBuf.length, null);
    if (n === 0) throw new Error('spawn broker: its process ended');
    line += lineBuf.toString('utf8', 0, n);
    // One request at a time: an answer is exactly one line, nothing follows it.
    if (line.endsWith('\n')) return line;
  }
}

function direct(cmd: string, args: readonly string[], options: BrokerOptions): BrokerResult {
  const r = spawnSync(cmd, args, { input: options.input, env: options.env, cwd: options.cwd, maxBuffer: 2 ** 31 - 1 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr ?? Buffer.alloc(0), error: r.error };
}

/** spawnSync(cmd, args) with stdout and stderr as Buffers, run by the broker process. */
export function brokerSpawnSync(cmd: string, args: readonly string[], options: BrokerOptions = {}): BrokerResult {
  if (broker === undefined) broker = start();
  if (!broker) return direct(cmd, args, options);
  const id = `${process.pid}-${nextId++}`;
  let input: string | undefined;
  if (options.input !== undefined) {
    input = join(broker.dir, `${id}.in`);
    writeFileSync(input, options.input);
  }
  const request = { id, cmd, args, env: options.env ?? process.env, cwd: options.cwd, input };
  writeSync(broker.req, `${JSON.stringify(request)}\n`);
  const reply = JSON.parse(readLine(broker.res)) as { status: number | null; signal: NodeJS.Signals | null; error: { message: string; code?: string } | null; out: string; err: string; cpu: number };
  brokerCpu += reply.cpu;
  const stdout = readFileSync(reply.out);
  const stderr = readFileSync(reply.err);
  rmSync(reply.out, { force: true });
  rmSync(reply.err, { force: true });
  const error = reply.error ? Object.assign(new Error(reply.error.message), { code: reply.error.code }) : undefined;
  return { status: reply.status, signal: reply.signal, stdout, stderr, error };
}
