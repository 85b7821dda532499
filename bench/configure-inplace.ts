/**
 * Issue 2 benchmark: `configure --in-place` on a 4 GiB sparse Raspberry Pi-shaped image, against
 * balena's own libraries (balena-config-json + balena-image-fs) writing the same files into a copy
 * of the same image, measured in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { generateBootFiles } from '../src/core/balena/index.ts';
import { planConfiguration } from '../src/core/pipeline/configure-image.ts';
import { NodeFile } from '../src/cli/node-io.ts';
import type { Settings } from '../src/core/settings/types.ts';
import { makeImage, balenaBootFiles } from '../tests/helpers/make-image.ts';
import { fmtMs, median, timeRuns } from './stats.ts';

const GiB = 1024 ** 3;
const work = resolve('bench/.work');

/** The settings every benchmark writes: a real SSH key made once by ssh-keygen. */
export function benchSettings(): Settings {
  mkdirSync(work, { recursive: true });
  const key = `${work}/id_ed25519`;
  if (!existsSync(`${key}.pub`)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@preflash', '-f', key]);
  return {
  version: 1,
  hostname: 'bench-device',
  ssh: { authorizedKeys: [readFileSync(`${key}.pub`, 'utf8').trim()] },
  network: {
    wifi: [
      { ssid: 'Home Net', security: 'wpa-psk', passphrase: 'correct horse battery', priority: 10 },
      { ssid: 'Workshop', security: 'sae', passphrase: 'another passphrase' },
    ],
    ethernet: { ipv4: { method: 'manual', address: '192.168.10.50/24', gateway: '192.168.10.1', dns: ['1.1.1.1'] } },
  },
  };
}

function sparseCopy(from: string, to: string) {
  execFileSync('cp', ['--sparse=always', from, to]);
}

export async function benchConfigureInPlace(runs = 15): Promise<Record<string, number>> {
  mkdirSync(work, { recursive: true });
  const base = `${work}/rpi-4g.img`;
  rmSync(base, { force: true });
  const made = makeImage(base, {
    table: 'mbr',
    partitions: [
      { sizeMiB: 40, type: 'c', bootable: true, fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: { ...balenaBootFiles('raspberrypi4-64', 'aarch64'), 'kernel8.img': new Uint8Array(8 * 1024 * 1024).fill(0x5a) } } },
      { sizeMiB: 1024, type: '83' },
      { sizeMiB: 1024, type: '83' },
      { sizeMiB: 8, type: '83', logical: true },
      { sizeMiB: 4096 - 4 - 40 - 2048 - 8 - 16, type: '83', logical: true },
    ],
  });
  console.log(`image: ${base}, ${(made.size / GiB).toFixed(2)} GiB sparse, boot FAT32 at ${made.offsets[0] / 2 ** 20} MiB`);
  const settings = benchSettings();
  const settingsPath = `${work}/settings.json`;
  writeFileSync(settingsPath, JSON.stringify(settings));
  const target = `${work}/target.img`;

  // Preflash, in-process: plan + write changed sectors + fsync.
  const preflash = await timeRuns(runs, async () => {
    const file = await NodeFile.open(target, 'r+');
    const plan = await planConfiguration(file, settings);
    for (const c of plan.changes) await file.write(c.offset, c.bytes);
    await file.sync();
    await file.close();
  }, () => sparseCopy(base, target));

  // balena's libraries writing the same files.
  const require = createRequire(resolve('bench/.deps/package.json'));
  const imagefs = require('balena-image-fs');
  const configJson = require('balena-config-json');
  const files = generateBootFiles(settings, { existingConfigJson: JSON.stringify({ deviceType: 'raspberrypi4-64', persistentLogging: false }) });
  const balena = await timeRuns(runs, async () => {
    for (const f of files) {
      if (f.path === 'config.json') {
        await configJson.write(target, undefined, JSON.parse(new TextDecoder().decode(f.content)));
      } else {
        await imagefs.interact(target, 1, async (fs: typeof import('node:fs')) => {
          const dir = f.path.split('/').slice(0, -1).join('/');
          if (dir) await promisify(fs.mkdir)(`/${dir}`).catch(() => undefined);
          await promisify(fs.writeFile)(`/${f.path}`, Buffer.from(f.content));
        });
      }
    }
  }, () => sparseCopy(base, target));

  // Whole processes, interleaved run by run so a busy machine slows all of them alike: Node doing
  // nothing, the CLI, and balena's libraries (loading them included). "Beyond Node" subtracts the
  // first; issue 7's goal is Preflash's at most a tenth of balena's.
  writeFileSync(`${work}/files.json`, JSON.stringify(files.map((f) => ({ path: f.path, base64: Buffer.from(f.content).toString('base64') }))));
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' }); // the bundle timed is the current source's
  const processes = {
    node: [process.execPath, '-e', ''],
    cli: [process.execPath, 'dist/cli/preflash.mjs', 'configure', target, '--settings', settingsPath, '--in-place', '--quiet'],
    balena: [process.execPath, 'bench/child-balena.cjs', target, `${work}/files.json`],
  };
  // At least 21 rounds: a process start varies by tens of milliseconds on a busy machine.
  const wholeRuns = Math.max(runs, 21);
  const whole = await timeProcesses(processes, wholeRuns, () => sparseCopy(base, target));

  const p = median(preflash);
  const b = median(balena);
  const beyond = (k: 'cli' | 'balena', of: 'wall' | 'cpu') => median(whole[k][of]) - median(whole.node[of]);
  console.log(`\nconfigure --in-place, 4 GiB sparse image, ${files.length} files, median of ${runs} (whole processes: ${wholeRuns}, interleaved):`);
  console.log(`  in-process work: Preflash core ${fmtMs(p)}, balena-config-json + balena-image-fs ${fmtMs(b)} (${(b / p).toFixed(1)}×)`);
  console.log('  whole process                      wall       CPU   beyond Node (wall / CPU)');
  for (const [name, key] of [['node -e \'\'', 'node'], ['preflash configure --in-place', 'cli'], ['balena libraries (child-balena.cjs)', 'balena']] as const) {
    const extra = key === 'node' ? '' : `${fmtMs(beyond(key, 'wall')).padStart(10)} / ${fmtMs(beyond(key, 'cpu'))}`;
    console.log(`  ${name.padEnd(34)} ${fmtMs(median(whole[key].wall)).padStart(9)} ${fmtMs(median(whole[key].cpu)).padStart(9)}   ${extra}`);
  }
  console.log(`  beyond Node, balena / Preflash: ${(beyond('balena', 'wall') / beyond('cli', 'wall')).toFixed(1)}× wall, ${(beyond('balena', 'cpu') / beyond('cli', 'cpu')).toFixed(1)}× CPU (goal ≥ 10×)`);
  rmSync(target, { force: true });
  return { preflashMs: p, cliMs: median(whole.cli.wall), balenaMs: b };
}

/** Each command `runs` times, interleaved; wall time and CPU time (user + system, from /usr/bin/time when present). */
async function timeProcesses<K extends string>(commands: Record<K, string[]>, runs: number, before: () => void): Promise<Record<K, { wall: number[]; cpu: number[] }>> {
  const timeTool = existsSync('/usr/bin/time');
  const out = Object.fromEntries(Object.keys(commands).map((k) => [k, { wall: [] as number[], cpu: [] as number[] }])) as Record<K, { wall: number[]; cpu: number[] }>;
  for (let i = 0; i < runs; i++) {
    for (const key of Object.keys(commands) as K[]) {
      before();
      const [cmd, ...args] = commands[key];
      const t0 = performance.now();
      const r = timeTool ? spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
      out[key].wall.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`${commands[key].join(' ')} failed: ${r.stderr}`);
      const [user, system] = timeTool ? r.stderr.trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN];
      out[key].cpu.push((user + system) * 1000);
    }
  }
  return out;
}
