/**
 * The bundled CLI (issue 7): a raw `configure --in-place` loads no codec, no compression library and
 * no device catalogue, and runs from one file beside the small entry (checked by recording every
 * module Node loads, mapped through esbuild's metafile to the sources inside); other command lines
 * load the split build and not that file; `bin/preflash.js` rebuilds the bundle when a source it
 * was built from is newer.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBalenaImage } from '../helpers/make-image.ts';
import { hasTools, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat');
const tmp = tempDir('preflash-cli-bundle-');
afterAll(() => tmp.cleanup());
const root = process.cwd();

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** Runs the bundled CLI recording every file module Node resolves; returns the sources inside the chunks loaded. */
function sourcesLoaded(args: string[]): { status: number | null; stderr: string; sources: string[]; outputs: string[] } {
  const log = tmp.path(`loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  const hooks = tmp.path('hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(process.env.PREFLASH_LOAD_LOG, r.url + '\\n');
  return r;
}\n`);
  writeFileSync(tmp.path('register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  const r = spawnSync(process.execPath, ['--import', `file://${tmp.path('register.mjs')}`, 'bin/preflash.js', ...args], {
    env: { ...process.env, PREFLASH_LOAD_LOG: log },
    encoding: 'utf8',
  });
  const meta = JSON.parse(readFileSync('dist/cli/meta.json', 'utf8')) as Meta;
  const files = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean).map((u) => relative(root, fileURLToPath(u))));
  const loaded = Object.entries(meta.outputs).filter(([out]) => files.has(out));
  const sources = loaded.flatMap(([, o]) => Object.keys(o.inputs));
  return { status: r.status, stderr: r.stderr, sources, outputs: loaded.map(([out]) => out).sort() };
}

const heavy = (sources: string[]) => sources.filter((s) => (s.includes('src/core/codecs/') && !s.endsWith('detect-magic.ts')) || s.includes('node_modules/'));

describe.skipIf(!tools)('the split bundle', () => {
  beforeAll(() => {
    makeBalenaImage(tmp.path('rpi.img'), 'raspberrypi');
    writeFileSync(tmp.path('settings.json'), JSON.stringify({ version: 1, hostname: 'lazy' }));
  }, 120_000);

  it('configure --in-place on a raw image loads no codec and no compression library', () => {
    const r = sourcesLoaded(['configure', tmp.path('rpi.img'), '--settings', tmp.path('settings.json'), '--in-place', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.sources).toContain('src/core/pipeline/configure-image.ts');
    expect(r.sources).toContain('src/cli/commands/configure-in-place.ts');
    expect(heavy(r.sources)).toEqual([]);
    // The small entry, one module for the work (the whole in-place path) and the shared error classes.
    expect(r.outputs).toEqual(['dist/cli/errors.mjs', 'dist/cli/in-place.mjs', 'dist/cli/preflash.mjs']);
    // Nor the device catalogue, the core's largest module: it is needed only for --device.
    expect(r.sources.filter((s) => s.includes('src/core/catalogue/'))).toEqual([]);
  });

  it('(control) configure --in-place --device loads the catalogue', () => {
    const r = sourcesLoaded(['configure', tmp.path('rpi.img'), '--settings', tmp.path('settings.json'), '--in-place', '--device', 'raspberrypi3', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.sources).toContain('src/core/catalogue/devices.generated.ts');
    expect(r.outputs).toContain('dist/cli/chunks/main.mjs');
  });

  it('(control) configure to .img.gz does load them', () => {
    const r = sourcesLoaded(['configure', tmp.path('rpi.img'), '--settings', tmp.path('settings.json'), '-o', tmp.path('out.img.gz'), '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.sources.some((s) => s.includes('src/core/codecs/gzip'))).toBe(true);
    expect(r.sources.some((s) => s.includes('node_modules/pako'))).toBe(true);
    // The in-place file (~110 KB) is neither read nor compiled on this path.
    expect(r.outputs).not.toContain('dist/cli/in-place.mjs');
    expect(r.outputs).toContain('dist/cli/preflash.mjs');
  });
});

describe('bin/preflash.js in a checkout', () => {
  it('builds a missing bundle, keeps a fresh one, rebuilds when a source is newer', () => {
    const copy = tmp.path('repo');
    for (const p of ['package.json', 'bin', 'scripts', 'src']) cpSync(p, join(copy, p), { recursive: true });
    symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
    const bundle = join(copy, 'dist/cli/preflash.mjs');
    const devices = () => {
      const r = spawnSync(process.execPath, [join(copy, 'bin/preflash.js'), 'devices', '--json'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { slug: string }[];
    };

    expect(existsSync(bundle)).toBe(false);
    expect(devices().length).toBeGreaterThan(0);
    const built = statSync(bundle).mtimeMs;

    devices();
    expect(statSync(bundle).mtimeMs).toBe(built);

    // A source edited after the build: the next run rebuilds, and runs the new code.
    const source = join(copy, 'src/cli/commands/devices.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace('const devices = listDevices().map(deviceSummary);', 'const devices = listDevices().map(deviceSummary).slice(0, 1);'));
    const later = new Date(built + 10_000);
    utimesSync(source, later, later);
    expect(devices()).toHaveLength(1);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
  }, 120_000);
});
