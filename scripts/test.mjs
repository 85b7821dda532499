#!/usr/bin/env node
/**
 * Runs every test suite and ends with one plain line `N passed, N failed[, N skipped]` (what CI
 * reads). Suites: typecheck, vitest (unit, samples, interop), the app's state classes
 * (vitest.app.config.ts), then Playwright (tests/e2e, in Debian's Chromium; its specs skip
 * themselves without it). Extra args go to both vitest runs; with extra args (a filtered run) the
 * e2e suite is left out.
 *
 * The four typechecks and the app-state vitest run one after the other *beside* the main vitest
 * run (their output held back and printed after it): each is a single-threaded process, and run
 * first, in series, they kept one of CI's two cores idle for about a minute; beside vitest they
 * fill the gaps its two workers leave (tools waiting on files, the last file running alone).
 * One at a time, so at most three busy processes share the two cores. The CLI is built first:
 * interop tests run the bundle.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = '.tmp/vitest-report.json';
const appReport = '.tmp/vitest-app-report.json';
mkdirSync('.tmp', { recursive: true });
rmSync(report, { force: true });
rmSync(appReport, { force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};

/** Runs a command with its output held back; resolves to its exit status and output. */
function quiet(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...color } });
    let output = '';
    p.stdout.on('data', (d) => (output += d));
    p.stderr.on('data', (d) => (output += d));
    p.on('error', (e) => resolve({ status: -1, output: `${output}${e.message}\n` }));
    p.on('close', (status) => resolve({ status, output }));
  });
}

function count(name, status) {
  if (status === 0) passed++;
  else {
    failed++;
    console.error(`✗ ${name} failed (exit ${status})`);
  }
}

/**
 * Adds a vitest run's JSON report to the counts (a file that fails to load counts no test but is a
 * failure); a run that failed without a failure in its report (no report, a crash) counts as one.
 */
function countVitest(name, path, status) {
  const failedBefore = failed;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + json.numTodoTests;
    failed += json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  } catch {
    // no report: counted below
  }
  if (status !== 0 && failed === failedBefore) count(name, status);
}

const r = spawnSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' });
count('build CLI', r.status);

const typechecks = [
  ['typecheck (core: no DOM, no Node)', 'tsconfig.core.json'],
  ['typecheck (workers: WebWorker lib)', 'tsconfig.workers.json'],
  ['typecheck (cli, tests)', 'tsconfig.node.json'],
  ['typecheck (app: DOM lib)', 'tsconfig.app.json'],
];
const pretty = process.stdout.isTTY ? ['--pretty'] : [];
const beside = (async () => {
  const done = [];
  for (const [name, project] of typechecks) done.push({ name, ...(await quiet('npx', ['tsc', '-p', project, ...pretty])) });
  // The app's state classes (.svelte.ts, runes) need the Svelte compiler: their own vitest config.
  // A filtered run that matches none of its files is not a failure.
  const args = ['vitest', 'run', '-c', 'vitest.app.config.ts', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${appReport}`, ...process.argv.slice(2)];
  done.push({ name: 'app state (Svelte runes)', app: true, ...(await quiet('npx', args)) });
  return done;
})();

const main = await new Promise((resolve) => {
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
  spawn('npx', args, { stdio: 'inherit' }).on('close', (status) => resolve(status));
});
countVitest('vitest', report, main);

for (const step of await beside) {
  process.stdout.write(`\n── ${step.name} ──\n${step.output}`);
  if (step.app) countVitest(step.name, appReport, step.status);
  else count(step.name, step.status);
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
