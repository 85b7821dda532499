/**
 * The robustness fuzzer (issue 7 §5): real balenaOS-shaped images made with mkfs.vfat/mtools/
 * sfdisk (and gzip/zip/xz), mutated at random with a fixed seed — partition entries, EBRs, GPT
 * headers and arrays (with and without fixed CRCs), every BPB field, FSInfo, FAT entries,
 * directory and long-name entries, bit flips, truncations, lying compressed headers — then
 * inspected and configured in-process. See run-case.ts for the invariants.
 *
 *   npx vitest run tests/fuzz                          # 300 cases (what npm test runs)
 *   FUZZ_CASES=5000 npx vitest run tests/fuzz          # more
 *   FUZZ_SEED=7 FUZZ_CASE=1234 npx vitest run tests/fuzz   # replay one case (printed on failure)
 *   FUZZ_FSCK_RATE=1                                   # fsck/mtools every successful case
 */
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasTools, tempDir } from '../helpers/tools.ts';
import { buildFixtures, type Fixture } from './fixtures.ts';
import type { CaseResult } from './run-case.ts';

const TOOLS = ['mkfs.vfat', 'fsck.fat', 'mcopy', 'mmd', 'mtype', 'sfdisk', 'gzip', 'zip', 'unzip', 'xz'];
const ok = hasTools(...TOOLS);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const FSCK_RATE = Number(process.env.FUZZ_FSCK_RATE ?? 0.15);
/** Generous: a case normally takes milliseconds; only a hang gets near this. */
const CASE_TIMEOUT_MS = 30_000;

const t = tempDir('preflash-fuzz-');
let fixtures: Fixture[] = [];
let loadMs = 0;

beforeAll(() => {
  if (ok) fixtures = buildFixtures(t.dir);
});
afterAll(() => t.cleanup());

function runWorker(cases: number[], scratch: string): Promise<{ results: CaseResult[]; hung?: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker-boot.mjs', import.meta.url), {
      workerData: { fixtures, seed: SEED, cases, fsckRate: ONLY === undefined ? FSCK_RATE : 1, scratch },
    });
    const results: CaseResult[] = [];
    let timer: NodeJS.Timeout | undefined;
    let current = -1;
    worker.on('message', (msg: { type: string; caseNo?: number; result?: CaseResult }) => {
      clearTimeout(timer);
      if (msg.type === 'start') {
        current = msg.caseNo!;
        timer = setTimeout(() => {
          void worker.terminate();
          resolve({ results, hung: current });
        }, CASE_TIMEOUT_MS);
      } else if (msg.type === 'done') {
        results.push(msg.result!);
        // As they happen, so a long run that is cut short still tells what it found.
        for (const f of msg.result!.failures) console.error(`fuzz failure: seed ${SEED} case ${msg.result!.caseNo} [${msg.result!.fixture}] ${msg.result!.what}: ${f}`);
      }
      else if (msg.type === 'loaded') loadMs = (msg as { ms?: number }).ms ?? 0;
      else if (msg.type === 'finished') {
        void worker.terminate();
        resolve({ results });
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`fuzz worker died during case ${current} (seed ${SEED}): ${e.stack ?? e}`));
    });
  });
}

it.skipIf(!ok)(`survives ${ONLY === undefined ? CASES : 1} mutated images (seed ${SEED})`, async () => {
  const scratch = `${t.dir}/scratch`;
  mkdirSync(scratch, { recursive: true });
  let pending = ONLY === undefined ? Array.from({ length: CASES }, (_, i) => i) : [ONLY];
  const results: CaseResult[] = [];
  const failures: string[] = [];
  while (pending.length > 0) {
    const { results: done, hung } = await runWorker(pending, scratch);
    results.push(...done);
    if (hung === undefined) break;
    failures.push(`seed ${SEED} case ${hung}: no result within ${CASE_TIMEOUT_MS / 1000} s (a hang)`);
    pending = pending.slice(pending.indexOf(hung) + 1);
  }
  for (const r of results) {
    for (const f of r.failures) failures.push(`seed ${SEED} case ${r.caseNo} [${r.fixture}] ${r.what}: ${f}`);
  }
  const tally = new Map<string, number>();
  for (const r of results) for (const o of [r.outcome.inspect, r.outcome.configure]) tally.set(o, (tally.get(o) ?? 0) + 1);
  console.log(
    `fuzz: ${results.length} cases, ${results.filter((r) => r.fsckChecked).length} outputs checked with fsck.fat/mtools; outcomes ${[...tally].map(([k, v]) => `${k}=${v}`).join(' ')}`,
  );
  const slow = [...results].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 5);
  console.log(`fuzz: worker load ${loadMs} ms; slowest cases ${slow.map((r) => `${r.caseNo}[${r.fixture}${r.fsckChecked ? ',fsck' : ''}]=${r.ms}ms`).join(' ')}`);
  if (ONLY !== undefined) console.log(JSON.stringify(results, null, 2));
  expect(failures, `replay with FUZZ_SEED=${SEED} FUZZ_CASE=<case>`).toEqual([]);
}, 120_000 + CASES * 2_000); // generous on a loaded machine; hangs are caught per case
