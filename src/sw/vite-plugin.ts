/**
 * The offline shell's build (issue #9): vite-plugin-pwa in `injectManifest` mode compiles our own
 * service worker (src/sw/sw.ts) and injects the precache list — every file of the build that the
 * app needs offline: index.html, the JS and CSS chunks (the catalogue and validator included), the
 * image worker (the xz decoder's wasm is inlined in it), the demo image (sample/*.bin), the web
 * manifest and its icons. Registration is ours (src/app/pwa/register.ts, workbox-window): the
 * plugin injects no script, only the manifest link.
 *
 * The build marker: `PREFLASH_BUILD` (default: the package's version) is defined as
 * `__PREFLASH_BUILD__` for the app and the service worker, and written into the page as
 * `<meta name="preflash-build">`, so a deployed build says which it is (the update e2e test reads it).
 */
import { readFileSync } from 'node:fs';
import type { Plugin, PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Colours of src/app/app.css (light theme): the accent and the page background. */
const THEME_COLOUR = '#1c6dd0';
const BACKGROUND_COLOUR = '#f7f8fa';

export function buildId(): string {
  return process.env.PREFLASH_BUILD || version;
}

function buildMarker(): Plugin {
  const id = buildId();
  if (!/^[\w.+-]{1,64}$/.test(id)) throw new Error(`PREFLASH_BUILD must be letters, digits and . _ + - (at most 64), not ${JSON.stringify(id)}`);
  return {
    name: 'preflash-build-marker',
    config: () => ({ define: { __PREFLASH_BUILD__: JSON.stringify(id) } }),
    transformIndexHtml: { order: 'post', handler: (html) => html.replace('</head>', `  <meta name="preflash-build" content="${id}" />\n  </head>`) },
  };
}

export function offlineShell(): PluginOption[] {
  return [
    buildMarker(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      includeManifestIcons: false,
      injectManifest: {
        rollupFormat: 'iife',
        // Everything the build writes that the app may need offline (the plugin adds the web
        // manifest itself; the icons are among the SVGs).
        globPatterns: ['**/*.{html,js,css,svg,wasm,bin}'],
        // The image worker (~400 KB) is the largest file; the default 2 MiB cap leaves room.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      manifest: {
        id: './',
        name: 'Preflash — configure balenaOS images before flashing',
        short_name: 'Preflash',
        description: 'Configure balenaOS images before flashing, in your browser. Nothing is uploaded; works offline once opened.',
        // Relative to the manifest's URL, so the app installs from whatever path it is hosted under.
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: THEME_COLOUR,
        background_color: BACKGROUND_COLOUR,
        icons: [
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: 'icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
        ],
      },
    }),
  ];
}
