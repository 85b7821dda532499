/**
 * Playwright for tests/e2e, in Debian's Chromium (no downloaded browsers). The global setup builds
 * the test page and the app with Vite once and serves the page on 127.0.0.1; `npm test` runs this
 * after vitest and counts the results from the JSON report.
 *
 * Two workers run the spec files side by side (a file's tests stay in order in one worker): each
 * spec launches its own browser with its own profile (a fresh or temporary one, so OPFS, caches
 * and service workers are never shared), listens on ports the OS picks, and writes its images
 * under names of its own. app-longtask.spec.ts asserts how long the page's main thread is busy, so
 * it runs alone, after the others (its project depends on theirs; if one of them fails, it is
 * reported skipped).
 *
 * Two workers, not three: on the shared 2-core machine a run with three was not faster (604 s
 * against 513 s, for about the same CPU time, ≈ 600 s), though other engineers' load (8–24) made
 * the two runs a weak comparison; worth measuring again on a quiet machine.
 *
 * Where the time goes, per spec and per test (wall, and CPU of each worker's process tree: its
 * browsers, servers and the real tools), without changing this config:
 *   PREFLASH_E2E_CPU_DIR=/tmp/e2e-cpu NODE_OPTIONS="--import $PWD/tests/e2e/cpu-probe.mjs" \
 *     npx playwright test -c tests/e2e/playwright.config.ts --reporter=dot,./tests/e2e/cpu-reporter.ts
 * writes /tmp/e2e-cpu/report.txt (cpu-reporter.ts).
 */
import { defineConfig } from '@playwright/test';

const ALONE = 'app-longtask.spec.ts';

export default defineConfig({
  testDir: '.',
  workers: 2,
  fullyParallel: false,
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: '../../.tmp/e2e-report.json' }]],
  globalSetup: './global-setup.ts',
  outputDir: '../../.tmp/e2e-results',
  projects: [
    { name: 'e2e', testMatch: '*.spec.ts', testIgnore: ALONE },
    { name: 'timing', testMatch: ALONE, dependencies: ['e2e'] },
  ],
});
