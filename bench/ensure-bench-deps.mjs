#!/usr/bin/env node
// balena's own libraries are installed for the benchmark only, into bench/.deps (gitignored),
// so they never become dependencies of Preflash.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const dir = 'bench/.deps';
if (!existsSync(`${dir}/node_modules/balena-image-fs`) || !existsSync(`${dir}/node_modules/balena-config-json`)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'preflash-bench-deps', private: true }));
  console.log('[bench] installing balena-image-fs and balena-config-json into bench/.deps');
  execSync('npm install --no-audit --no-fund --silent balena-image-fs@7.6.21 balena-config-json@4.2.7', { cwd: dir, stdio: 'inherit' });
}
