import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPage, servePage } from './serve-page.ts';

/**
 * Runs once before the workers start: builds and serves the test page (its URL reaches the specs
 * through the environment), builds the app once for every worker (app-server.ts then only starts
 * a server; two workers building dist/app at once would empty each other's folder), and gives the
 * run one fixture cache, so an image the real tools made for one spec is copied for the next
 * (tests/helpers/fixture-cache.ts; its writes are atomic, so workers can share it).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status})`);
  process.env.PREFLASH_APP_BUILT = '1';
  const cache = mkdtempSync(join(tmpdir(), 'preflash-e2e-fixtures-'));
  process.env.PREFLASH_FIXTURE_CACHE = cache;
  const server = await servePage(await buildPage());
  process.env.PREFLASH_E2E_URL = server.url;
  return async () => {
    await server.close();
    rmSync(cache, { recursive: true, force: true });
  };
}
