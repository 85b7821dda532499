/**
 * Builds `<preflash-configurator>` (src/embed/element.ts) into dist/app/embed.js with esbuild: its
 * own tiny bundle, outside the app's chunks (a docs page loads it with one script tag; the app
 * loads later in the element's iframe). Prints its gzipped size beside the first-load report and
 * fails the build above the budget (issue 10: under 10 KB gzipped until the user interacts).
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const EMBED_ENTRY = 'src/embed/element.ts';
export const EMBED_FILE = 'embed.js';
export const EMBED_BUDGET = 10 * 1024;

export async function buildEmbed(): Promise<Uint8Array> {
  const result = await build({ entryPoints: [EMBED_ENTRY], bundle: true, format: 'esm', minify: true, target: 'es2022', write: false, legalComments: 'none', logLevel: 'warning' });
  return result.outputFiles[0].contents;
}

export function embedScript(): Plugin {
  return {
    name: 'preflash-embed',
    apply: 'build',
    async generateBundle() {
      if (this.environment?.name && this.environment.name !== 'client') return;
      const code = await buildEmbed();
      const gzipped = gzipSync(code, { level: 9 }).length;
      console.log(`Embed: ${EMBED_FILE} ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${EMBED_BUDGET / 1024} KB)`);
      if (gzipped > EMBED_BUDGET) this.error(`${EMBED_FILE} is ${gzipped} bytes gzipped, over its budget of ${EMBED_BUDGET}: keep the element tiny and load the rest lazily`);
      this.emitFile({ type: 'asset', fileName: EMBED_FILE, source: code });
    },
  };
}
