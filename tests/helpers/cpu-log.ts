/**
 * With PREFLASH_CPU_LOG=<file>, appends each test file's CPU seconds to <file> (tab-separated:
 * seconds, file): its worker's own CPU plus that of the tools it ran and waited for (/proc's
 * utime, stime, cutime, cstime) and of the tools the spawn broker ran for it (spawn-broker.ts),
 * measured from the file's first hook to its last. The measure
 * behind README "Tests"' per-file CPU figures; without the variable it does nothing.
 * With PREFLASH_CPU_LOG_TESTS=1 as well, each test's own CPU follows on lines of its own
 * (seconds, file, test name), hooks excluded: where a heavy file's time goes.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { brokerCpuSeconds } from './spawn-broker.ts';

const log = process.env.PREFLASH_CPU_LOG;
const perTest = process.env.PREFLASH_CPU_LOG_TESTS === '1';

function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields 14–17 of proc(5) (utime stime cutime cstime), counted from field 3 here
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100 + brokerCpuSeconds();
}

const short = (path: string): string => path.replace(/.*\/tests\//, 'tests/');

if (log) {
  let start = 0;
  let file = '';
  beforeAll(() => {
    start = cpuSeconds();
    file = expect.getState().testPath ?? '';
  });
  afterAll(() => {
    appendFileSync(log, `${(cpuSeconds() - start).toFixed(2)}\t${short(file)}\n`);
  });
  if (perTest) {
    let testStart = 0;
    beforeEach(() => {
      testStart = cpuSeconds();
    });
    afterEach((context) => {
      appendFileSync(log, `${(cpuSeconds() - testStart).toFixed(2)}\t${short(file)}\t${context.task.name}\n`);
    });
  }
}
