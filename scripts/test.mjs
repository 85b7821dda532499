#!/usr/bin/env node
/**
 * Runs every test suite and ends with one plain line `N passed, N failed[, N skipped]` (what CI
 * reads). Suites: typecheck, vitest (unit, samples, interop), the app's state classes
 * (vitest.app.config.ts), then Playwright (tests/e2e, in Debian's Chromium; its specs skip
 * themselves without it). Extra args go to both vitest runs; with extra args (a filtered run) the
 * e2e suite is left out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = '.tmp/vitest-report.json';
mkdirSync('.tmp', { recursive: true });
rmSync(report, { force: true });

let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.error(`✗ ${name} failed (exit ${r.status})`);
  }
  return r.status === 0;
}

step('typecheck (core: no DOM, no Node)', 'npx', ['tsc', '-p', 'tsconfig.core.json']);
step('typecheck (workers: WebWorker lib)', 'npx', ['tsc', '-p', 'tsconfig.workers.json']);
step('typecheck (cli, tests)', 'npx', ['tsc', '-p', 'tsconfig.node.json']);
step('typecheck (app: DOM lib)', 'npx', ['tsc', '-p', 'tsconfig.app.json']);
step('build CLI', 'npm', ['run', '--silent', 'build:cli']);

const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: 'inherit' });
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  // A file that fails to load counts no test but is a failure.
  failed += json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} catch {
  if (vitest.status !== 0) failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;

// The app's state classes (.svelte.ts, runes) need the Svelte compiler: their own vitest config,
// counted the same way. A filtered run that matches none of its files is not a failure.
const appReport = '.tmp/vitest-app-report.json';
rmSync(appReport, { force: true });
{
  const failedBefore = failed;
  const args = ['vitest', 'run', '-c', 'vitest.app.config.ts', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${appReport}`, ...process.argv.slice(2)];
  const r = spawnSync('npx', args, { stdio: 'inherit' });
  try {
    const json = JSON.parse(readFileSync(appReport, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + json.numTodoTests;
    failed += json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  } catch {
    // no report: counted below
  }
  if (r.status !== 0 && failed === failedBefore) {
    failed++;
    console.error(`✗ app state (Svelte runes) failed (exit ${r.status})`);
  }
}

if (process.argv.length <= 2) {
  const e2eReport = '.tmp/e2e-report.json';
  rmSync(e2eReport, { force: true });
  const e2e = spawnSync('npx', ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts'], { stdio: 'inherit' });
  try {
    const { stats } = JSON.parse(readFileSync(e2eReport, 'utf8'));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    skipped += stats.skipped;
    if (e2e.status !== 0 && stats.unexpected === 0) failed++; // setup failed (build, server)
  } catch {
    failed++;
    console.error(`✗ e2e (Playwright) produced no report (exit ${e2e.status})`);
  }
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
