/**
 * Vitest global setup: one fixture-cache folder per test run (see fixture-cache.ts), in /dev/shm
 * when it has 4 GiB free: every process reads each cached image whole once, holes included, and
 * a 111 MiB sparse image read from /tmp's disk cost ~0.2 s of CPU, from /dev/shm a few ms.
 */
import { tempDir } from './tools.ts';

export default function setup(): () => void {
  const folder = tempDir('preflash-fixtures-', { memory: true });
  process.env.PREFLASH_FIXTURE_CACHE = folder.dir;
  return folder.cleanup;
}
