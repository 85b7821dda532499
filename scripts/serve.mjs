#!/usr/bin/env node
// Serves the built app (dist/app, or the folder given as the first argument) on 127.0.0.1 and
// prints its URL. The page's Content-Security-Policy (the meta tag the build wrote, see
// vite.config.ts) is also sent as a header, with what only a header can carry: frame-ancestors.
import { readFileSync } from 'node:fs';
import { preview } from 'vite';

const dir = process.argv[2] ?? 'dist/app';
const html = readFileSync(`${dir}/index.html`, 'utf8');
const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
if (!csp) throw new Error(`${dir}/index.html has no Content-Security-Policy meta tag: run npm run build`);
const headers = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
// Embedding (README "Embedding"): the page may be framed only as `index.html?embed` (by the pages
// PREFLASH_FRAME_ANCESTORS lists, default any), never otherwise; embed.js is loaded by other origins
// as a module script, which needs CORS.
const frameAncestors = process.env.PREFLASH_FRAME_ANCESTORS ?? '*';
const embedHeaders = {
  name: 'preflash-embed-headers',
  configurePreviewServer(server) {
    server.middlewares.use((req, res, next) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const embed = url.searchParams.has('embed');
      res.setHeader('Content-Security-Policy', `${csp.replaceAll('&#39;', "'")}; frame-ancestors ${embed ? frameAncestors : "'none'"}`);
      if (url.pathname === '/embed.js') res.setHeader('Access-Control-Allow-Origin', '*');
      next();
    });
  },
};
/**
 * The service worker (sw.js), index.html and the web manifest are revalidated on every request so
 * a new deploy is seen at once (the update prompt, issue #9); content-hashed assets never change.
 * sw.js sits at the app's root, so its default scope is the app and needs no Service-Worker-Allowed.
 */
const cacheControl = {
  name: 'preflash-cache-control',
  configurePreviewServer(server) {
    server.middlewares.use((req, res, next) => {
      res.setHeader('Cache-Control', req.url?.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      next();
    });
  },
};
const port = Number(process.env.PORT ?? 4173);
const server = await preview({ build: { outDir: dir }, plugins: [embedHeaders, cacheControl], preview: { host: '127.0.0.1', port, headers } });
server.printUrls();
console.log('Press Ctrl+C to stop.');
