#!/usr/bin/env node
// The CLI is TypeScript bundled by `npm run build:cli` (scripts/build-cli.mjs) into dist/cli/.
// In a checkout the bundle is rebuilt when it is missing or older than a source it was built from.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/cli/preflash.mjs');
// child_process (and the net, dgram and stream modules it loads) only when a rebuild is due: ~7 ms of every run otherwise.
if (bundleIsStale()) (await import('node:child_process')).execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
const { main, processIo } = await import(pathToFileURL(bundle).href);
const io = processIo();
await io.exit(await main(process.argv.slice(2), io));

/** Missing, or older than one of its sources (dist/cli/inputs.json lists them); a package without src/ never rebuilds. */
function bundleIsStale() {
  if (!existsSync(join(root, 'src'))) return false;
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, 'dist/cli/inputs.json'), 'utf8'));
  } catch {
    return true;
  }
  for (const input of inputs) {
    try {
      if (statSync(join(root, input)).mtimeMs > built) return true;
    } catch {
      return true; // a source was moved or deleted
    }
  }
  return false;
}
