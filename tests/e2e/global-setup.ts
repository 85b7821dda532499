import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPDATE_BUILD, viteBuildArgs } from './pwa.ts';
import { buildPage, servePage } from './serve-page.ts';

/** `npx <args>`, resolved once it exits with 0. */
function npx(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npx ${args.join(' ')} failed (exit ${code})`))));
  });
}

/**
 * Runs once before the workers start: builds and serves the test page (its URL reaches the specs
 * through the environment), builds the app once for every worker (app-server.ts then only starts
 * a server; two workers building dist/app at once would empty each other's folder) and the second
 * build pwa-update.spec.ts deploys (pwa.ts UPDATE_BUILD) — the three builds side by side, each
 * into its own folder — and gives the run one fixture cache, so an image the real tools made for
 * one spec is copied for the next (tests/helpers/fixture-cache.ts; its writes are atomic, so
 * workers can share it).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const update = viteBuildArgs(UPDATE_BUILD.dir, UPDATE_BUILD.marker);
  const [, , page] = await Promise.all([npx(['vite', 'build', '--logLevel', 'warn']), npx(update.args, update.env), buildPage()]);
  process.env.PREFLASH_APP_BUILT = '1';
  process.env.PREFLASH_UPDATE_BUILT = '1';
  const cache = mkdtempSync(join(tmpdir(), 'preflash-e2e-fixtures-'));
  process.env.PREFLASH_FIXTURE_CACHE = cache;
  const server = await servePage(page);
  process.env.PREFLASH_E2E_URL = server.url;
  return async () => {
    await server.close();
    rmSync(cache, { recursive: true, force: true });
  };
}
