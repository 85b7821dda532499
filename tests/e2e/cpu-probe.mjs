/**
 * Measurement aid for cpu-reporter.ts (not loaded by a normal run): preloaded into every node
 * process through NODE_OPTIONS, it acts only in Playwright's worker processes, where it writes the
 * process id under the worker's index once Playwright has set TEST_WORKER_INDEX, so the reporter
 * can add up the CPU time of that worker's process tree (its browsers, servers and tools).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.PREFLASH_E2E_CPU_DIR;
if (dir && process.argv[1]?.includes('workerProcessEntry')) {
  const timer = setInterval(() => {
    const index = process.env.TEST_WORKER_INDEX;
    if (index === undefined) return;
    clearInterval(timer);
    writeFileSync(join(dir, `worker-${index}`), String(process.pid));
  }, 5);
  timer.unref();
}
