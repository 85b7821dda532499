#!/usr/bin/env node
// The CLI is TypeScript bundled by `npm run build:cli` (esbuild) into dist/cli/preflash.mjs.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/cli/preflash.mjs');
if (!existsSync(bundle)) execSync('npm run --silent build:cli', { cwd: root, stdio: 'inherit' });
const { main, processIo } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2), processIo());
