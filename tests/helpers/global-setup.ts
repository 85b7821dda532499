/** Vitest global setup: one fixture-cache folder per test run (see fixture-cache.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'preflash-fixtures-'));
  process.env.PREFLASH_FIXTURE_CACHE = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
