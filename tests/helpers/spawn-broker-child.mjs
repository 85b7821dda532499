/**
 * The spawn broker's child (tests/helpers/spawn-broker.ts): a small Node process that runs the
 * tools a test process asks for. Requests come one JSON line at a time on the FIFO <dir>/req, each
 * answered by one JSON line on <dir>/res; a tool's input and output pass through files in <dir>.
 * It ends when the test process closes its end of the request FIFO (or dies), removing <dir>: a
 * test worker may be ended without running its exit handlers.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const req = openSync(join(dir, 'req'), 'r');
const res = openSync(join(dir, 'res'), 'w');
const buf = Buffer.alloc(1 << 16);

/** This process's CPU seconds, the tools it waited for included (proc(5) utime stime cutime cstime). */
function cpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}
let pending = '';

for (;;) {
  const n = readSync(req, buf, 0, buf.length, null);
  if (n === 0) break;
  pending += buf.toString('utf8', 0, n);
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const { id, cmd, args, env, cwd, input } = JSON.parse(line);
    const cpuBefore = cpuSeconds();
    const out = join(dir, `${id}.out`);
    const err = join(dir, `${id}.err`);
    const outFd = openSync(out, 'w');
    const errFd = openSync(err, 'w');
    let reply;
    try {
      const r = spawnSync(cmd, args, {
        env,
        cwd,
        input: input === undefined ? undefined : readFileSync(input),
        stdio: [input === undefined ? 'ignore' : 'pipe', outFd, errFd],
      });
      reply = { status: r.status, signal: r.signal, error: r.error ? { message: r.error.message, code: r.error.code } : null, out, err };
    } catch (e) {
      reply = { status: null, signal: null, error: { message: String(e?.message ?? e), code: e?.code }, out, err };
    } finally {
      closeSync(outFd);
      closeSync(errFd);
      if (input !== undefined) rmSync(input, { force: true });
    }
    // The CPU this request cost (the tool's and the broker's), so that a test process's CPU log can
    // count its tools as when it forked them itself (tests/helpers/cpu-log.ts).
    reply.cpu = cpuSeconds() - cpuBefore;
    writeSync(res, `${JSON.stringify(reply)}\n`);
  }
}
closeSync(req);
closeSync(res);
rmSync(dir, { recursive: true, force: true });
