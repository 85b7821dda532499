#!/usr/bin/env node
/**
 * Installs what is missing, so that `npm start` and `npm test` work on a fresh clone:
 *  - npm packages (npm ci when node_modules is absent or older than package-lock.json);
 *  - with --system: the Debian packages the interop and e2e tests use, when running as root.
 * Prints one line per action; does nothing when everything is there.
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const system = process.argv.includes('--system');

function sh(cmd) {
  console.log(`[ensure-deps] ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
}

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
if (!existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000)) {
  sh(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}

if (system) {
  // command → Debian package that provides it
  const tools = {
    'mkfs.vfat': 'dosfstools',
    'fsck.fat': 'dosfstools',
    mcopy: 'mtools',
    sfdisk: 'fdisk',
    'mkfs.ext4': 'e2fsprogs',
    nmcli: 'network-manager',
    wg: 'wireguard-tools',
    'ssh-keygen': 'openssh-client',
    xz: 'xz-utils',
    zip: 'zip',
    unzip: 'unzip',
    pigz: 'pigz',
    strace: 'strace',
    chromium: 'chromium',
    'firefox-esr': 'firefox-esr',
  };
  const missing = Object.entries(tools).filter(([cmd]) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (packages.length > 0) {
    if (process.getuid?.() === 0) {
      sh('apt-get update -qq');
      sh(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages.join(' ')} >/dev/null`);
    } else {
      console.log(`[ensure-deps] not root: cannot install ${packages.join(', ')}; the tests that need them will be skipped.`);
    }
  }
}
