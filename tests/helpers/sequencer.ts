/**
 * Longest test files first, so that two workers finish together. Vitest orders a run by the
 * durations it cached from the previous one; a fresh clone (CI) has none, and Vitest falls back to
 * file size, which starts the 4 GiB xz test (a short file, the longest run) near the end, when the
 * other worker has nothing left to overlap with it. The list below is measured
 * (`npx vitest run --reporter=json`, per-file durations), longest first; files not in it keep
 * Vitest's own order after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const LONGEST_FIRST = [
  // CPU seconds per file, tools included (PREFLASH_CPU_LOG, 2026-11-30 pass 2; the files of pass 4
  // re-measured after it): steadier than per-file wall times on a loaded machine.
  'tests/interop/codecs-xz-4gib.test.ts',
  'tests/interop/codecs-xz.test.ts',
  'tests/interop/codecs-zip-4gib.test.ts',
  'tests/interop/configure-compressed.test.ts',
  'tests/interop/codecs-gzip-4gib.test.ts',
  'tests/interop/configure-file.test.ts',
  'tests/interop/cli-inflate-engine.test.ts',
  'tests/interop/cli-output.test.ts',
  'tests/interop/codecs-gzip.test.ts',
  'tests/interop/worker-handle.test.ts',
  'tests/interop/codecs-zip.test.ts',
  'tests/fuzz/fuzz.test.ts',
  'tests/interop/fat-tools.test.ts',
  'tests/interop/fat-bad-input.test.ts',
  'tests/interop/configure-layouts.test.ts',
  'tests/interop/fat-robustness.test.ts',
  'tests/interop/cli-cancel.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}
