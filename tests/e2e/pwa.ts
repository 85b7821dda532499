/**
 * Helpers for the offline shell's specs (issue #9): wait for the service worker to control a
 * page, ask it which build it is, go offline, and serve a build folder with scripts/serve.mjs on
 * a port of our choosing — stopped and started again on the same port with another folder, as a
 * deploy replaces the files under the same URL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Waits until the service worker is active (so the precache is complete) and controls the page. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

/** The build marker of the service worker controlling the page (its answer to GET_VERSION). */
export function serviceWorkerBuild(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const controller = navigator.serviceWorker.controller;
        if (!controller) return reject(new Error('no service worker controls the page'));
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve((e.data as { build: string }).build);
        controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
      }),
  );
}

/** The build marker the page carries (`<meta name="preflash-build">`). */
export function pageBuild(page: Page): Promise<string | null> {
  return page.locator('meta[name="preflash-build"]').getAttribute('content');
}

/** The build marker written into a build folder's index.html. */
export function folderBuild(dir: string): string {
  const marker = /<meta name="preflash-build" content="([^"]+)"/.exec(readFileSync(`${dir}/index.html`, 'utf8'))?.[1];
  if (!marker) throw new Error(`${dir}/index.html has no preflash-build marker`);
  return marker;
}

/** `npx vite build` of the app into `outDir` with the build marker `build` (PREFLASH_BUILD). */
export function viteBuildArgs(outDir: string, build: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return { args: ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], env: { ...process.env, PREFLASH_BUILD: build } };
}

/** Builds the app into `outDir` with the build marker `build` (PREFLASH_BUILD). */
export function buildApp(outDir: string, build: string): void {
  const { args, env } = viteBuildArgs(outDir, build);
  const r = spawnSync('npx', args, { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`vite build into ${outDir} failed (exit ${r.status})`);
}

/**
 * pwa-update.spec.ts's build B: the same sources with another build marker. The global setup
 * builds it beside dist/app (PREFLASH_UPDATE_BUILT), so no worker stops for it; run without the
 * global setup, the spec builds it itself.
 */
export const UPDATE_BUILD = { dir: '.tmp/pwa-update-b', marker: 'e2e-update-b' };

export interface FolderServer { origin: string; stop(): Promise<void> }

/** scripts/serve.mjs serving `dir` on 127.0.0.1:`port` (the same port again after a stop, as a redeploy). */
export async function serveFolder(dir: string, port: number): Promise<FolderServer> {
  const server: ChildProcess = spawn('node', ['scripts/serve.mjs', dir], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = () => server.kill();
  process.on('exit', kill);
  let printed = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Press Ctrl+C')) resolve();
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs ${dir} exited with ${code}: ${printed}`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  // Vite's preview takes the next port when one is busy: make sure this is the one asked for.
  if (!printed.replace(/\x1b\[[0-9;]*m/g, '').includes(`${origin}/`)) throw new Error(`serve.mjs did not listen on ${origin}: ${printed}`);
  return {
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill();
      }),
  };
}
