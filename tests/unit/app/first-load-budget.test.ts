/**
 * The app's first page stays small (issue 8: the JS and CSS it loads stay under 120 KB gzipped;
 * the worker, validator, codecs and catalogue load later) and carries a strict CSP. Builds the app
 * into .tmp and reads the page as a browser would: the HTML's scripts and stylesheets, and the
 * modules those scripts import statically. Budgets are assertions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

const outDir = '.tmp/app-budget';
const BUDGET = 120 * 1024;
let html = '';

/** The files a first visit loads: HTML-referenced scripts and styles plus their static imports. */
function firstLoadFiles(): string[] {
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const code = readFileSync(join(outDir, file), 'utf8');
    // Static imports only (`import{x}from"./a.js"`, `import"./b.js"`), not import("./c.js").
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.\/[^"']+\.js)["']/g)) visit(join(dirname(file), m[1]));
  };
  refs.forEach(visit);
  return [...seen];
}

describe('app first load', () => {
  beforeAll(async () => {
    // Vitest sets NODE_ENV=test, which would make the Svelte plugin compile in dev mode.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: 'vite.config.ts', mode: 'production', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    html = readFileSync(join(outDir, 'index.html'), 'utf8');
  }, 120_000);

  it('loads under 120 KB of JS and CSS gzipped, without the validator or the catalogue', () => {
    const files = firstLoadFiles();
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    const code = files.map((f) => readFileSync(join(outDir, f)));
    const gzipped = code.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0);
    console.log(`app first load: ${files.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(BUDGET);
    const text = code.map((b) => b.toString('utf8')).join('\n');
    expect(text.includes('WPA passphrase must be'), 'the settings validator loads on demand').toBe(false);
    expect(text.includes('ERASES the device'), 'the device catalogue loads on demand').toBe(false);
  });

  it('carries a strict Content-Security-Policy and no inline script or style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'"); // WebAssembly for the xz decoder, no JS eval
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    // Image downloads the user starts (the image cache) may reach any https: server; nothing else may.
    expect(csp).toContain("connect-src 'self' https: http://localhost:* http://127.0.0.1:*");
    expect(csp.replace(/connect-src [^;]*/, '')).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:/);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="\//);
    expect(html).not.toMatch(/<style\b|\sstyle="/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//); // nothing from elsewhere
    expect(existsSync(join(outDir, 'favicon.svg'))).toBe(true);
  });
});
