/**
 * The built app served by scripts/serve.mjs (with its CSP header) on 127.0.0.1, for the app's
 * e2e specs: one server per test process (each Playwright worker), stopped when the process exits.
 * Under Playwright the global setup has built dist/app once for all workers (PREFLASH_APP_BUILT);
 * elsewhere (the benchmark) the first call builds it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface AppServer { origin: string }

let shared: Promise<AppServer> | undefined;

export function appServer(): Promise<AppServer> {
  return (shared ??= start());
}

async function start(): Promise<AppServer> {
  if (!process.env.PREFLASH_APP_BUILT) {
    const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status})`);
  }
  const port = await freePort();
  const server: ChildProcess = spawn('node', ['scripts/serve.mjs'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => server.kill());
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Press Ctrl+C') && resolve());
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
  return { origin: `http://127.0.0.1:${port}` };
}

/**
 * A port the OS says is free, from its ephemeral range: never one of the ports browsers refuse to
 * load (Chromium's ERR_UNSAFE_PORT list — 5060, 6000, 6665–6669… — all lie below it).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
