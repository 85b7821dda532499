#!/usr/bin/env node
/**
 * Builds the CLI (`npm run build:cli`): src/cli/main.ts bundled by esbuild into dist/cli/, split
 * into chunks so each command loads only what it uses (configure --in-place loads no codec).
 * Beside the bundle: meta.json (esbuild's metafile: which source went into which chunk) and
 * inputs.json (the sources, for bin/preflash.js to rebuild when one is newer than the bundle).
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

export async function buildCli() {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { preflash: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_BANNER },
    // Less source for Node to read and parse at start-up (the in-place path: 147 KB, not 238 KB).
    minify: process.env.PREFLASH_MINIFY !== '0',
    plugins: [coreHasNoSideEffects, importCoreModulesDirectly],
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks of older builds go; the folder itself stays, so a run started by another process (two
  // `npx preflash` rebuilding at once write the same files) never finds it missing.
  const kept = new Set(Object.keys(result.metafile.outputs).map((p) => resolve(root, p)));
  for (const name of readdirSync(join(outdir, 'chunks'))) {
    if (!kept.has(join(outdir, 'chunks', name))) rmSync(join(outdir, 'chunks', name), { force: true });
  }
  // The banner goes only where `require` is used: createRequire() costs each chunk that runs it
  // path work at start-up (issue 7: a raw configure --in-place loads some twenty chunks, none need it).
  for (const out of Object.keys(result.metafile.outputs)) {
    if (!out.endsWith('.mjs')) continue;
    const path = resolve(root, out);
    const text = readFileSync(path, 'utf8');
    if (text.startsWith(REQUIRE_BANNER) && !/\brequire\b/.test(text.slice(REQUIRE_BANNER.length))) writeFileSync(path, text.slice(REQUIRE_BANNER.length).replace(/^\n/, ''));
  }
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/'));
  writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs));
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
