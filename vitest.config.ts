import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/helpers/sequencer.ts';

/**
 * Two projects over one pool of forked workers (2 on a 2-core machine):
 * - unit: tests/unit and tests/samples import only the core and run in-process; they share
 *   their worker's module cache (isolate: false), so the ~80 small files are not each paying
 *   for a fresh process and a fresh import of the core — half the suite's CPU time went there.
 * - interop: every file gets a fresh process (isolate: true). These spawn real tools, build
 *   fixtures and some measure their own process's memory (the 4 GiB tests), which another file's
 *   leftovers would distort. Sharing a process was tried (issue 7 §5): configure-file.test.ts's
 *   recipe-share check then failed (0.13 < 0.3), which was no shared state but the deflate splice's
 *   old even-residue rule meeting a fixture whose boundary parity was odd (fixed; the two files
 *   now pass in one process). It saved little CPU, so files keep their own process.
 * Images made by the real tools are built once per run and copied (tests/helpers/fixture-cache.ts;
 * the cache folder comes from tests/helpers/global-setup.ts). The tools themselves run from a small
 * broker process per worker (tests/helpers/spawn-broker.ts): forking a worker that holds images
 * and a module cache cost tens of milliseconds of kernel time per tool (deflate-cut.test.ts alone:
 * 31.7 s of CPU with the tools forked from its worker, 14.3 s from the broker).
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on CI's 2 cores. Interop
    // files spend much of their time waiting on the tools they spawn, so two workers overlap well.
    maxWorkers: 2,
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PREFLASH_CPU_LOG=<file>: each file's CPU seconds, tools included (tests/helpers/cpu-log.ts).
    setupFiles: process.env.PREFLASH_CPU_LOG ? ['tests/helpers/cpu-log.ts'] : [],
    // The longest files first, also on a fresh clone with no cached durations (tests/helpers/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/samples/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'interop', include: ['tests/interop/**/*.test.ts', 'tests/fuzz/**/*.test.ts'], isolate: true } },
    ],
  },
});
