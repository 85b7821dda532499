import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/helpers/sequencer.ts';

/**
 * Three projects over one pool of forked workers (2 on a 2-core machine):
 * - unit: tests/unit and tests/samples import only the core and run in-process; they share
 *   their worker's module cache (isolate: false), so the ~80 small files are not each paying
 *   for a fresh process and a fresh import of the core — half the suite's CPU time went there.
 * - interop: spawn real tools and build fixtures; they too share their worker's module cache
 *   (isolate: false): a fresh process per file cost each of some thirty files a new fork and a new
 *   import of the core and the helpers (issue 7 §5: the suite's time). Each file still gets its
 *   own module instance, temporary folder and cleanup.
 * - interop-isolated: the file that measures its own process's memory (the 4 GiB xz test), which
 *   another file's leftovers would distort, gets a fresh process (isolate: true).
 * Images made by the real tools are built once per run and copied (tests/helpers/fixture-cache.ts;
 * the cache folder comes from tests/helpers/global-setup.ts).
 */
/** Files that measure their own process's memory: each gets a fresh process (see above). */
const ISOLATED = ['tests/interop/codecs-xz-4gib.test.ts'];

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
    // The longest files first, also on a fresh clone with no cached durations (tests/helpers/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/samples/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'interop', include: ['tests/interop/**/*.test.ts', 'tests/fuzz/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'interop-isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
