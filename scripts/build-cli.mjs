#!/usr/bin/env node
/**
 * Builds the CLI (`npm run build:cli`) with esbuild into dist/cli/: the small entry preflash.mjs
 * runs a plain raw `configure --in-place` from one more file, in-place.mjs (it loads no codec and
 * no catalogue); every other command line runs src/cli/main.ts, split into chunks so each loads
 * only what it uses.
 * Beside the bundle: meta.json (esbuild's metafile: which source went into which chunk) and
 * inputs.json (the sources, for bin/preflash.js to rebuild when one is newer than the bundle).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');

/**
 * The core registers nothing by import side effect (house rule), so a module of it that nothing
 * uses can be dropped. Telling esbuild so lets `src/core/index.ts` stay the hosts' only door
 * without every re-exported module landing in the first chunk that imports the index.
 */
const coreHasNoSideEffects = {
  name: 'core-has-no-side-effects',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return path.startsWith(join(root, 'src/core/')) ? { path, sideEffects: false } : undefined;
    });
  },
};

/**
 * Hosts import the core only through `src/core/index.ts`, but a barrel shared by every chunk
 * would put every module it re-exports into one chunk that the entry loads (esbuild places whole
 * files by which entry points reach them). So, in the bundle only, each CLI import from the index
 * is rewritten to the modules that define the names (what bundlers call barrel optimisation).
 */
const importCoreModulesDirectly = {
  name: 'import-core-modules-directly',
  setup(b) {
    const indexPath = join(root, 'src/core/index.ts');
    const origin = new Map();
    for (const m of readFileSync(indexPath, 'utf8').matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
      for (const name of specifiers(m[1])) origin.set(name.exported, resolve(dirname(indexPath), m[2]));
    }
    b.onLoad({ filter: /[\\/]src[\\/]cli[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const contents = text.replace(/(import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/g, (all, kind, typeOnly, list, spec) => {
        if (typeOnly || resolve(dirname(args.path), spec) !== indexPath) return all;
        const byFile = new Map();
        for (const s of specifiers(list)) {
          if (s.type) continue;
          // A name the index does not list by name (`export *`) is still imported from the index.
          const file = origin.get(s.exported) ?? indexPath;
          byFile.set(file, [...(byFile.get(file) ?? []), s.text]);
        }
        return [...byFile].map(([file, names]) => `${kind} { ${names.join(', ')} } from ${JSON.stringify(file)};`).join(' ');
      });
      return { contents, loader: 'ts' };
    });
  },
};

/** `a, type B, c as d` → [{ exported: 'a', local: 'a', type: false, text: 'a' }, …] */
function specifiers(list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const type = s.startsWith('type ');
      const text = type ? s.slice(5).trim() : s;
      const [exported, local = exported] = text.split(/\s+as\s+/);
      return { exported, local, type, text };
    });
}

/** xz-decompress is UMD and calls require(); ESM output has none, so a chunk that needs it gets one. */
const REQUIRE_BANNER = "import { createRequire as __preflashRequire } from 'node:module'; const require = __preflashRequire(import.meta.url);";

/** The modules that define error classes: one copy for both builds (dist/cli/errors.mjs), so `instanceof` works across them. */
const ERROR_MODULES = new Set([join(root, 'src/core/errors.ts'), join(root, 'src/cli/errors.ts')]);

/** Imports of ERROR_MODULES become imports of dist/cli/errors.mjs (`spec`, relative to the output's folder). */
function sharedErrors(spec) {
  return {
    name: 'shared-errors',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const path = isAbsolute(args.path) ? args.path : args.path.startsWith('.') ? resolve(args.resolveDir, args.path) : undefined;
        return path && ERROR_MODULES.has(path) ? { path: spec, external: true } : undefined;
      });
    },
  };
}

/**
 * The entry (src/cli/entry.ts) and the in-place command (src/cli/in-place-entry.ts), one file each:
 * main.ts is left to the split build (`./chunks/main.mjs`), the entry imports the in-place file
 * as `./in-place.mjs`, and the modules only -o or --device reach — which entry.ts hands to
 * main.ts — are left out: importing one is an internal error, never a silent fallback.
 */
