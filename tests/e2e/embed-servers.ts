/**
 * The embed specs' other origins: a "docs site" serving examples/ on http://localhost:<port> (a
 * different site from the app's http://127.0.0.1:<port>, as a real docs site would be), with the
 * example's app URL and its own origin rewritten to the test's; and a "third party" on another
 * localhost port whose page posts `preflash:set` messages to every frame of its parent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export interface StaticSite { origin: string; close(): Promise<void> }

/** The app origin the example is written for (`npm start`), and the docs origin its iframe names. */
const EXAMPLE_APP = 'http://127.0.0.1:4173';
const EXAMPLE_DOCS = 'http://localhost:8000';

/** Serves `pages` (path → HTML or JSON) with `text/html` / `application/json`. */
export function serveSite(pages: (origin: string) => Record<string, string>): Promise<StaticSite> {
  return new Promise((resolve) => {
    let table: Record<string, string> = {};
    const server: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = table[path];
      if (body === undefined) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
      table = pages(origin);
      resolve({ origin, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/** examples/docs-embed.html and its preset, pointed at `app`; plus a page with the element alone. */
export function docsSite(app: string): Promise<StaticSite> {
  const example = readFileSync(join('examples', 'docs-embed.html'), 'utf8');
  const preset = readFileSync(join('examples', 'docs-preset.json'), 'utf8');
  return serveSite((origin) => ({
    '/docs-embed.html': example.replaceAll(EXAMPLE_APP, app).replaceAll(encodeURIComponent(EXAMPLE_DOCS), encodeURIComponent(origin)),
    '/docs-preset.json': preset,
    '/element-only.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Element only</title><link rel="icon" href="data:,">
<script type="module" src="${app}/embed.js"></script></head><body>
<preflash-configurator device="raspberrypi4-64" preset="docs-preset.json" lock="device,cloud"></preflash-configurator></body></html>`,
  }));
}

/** A third origin: its page posts a hostile `preflash:set` to every frame of its parent, then says so. */
export function thirdParty(): Promise<StaticSite> {
  return serveSite(() => ({
    '/third.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Third party</title><link rel="icon" href="data:,"></head><body><script>
const msg = { type: 'preflash:set', device: 'jetson-nano', lock: [], preset: { version: 1, hostname: 'hijacked' } };
for (let i = 0; i < parent.frames.length; i++) if (parent.frames[i] !== window) parent.frames[i].postMessage(msg, '*');
window.received = [];
addEventListener('message', (e) => window.received.push(e.data));
window.posted = parent.frames.length;
</script></body></html>`,
  }));
}
