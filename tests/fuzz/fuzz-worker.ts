/**
 * The fuzzer's worker thread: runs cases one after another and reports each start and result, so
 * the test thread can tell a hang (even a synchronous loop) from slow work and name the case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Fixture } from './fixtures.ts';
import { loadFixture } from './fixtures.ts';
import { findLayout } from './layout.ts';
import { caseRng, runCase, type Loaded } from './run-case.ts';

interface Job {
  fixtures: Fixture[];
  seed: number;
  cases: number[];
  fsckRate: number;
  scratch: string;
}

const job = workerData as Job;
const tLoad = performance.now();
const loaded: Loaded[] = [];
for (const fixture of job.fixtures) {
  const base = loadFixture(fixture);
  loaded.push({ fixture, base, pristine: base.slice(), layout: fixture.compressed ? undefined : await findLayout(fixture, base) });
}
parentPort!.postMessage({ type: 'loaded', ms: Math.round(performance.now() - tLoad) });
for (const caseNo of job.cases) {
  parentPort!.postMessage({ type: 'start', caseNo });
  // Which successes get the (slow) fsck/mtools check is decided per case, independent of outcome order.
  const fsckThis = caseRng(job.seed ^ 0x5bd1e995, caseNo).next() < job.fsckRate;
  const t0 = performance.now();
  const result = await runCase(loaded, job.seed, caseNo, job.scratch, fsckThis);
  result.ms = Math.round(performance.now() - t0);
  parentPort!.postMessage({ type: 'done', result });
}
parentPort!.postMessage({ type: 'finished' });