const inPlaceOnly = {
  name: 'in-place-only',
  setup(b) {
    const main = join(root, 'src/cli/main.ts');
    const inPlaceEntry = join(root, 'src/cli/in-place-entry.ts');
    const left = new Set(['src/cli/commands/configure-output.ts', 'src/cli/commands/device-arg.ts', 'src/core/catalogue/catalogue.ts'].map((p) => join(root, p)));
    b.onResolve({ filter: /^\./ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (path === main) return { path: './chunks/main.mjs', external: true };
      if (path === inPlaceEntry && args.kind === 'dynamic-import') return { path: './in-place.mjs', external: true };
      return left.has(path) ? { path: basename(path), namespace: 'left-out' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`internal: ${args.path} is not in the in-place bundle (src/cli/entry.ts hands such command lines to main.ts)`)});`,
      loader: 'js',
    }));
  },
};

/**
 * Three esbuild runs into dist/cli/:
 * - preflash.mjs: src/cli/entry.ts, which picks one of the two below; in-place.mjs: everything a
 *   plain raw `configure --in-place` runs, in one file (issue 7, start-up: one module for Node to
 *   resolve and compile, where the split build gave that path sixteen chunks);
 * - chunks/main.mjs + chunks/*: src/cli/main.ts split, so each other command loads only what it
 *   uses (the codecs only for compressed images, the catalogue only for --device);
 * - errors.mjs: the error classes, shared by both.
 */
export async function buildCli() {
  mkdirSync(join(outdir, 'chunks'), { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Less source for Node to read and parse at start-up.
    minify: process.env.PREFLASH_MINIFY !== '0',
    metafile: true,
    logLevel: 'warning',
  };
  const errors = await build({
    ...common,
    stdin: { contents: "export * from './src/core/errors.ts';\nexport * from './src/cli/errors.ts';\n", resolveDir: root, sourcefile: 'errors-entry.ts', loader: 'ts' },
    outfile: join(outdir, 'errors.mjs'),
    plugins: [coreHasNoSideEffects, importCoreModulesDirectly],
  });
  const inPlace = await build({
    ...common,
    entryPoints: { preflash: 'src/cli/entry.ts', 'in-place': 'src/cli/in-place-entry.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    plugins: [sharedErrors('./errors.mjs'), inPlaceOnly, coreHasNoSideEffects, importCoreModulesDirectly],
    // A module that imports a left-out one by name (settings/check.ts: the catalogue) is reported
    // before tree-shaking drops it; the split build, which has them all, still reports real cases.
    logOverride: { 'import-is-undefined': 'silent' },
  });
  const split = await build({
    ...common,
    entryPoints: { main: 'src/cli/main.ts' },
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    entryNames: 'chunks/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_BANNER },
    plugins: [sharedErrors('../errors.mjs'), coreHasNoSideEffects, importCoreModulesDirectly],
  });
  const metafile = {
    inputs: { ...errors.metafile.inputs, ...inPlace.metafile.inputs, ...split.metafile.inputs },
    outputs: { ...errors.metafile.outputs, ...inPlace.metafile.outputs, ...split.metafile.outputs },
  };
  // Chunks of older builds go; the folder itself stays, so a run started by another process (two
  // `npx preflash` rebuilding at once write the same files) never finds it missing.
  const kept = new Set(Object.keys(metafile.outputs).map((p) => resolve(root, p)));
  for (const name of readdirSync(join(outdir, 'chunks'))) {
    if (!kept.has(join(outdir, 'chunks', name))) rmSync(join(outdir, 'chunks', name), { force: true });
  }
  // The banner goes only where `require` is used: createRequire() costs each chunk that runs it
  // path work at start-up (issue 7).
  for (const out of Object.keys(metafile.outputs)) {
    if (!out.endsWith('.mjs')) continue;
    const path = resolve(root, out);
    const text = readFileSync(path, 'utf8');
    if (text.startsWith(REQUIRE_BANNER) && !/\brequire\b/.test(text.slice(REQUIRE_BANNER.length))) writeFileSync(path, text.slice(REQUIRE_BANNER.length).replace(/^\n/, ''));
  }
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(metafile));
  const inputs = Object.keys(metafile.inputs).filter((p) => !p.includes('node_modules/') && existsSync(join(root, p)));
  writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs));
  return metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
