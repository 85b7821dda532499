import { svelte } from '@sveltejs/vite-plugin-svelte';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin, type Rollup } from 'vite';
import { DEMO_IMAGE } from './src/app/state/demo-image.ts';
import { buildSampleImage, SAMPLE_DEVICE_TYPE, SAMPLE_IMAGE_NAME } from './src/core/image-builder/index.ts';
import { embedScript } from './scripts/embed-plugin.ts';
import { offlineShell } from './src/sw/vite-plugin.ts';


/**
 * The Content-Security-Policy of the app, in one place. The build writes it into index.html as a
 * meta tag (so a static host serves it too); scripts/serve.mjs reads it back from the built page
 * and also sends it as a header, adding what only a header can carry (frame-ancestors).
 * No inline script or style: Svelte's component CSS is extracted into files, and the app sets no
 * style attributes. worker-src allows blob: for workers the client may construct from blobs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // WebAssembly compilation only (the xz decoder in the image worker), never JavaScript eval.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // Image downloads the user starts (src/app/cache): any https: server; plain http: only from this computer.
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Writes the CSP meta tag where index.html marks it, in the built page only (Vite's dev server injects inline styles). */
const CSP_MARK = '<!-- Content-Security-Policy: written here by the build (vite.config.ts) -->';
function contentSecurityPolicy(): Plugin {
  return {
    name: 'preflash-csp',
    apply: 'build',
    transformIndexHtml(html) {
      if (!html.includes(CSP_MARK)) throw new Error(`index.html lacks the mark ${CSP_MARK}`);
      return html.replace(CSP_MARK, `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    },
  };
}

/** The JS and CSS files the first page loads: the HTML's entry chunks, their static imports and their CSS. */
export function firstLoadFiles(bundle: Rollup.OutputBundle): string[] {
  const files = new Set<string>();
  const visit = (fileName: string): void => {
    const chunk = bundle[fileName];
    if (!chunk || chunk.type !== 'chunk' || files.has(fileName)) return;
    files.add(fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    for (const imported of chunk.imports) visit(imported);
  };
  for (const item of Object.values(bundle)) if (item.type === 'chunk' && item.isEntry) visit(item.fileName);
  return [...files];
}

/** Prints the gzipped size of what the first page loads after every build (the budget test asserts it). */
function firstLoadReport(): Plugin {
  return {
    name: 'preflash-first-load',
    apply: 'build',
    generateBundle(_options, bundle) {
      let total = 0;
      for (const fileName of firstLoadFiles(bundle)) {
        const item = bundle[fileName];
        total += gzipSync(item.type === 'chunk' ? item.code : item.source, { level: 9 }).length;
      }
      console.log(`\nFirst load: ${(total / 1024).toFixed(1)} KB gzipped JS + CSS (budget 120 KB)`);
    },
  };
}

/**
 * The demo image (src/app/state/demo-image.ts), made from code by the core's buildSampleImage():
 * the 100 MiB raw image (sparse, a few hundred KiB in memory) gzipped to a small asset. Emitted
 * into the build and served by the dev server; nothing binary is committed.
 */
export async function sampleImageGz(): Promise<Uint8Array> {
  if (DEMO_IMAGE.fileName !== `${SAMPLE_IMAGE_NAME}.gz` || DEMO_IMAGE.deviceType !== SAMPLE_DEVICE_TYPE) {
    throw new Error(`src/app/state/demo-image.ts names ${DEMO_IMAGE.fileName} for ${DEMO_IMAGE.deviceType}; the core's sample is ${SAMPLE_IMAGE_NAME} for ${SAMPLE_DEVICE_TYPE}`);
  }
  const { disk } = await buildSampleImage();
  // The gzip header's mtime stays 0, so the same build gives the same bytes.
  return gzipSync(await disk.read(0, disk.size), { level: 9 });
}

function sampleImage(): Plugin {
  let bytes: Promise<Uint8Array> | undefined;
  const get = () => (bytes ??= sampleImageGz());
  return {
    name: 'preflash-sample-image',
    async generateBundle() {
      if (this.environment?.name && this.environment.name !== 'client') return;
      this.emitFile({ type: 'asset', fileName: DEMO_IMAGE.path, source: await get() });
    },
    configureServer(server) {
      server.middlewares.use(`/${DEMO_IMAGE.path}`, (_req, res) => {
        get().then((b) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(b), (e) => res.writeHead(500).end(String(e)));
      });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), contentSecurityPolicy(), firstLoadReport(), embedScript(), sampleImage(), offlineShell()],
  build: { outDir: 'dist/app', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});
