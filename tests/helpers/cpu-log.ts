/**
 * With PREFLASH_CPU_LOG=<file>, appends each test file's CPU seconds to <file> (tab-separated:
 * seconds, file): its worker's own CPU plus that of the tools it ran and waited for (/proc's
 * utime, stime, cutime, cstime), measured from the file's first hook to its last. The measure
 * behind README "Tests"' per-file CPU figures; without the variable it does nothing.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';

const log = process.env.PREFLASH_CPU_LOG;

function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields 14–17 of proc(5) (utime stime cutime cstime), counted from field 3 here
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

if (log) {
  let start = 0;
  let file = '';
  beforeAll(() => {
    start = cpuSeconds();
    file = expect.getState().testPath ?? '';
  });
  afterAll(() => {
    appendFileSync(log, `${(cpuSeconds() - start).toFixed(2)}\t${file.replace(/.*\/tests\//, 'tests/')}\n`);
  });
}
