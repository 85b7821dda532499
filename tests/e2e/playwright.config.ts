/**
 * Playwright for tests/e2e, in Debian's Chromium (no downloaded browsers). The global setup builds
 * the test page with Vite and serves it on 127.0.0.1; `npm test` runs this after vitest and counts
 * the results from the JSON report.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: '../../.tmp/e2e-report.json' }]],
  globalSetup: './global-setup.ts',
  outputDir: '../../.tmp/e2e-results',
});
